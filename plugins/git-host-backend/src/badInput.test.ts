import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  databases,
  GitHostHarness,
  startGitHost,
} from './__testUtils__/harness';
import { as, git } from './__testUtils__';

jest.setTimeout(120_000);

const alice = 'user:default/alice'; // payments

describe.each(databases.eachSupportedId())(
  'hostile owners, names, refs and paths, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;
    let canary: string;

    beforeAll(async () => {
      host = await startGitHost(databaseId);
      await host.create(alice, 'shop');
      await host.pushFiles(alice, 'payments/shop', {
        'README.md': '# shop\n',
        'docs/a.md': 'a\n',
      });
      // Something outside every repository that must never be read.
      canary = path.join(host.tmp, 'repos', 'canary.txt');
      fs.writeFileSync(canary, 'outside\n');
    });
    afterAll(() => host?.stop());

    const raw = (url: string) =>
      request(host.backend.server)
        .get(`/api/git-host${url}`)
        .set('Authorization', as(alice));

    it.each([
      // owner segment
      ['/api/v1/repos/..%2f..%2fetc/shop/contents/README.md'],
      ['/api/v1/repos/%2e%2e/shop/contents/README.md'],
      ['/api/v1/repos/pay%20ments/shop/contents/README.md'],
      ['/api/v1/repos/pay;ments/shop/contents/README.md'],
      ['/api/v1/repos/$(touch%20pwned)/shop/contents/README.md'],
      ['/api/v1/repos/-payments/shop/contents/README.md'],
      // repository name
      ['/api/v1/repos/payments/..%2fshop/contents/README.md'],
      ['/api/v1/repos/payments/shop%0a/contents/README.md'],
      ['/api/v1/repos/payments/sh%20op/contents/README.md'],
      // ref
      [
        '/api/v1/repos/payments/shop/contents/README.md?ref=--upload-pack=touch%20pwned',
      ],
      ['/api/v1/repos/payments/shop/contents/README.md?ref=-x'],
      ['/api/v1/repos/payments/shop/contents/README.md?ref=refs/../main'],
      ['/api/v1/repos/payments/shop/contents/README.md?ref=main..HEAD'],
      [
        '/api/v1/repos/payments/shop/contents/README.md?ref=main%0a--output=/tmp/x',
      ],
      ['/api/v1/repos/payments/shop/contents/README.md?ref=$(touch%20pwned)'],
      ['/api/v1/repos/payments/shop/archive/--output=%2ftmp%2fpwned.tar.gz'],
      ['/api/v1/repos/payments/shop/git/commits/-p'],
      // path
      ['/api/v1/repos/payments/shop/contents/../../canary.txt'],
      ['/api/v1/repos/payments/shop/contents/%2e%2e/%2e%2e/canary.txt'],
      ['/api/v1/repos/payments/shop/contents/docs/%2e%2e/%2e%2e/canary.txt'],
      ['/api/v1/repos/payments/shop/contents//etc/passwd'],
      ['/api/v1/repos/payments/shop/contents/docs%0aa.md'],
      ['/api/v1/repos/payments/shop/raw/..%2f..%2fcanary.txt'],
    ])('%s is a 400 or 404, reading nothing outside', async url => {
      const res = await raw(url);
      expect([400, 404]).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('outside');
      expect(fs.existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
      expect(fs.existsSync('/tmp/pwned.tar.gz')).toBe(false);
      expect(fs.existsSync('/tmp/x')).toBe(false);
    });

    it.each([
      { name: 'sh op' },
      { name: 'shop\nx' },
      { name: '../shop' },
      { name: 'shop;rm -rf /' },
      { name: '$(id)' },
      { name: '-shop' },
      { name: 'shop', owner: 'group:default/..' },
      { name: 'shop', owner: 'group:default/api' },
      { name: 'shop', owner: 'group:default/git' },
      { name: 'shop', owner: 'component:default/payments' },
    ])('refuses to create %j', async body => {
      const res = await host.call('post', alice, '/repositories', {
        owner: 'group:default/payments',
        ...body,
      });
      expect([400, 403]).toContain(res.status);
    });

    it('refuses change requests from branches crafted for option injection', async () => {
      for (const head of [
        '--upload-pack=touch pwned',
        '-x',
        'a..b',
        'refs/heads/x',
        'x\ny',
        '$(id)',
      ]) {
        const res = await host.call(
          'post',
          alice,
          '/api/v1/repos/payments/shop/pulls',
          { title: 'x', head },
        );
        expect(res.status).toBe(400);
        expect(res.body.error.message).toMatch(/Invalid ref/);
      }
    });

    it('refuses pushes of branches named like git options or with odd characters', async () => {
      const work = fs.mkdtempSync(path.join(host.tmp, 'inject-'));
      await git(
        work,
        'clone',
        '--quiet',
        host.cloneUrl('payments/shop', await host.tokenOf(alice)),
        'c',
      );
      const clone = path.join(work, 'c');
      const url = host.cloneUrl('payments/shop', await host.tokenOf(alice));
      await expect(
        git(clone, 'push', '--quiet', url, 'HEAD:refs/heads/x/-rf'),
      ).rejects.toThrow(/may not start with a dash/);
      await expect(
        git(clone, 'push', '--quiet', url, 'HEAD:refs/heads/a$b'),
      ).rejects.toThrow(/may hold only letters/);
      await expect(
        git(clone, 'push', '--quiet', url, 'HEAD:refs/notes/x'),
      ).rejects.toThrow(/only branches/);
    });

    it('does not let a file URL escape through the Gitea reader', async () => {
      await expect(
        host.reader.readUrl(
          `${host.base}/payments/shop/src/branch/main/../../../canary.txt`,
        ),
      ).rejects.toThrow();
      await expect(
        host.reader.readUrl(
          `${host.base}/payments/shop/src/branch/main/%2e%2e/%2e%2e/canary.txt`,
        ),
      ).rejects.toThrow();
    });
  },
);
