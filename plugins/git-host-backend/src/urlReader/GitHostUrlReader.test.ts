import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { BareRepositories } from '../service/BareRepositories';
import { GitHostUrlReader } from './GitHostUrlReader';
import { git } from '../__testUtils__';

const base = 'http://localhost:7007/api/git-host/git/shop.git/-';

describe('GitHostUrlReader', () => {
  let tmp: string;
  let work: string;
  let reader: ReturnType<typeof UrlReaders.default>;

  async function commit(files: Record<string, string>, message: string) {
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      fs.writeFileSync(path.join(work, file), content);
    }
    await git(work, 'add', '.');
    await git(work, 'commit', '--quiet', '-m', message);
    await git(
      work,
      'push',
      '--quiet',
      path.join(tmp, 'repos', 'shop.git'),
      'main',
    );
  }

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-reader-'));
    await new BareRepositories(path.join(tmp, 'repos')).init('shop');
    work = path.join(tmp, 'work');
    fs.mkdirSync(work);
    await git(work, 'init', '--quiet', '--initial-branch=main');
    await commit(
      {
        'catalog-info.yaml': 'kind: Component\n',
        'docs/a.md': '# A\n',
        'src/index.ts': 'export {};\n',
      },
      'First',
    );
    reader = UrlReaders.default({
      config: new ConfigReader({
        backend: { baseUrl: 'http://localhost:7007' },
        gitHost: { root: path.join(tmp, 'repos') },
      }),
      logger: mockServices.logger.mock(),
      factories: [GitHostUrlReader.factory],
    });
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads a file, and says when it has not changed', async () => {
    const first = await reader.readUrl(`${base}/blob/main/catalog-info.yaml`);
    expect((await first.buffer()).toString()).toBe('kind: Component\n');
    await expect(
      reader.readUrl(`${base}/blob/main/catalog-info.yaml`, {
        etag: first.etag,
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotModifiedError' }));

    await commit(
      { 'catalog-info.yaml': 'kind: Component\n# changed\n' },
      'Second',
    );
    const second = await reader.readUrl(`${base}/blob/main/catalog-info.yaml`, {
      etag: first.etag,
    });
    expect(second.etag).not.toBe(first.etag);
    expect((await second.buffer()).toString()).toContain('# changed');
  });

  it('reads a folder and the whole tree', async () => {
    const docs = await reader.readTree(`${base}/tree/main/docs`);
    expect((await docs.files()).map(f => f.path)).toEqual(['a.md']);
    const all = await reader.readTree(`${base}/tree/main`);
    expect((await all.files()).map(f => f.path).sort()).toEqual([
      'catalog-info.yaml',
      'docs/a.md',
      'src/index.ts',
    ]);
  });

  it('refuses paths outside the repository and reports what is missing', async () => {
    await expect(
      reader.readUrl(`${base}/blob/main/../../etc/passwd`),
    ).rejects.toThrow(/escapes the repository/);
    await expect(reader.readUrl(`${base}/blob/main/nope.yaml`)).rejects.toThrow(
      /Nothing at/,
    );
    await expect(reader.readUrl(`${base}/blob/main/docs`)).rejects.toThrow(
      /is not a file/,
    );
    await expect(
      reader.readTree(`${base}/tree/main/catalog-info.yaml`),
    ).rejects.toThrow(/is not a folder/);
    await expect(reader.readTree(`${base}/tree/main/nope`)).rejects.toThrow(
      /Nothing at/,
    );
    await expect(
      reader.readUrl(
        'http://localhost:7007/api/git-host/git/absent.git/-/blob/main/x',
      ),
    ).rejects.toThrow(/No repository named 'absent'/);
  });

  it('reads the same tree many times over, each time whole (fetch:plain)', async () => {
    // fetch:plain failed now and then with TAR_BAD_ARCHIVE; read the tree the
    // way it does (readTree, then dir()) many times at once.
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await reader.readTree(`${base}/tree/main/docs`);
        const dir = path.join(tmp, `out-${i}`);
        fs.mkdirSync(dir);
        await response.dir({ targetDir: dir });
        return fs.readFileSync(path.join(dir, 'a.md'), 'utf8');
      }),
    );
    expect(new Set(results)).toEqual(new Set(['# A\n']));
  });

  it("fails with git's own words when the repository cannot be read", async () => {
    // A lost object (a disk fault, a bad restore): git archive fails.
    const repo = path.join(tmp, 'repos', 'shop.git');
    const { stdout: blob } = await git(repo, 'rev-parse', 'main:docs/a.md');
    const sha = blob.trim();
    fs.rmSync(path.join(repo, 'objects', sha.slice(0, 2), sha.slice(2)));
    const response = await reader.readTree(`${base}/tree/main/docs`);
    const dir = path.join(tmp, 'out');
    fs.mkdirSync(dir);
    await expect(response.dir({ targetDir: dir })).rejects.toThrow(
      /Could not read .*tree\/main\/docs: git archive exited with \d+: error: invalid object .* for 'docs\/a.md'/,
    );
  });
});
