import fs from 'node:fs';
import path from 'node:path';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  databases,
  GitHostHarness,
  startGitHost,
} from './__testUtils__/harness';
import request from 'supertest';
import { as, git } from './__testUtils__';
import { BareRepositories } from './service/BareRepositories';

jest.setTimeout(120_000);

const alice = 'user:default/alice'; // payments
const pat = 'user:default/pat'; // platform

describe.each(databases.eachSupportedId())(
  'change requests, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;
    let repo = 0;
    /** A fresh repository with one commit on main, and its working copy. */
    let work: string;
    let fullName: string;
    const api = (suffix = '') => `/api/v1/repos/${fullName}/pulls${suffix}`;

    beforeAll(async () => {
      host = await startGitHost(databaseId);
    });
    afterAll(() => host?.stop());

    beforeEach(async () => {
      repo += 1;
      ({ fullName } = await host.create(alice, `app-${repo}`));
      work = await host.pushFiles(alice, fullName, {
        'README.md': '# app\n',
        'src/a.ts': 'export const a = 1;\n',
        'src/b.ts': 'export const b = 2;\n',
      });
    });

    const branch = async (
      name: string,
      files: Record<string, string | Buffer>,
      base = 'main',
    ) => {
      await git(work, 'checkout', '--quiet', '-B', name, base);
      await host.pushFiles(alice, fullName, files, {
        work,
        branch: name,
        message: `Work on ${name}`,
      });
      await git(work, 'checkout', '--quiet', 'main');
    };
    const mainHead = async () =>
      (await host.call('get', alice, `/api/v1/repos/${fullName}/branches/main`))
        .body.commit.id;

    it('opens one, shows its commits and per-file diff, merges it with a real merge commit', async () => {
      await branch('feature', {
        'src/a.ts': 'export const a = 10;\n',
        'src/new.ts': 'export const n = 0;\n',
        'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 0]),
      });
      await git(work, 'checkout', '--quiet', 'feature');
      fs.rmSync(path.join(work, 'src/b.ts'));
      await host.pushFiles(
        alice,
        fullName,
        {},
        { work, branch: 'feature', message: 'Drop b' },
      );
      await git(work, 'checkout', '--quiet', 'main');
      // main moves on meanwhile, without conflict.
      await host.pushFiles(
        alice,
        fullName,
        { 'README.md': '# app, renamed\n' },
        { work },
      );
      const before = await mainHead();

      const opened = await host.call('post', alice, api(), {
        title: 'Bigger a',
        body: 'Makes a bigger.',
        head: 'feature',
      });
      expect(opened.status).toBe(201);
      expect(opened.body).toMatchObject({
        number: 1,
        title: 'Bigger a',
        state: 'open',
        merged: false,
        mergeable: true,
        head: { ref: 'feature' },
        base: { ref: 'main', sha: before },
        user: { login: alice },
      });
      // One open request per branch pair.
      expect(
        (
          await host.call('post', alice, api(), {
            title: 'Again',
            head: 'feature',
          })
        ).status,
      ).toBe(409);

      const commits = await host.call('get', alice, api('/1/commits'));
      expect(commits.body.map((c: any) => c.commit.message)).toEqual([
        'Drop b',
        'Work on feature',
      ]);

      const files = await host.call('get', alice, api('/1/files'));
      const byName = Object.fromEntries(
        files.body.map((f: any) => [f.filename, f]),
      );
      expect(Object.keys(byName).sort()).toEqual([
        'logo.png',
        'src/a.ts',
        'src/b.ts',
        'src/new.ts',
      ]);
      expect(byName['src/a.ts']).toMatchObject({
        status: 'modified',
        additions: 1,
        deletions: 1,
        binary: false,
      });
      expect(byName['src/a.ts'].patch).toContain(
        '-export const a = 1;\n+export const a = 10;',
      );
      expect(byName['src/new.ts'].status).toBe('added');
      expect(byName['src/b.ts'].status).toBe('deleted');
      expect(byName['logo.png']).toMatchObject({
        binary: true,
        status: 'added',
      });
      expect(byName['logo.png'].patch).toBeUndefined();
      // README changed on main only: not part of the change request.
      expect(byName['README.md']).toBeUndefined();

      const merged = await host.call('post', alice, api('/1/merge'), {
        Do: 'merge',
        head_commit_id: opened.body.head.sha,
      });
      expect(merged.status).toBe(200);
      expect(merged.body).toMatchObject({
        state: 'closed',
        merged: true,
        merged_by: { login: alice },
      });
      const head = await mainHead();
      expect(head).toBe(merged.body.merge_commit_sha);
      const [mergeCommit] = (
        await host.call(
          'get',
          alice,
          `/api/v1/repos/${fullName}/commits?sha=main&limit=1`,
        )
      ).body;
      expect(mergeCommit.parents.map((p: any) => p.sha)).toEqual([
        before,
        opened.body.head.sha,
      ]);
      const a = await host.reader.readUrl(
        `${host.base}/${fullName}/src/branch/main/src/a.ts`,
      );
      expect((await a.buffer()).toString()).toBe('export const a = 10;\n');
      const readme = await host.reader.readUrl(
        `${host.base}/${fullName}/src/branch/main/README.md`,
      );
      expect((await readme.buffer()).toString()).toBe('# app, renamed\n');
      // A merged request keeps its diff and cannot be reopened.
      expect(
        (await host.call('get', alice, api('/1/files'))).body,
      ).toHaveLength(4);
      expect(
        (await host.call('patch', alice, api('/1'), { state: 'open' })).status,
      ).toBe(409);
      expect((await host.call('post', alice, api('/1/merge'), {})).status).toBe(
        409,
      );
    });

    it('summarizes a file whose diff is too large to show, and shows the others', async () => {
      const big = Array.from(
        { length: 12_000 },
        (_, i) => `line ${i} ${'x'.repeat(20)}`,
      ).join('\n');
      await branch('big', { 'big.txt': `${big}\n`, 'small.txt': 'small\n' });
      await host.call('post', alice, api(), { title: 'Big', head: 'big' });
      const files = (await host.call('get', alice, api('/1/files'))).body;
      const byName = Object.fromEntries(files.map((f: any) => [f.filename, f]));
      expect(byName['big.txt']).toMatchObject({
        status: 'added',
        too_large: true,
        additions: 12_000,
      });
      expect(byName['big.txt'].patch).toBeUndefined();
      expect(byName['small.txt']).toMatchObject({ too_large: false });
      expect(byName['small.txt'].patch).toContain('+small');
    });

    it('refuses a conflicting merge, naming the files, and changes nothing', async () => {
      await branch('left', { 'src/a.ts': 'export const a = "left";\n' });
      await host.pushFiles(
        alice,
        fullName,
        { 'src/a.ts': 'export const a = "main";\n' },
        { work },
      );
      const before = await mainHead();
      await host.call('post', alice, api(), { title: 'Left', head: 'left' });
      const pr = await host.call('get', alice, api('/1'));
      expect(pr.body.mergeable).toBe(false);
      expect(pr.body.conflict).toMatch(/conflicts with 'main' in src\/a.ts/);
      const merge = await host.call('post', alice, api('/1/merge'), {});
      expect(merge.status).toBe(409);
      expect(merge.body.error.message).toMatch(
        /conflicts with 'main' in src\/a.ts/,
      );
      expect(await mainHead()).toBe(before);
    });

    it('lets one of two simultaneous merges win and tells the other to update; no commit is lost', async () => {
      await branch('one', { 'one.txt': '1\n' });
      await branch('two', { 'two.txt': '2\n' });
      await host.call('post', alice, api(), { title: 'One', head: 'one' });
      await host.call('post', alice, api(), { title: 'Two', head: 'two' });
      const results = await Promise.all([
        host.call('post', alice, api('/1/merge'), {}),
        host.call('post', pat, api('/2/merge'), {}),
      ]);
      // They may also run one after the other (the second merging onto the
      // first's merge); whichever lost a race was told to update, changed
      // nothing, and merges on a second try.
      expect(
        results.filter(r => r.status === 200).length,
      ).toBeGreaterThanOrEqual(1);
      const refused = [1, 2].filter((_, i) => results[i].status !== 200);
      for (const number of refused) {
        expect(results[number - 1].body.error.message).toMatch(
          /moved while merging/,
        );
        expect(
          (await host.call('post', alice, api(`/${number}/merge`), {})).status,
        ).toBe(200);
      }
      const one = await host.reader.search(
        `${host.base}/${fullName}/src/branch/main/one.txt`,
      );
      const two = await host.reader.search(
        `${host.base}/${fullName}/src/branch/main/two.txt`,
      );
      expect(one.files).toHaveLength(1);
      expect(two.files).toHaveLength(1);
    });

    it('never moves main from a commit it no longer points at', async () => {
      const bare = new BareRepositories(path.join(host.tmp, 'repos'));
      const folder = `${fullName}.git`;
      const first = await bare.branchHead(folder, 'main');
      await host.pushFiles(alice, fullName, { 'later.txt': 'x\n' }, { work });
      const second = await bare.branchHead(folder, 'main');
      // A merge computed on `first` finds main at `second`: refused.
      expect(
        await bare.compareAndSwap(folder, 'main', first!, first!, 'stale'),
      ).toBe(false);
      expect(await bare.branchHead(folder, 'main')).toBe(second);
    });

    it('records as merged a request whose merge outlived its record (a crash), or that was merged by a push', async () => {
      await branch('crashed', { 'crash.txt': 'c\n' });
      await branch('pushed', { 'pushed.txt': 'p\n' });
      await host.call('post', alice, api(), {
        title: 'Crashed',
        head: 'crashed',
      });
      await host.call('post', alice, api(), {
        title: 'Pushed',
        head: 'pushed',
      });
      // The host moved main to its merge commit and died before writing
      // the row: what the database and the repository say afterwards.
      const bare = new BareRepositories(path.join(host.tmp, 'repos'));
      const folder = `${fullName}.git`;
      const before = (await bare.branchHead(folder, 'main'))!;
      const head = (await bare.branchHead(folder, 'crashed'))!;
      const merged = await bare.mergeTree(folder, before, head);
      const commit = await bare.commitTree(
        folder,
        (merged as { tree: string }).tree,
        [before, head],
        'Merge crashed',
        {
          name: 'Paved',
          email: 'paved@localhost',
        },
      );
      expect(
        await bare.compareAndSwap(folder, 'main', commit, before, 'test'),
      ).toBe(true);
      const crashed = await host.call('get', alice, api('/1'));
      expect(crashed.body).toMatchObject({
        state: 'closed',
        merged: true,
        merge_commit_sha: commit,
      });
      // Someone merged `pushed` locally and pushed main.
      const url = host.cloneUrl(fullName, await host.tokenOf(alice));
      await git(work, 'fetch', '--quiet', url, 'main');
      await git(work, 'checkout', '--quiet', '-B', 'main', 'FETCH_HEAD');
      await git(work, 'fetch', '--quiet', url, 'pushed');
      await git(work, 'merge', '--quiet', '--no-edit', 'FETCH_HEAD');
      await git(work, 'push', '--quiet', url, 'main');
      const pushed = await host.call('get', alice, api('/2'));
      expect(pushed.body).toMatchObject({ state: 'closed', merged: true });
      expect(pushed.body.merge_commit_sha).toBe(
        await bare.branchHead(folder, 'main'),
      );
    });

    it('notices a force-updated and a deleted source branch', async () => {
      await branch('rewrite', { 'x.txt': 'first\n' });
      const opened = await host.call('post', alice, api(), {
        title: 'Rewrite',
        head: 'rewrite',
      });
      // The branch is rewritten (force-pushed) after someone looked at it.
      await git(work, 'checkout', '--quiet', '-B', 'rewrite', 'main');
      fs.writeFileSync(path.join(work, 'x.txt'), 'second\n');
      await git(work, 'add', 'x.txt');
      await git(work, 'commit', '--quiet', '-m', 'Rewritten');
      await git(
        work,
        'push',
        '--quiet',
        '--force',
        host.cloneUrl(fullName, await host.tokenOf(alice)),
        'rewrite',
      );
      await git(work, 'checkout', '--quiet', 'main');
      const stale = await host.call('post', alice, api('/1/merge'), {
        head_commit_id: opened.body.head.sha,
      });
      expect(stale.status).toBe(409);
      expect(stale.body.error.message).toMatch(
        /moved to .* since you looked at it/,
      );
      const files = await host.call('get', alice, api('/1/files'));
      expect(files.body[0].patch).toContain('+second');

      // Deleted: the request stays, says so, and cannot merge.
      await git(
        work,
        'push',
        '--quiet',
        host.cloneUrl(fullName, await host.tokenOf(alice)),
        ':rewrite',
      );
      const pr = await host.call('get', alice, api('/1'));
      expect(pr.body).toMatchObject({
        state: 'open',
        mergeable: false,
        head: { deleted: true, sha: null },
      });
      const merge = await host.call('post', alice, api('/1/merge'), {});
      expect(merge.status).toBe(409);
      expect(merge.body.error.message).toMatch(
        /source branch 'rewrite' was deleted/,
      );
      const closed = await host.call('patch', alice, api('/1'), {
        state: 'closed',
      });
      expect(closed.body.state).toBe('closed');
    });

    it('keeps main from being force-pushed or deleted', async () => {
      const url = host.cloneUrl(fullName, await host.tokenOf(alice));
      await git(work, 'checkout', '--quiet', '--orphan', 'unrelated');
      await host.pushFiles(
        alice,
        fullName,
        { 'other.txt': 'x\n' },
        { work, branch: 'unrelated' },
      );
      await expect(
        git(work, 'push', '--quiet', '--force', url, 'unrelated:main'),
      ).rejects.toThrow(/default branch cannot be force-pushed/);
      await expect(git(work, 'push', '--quiet', url, ':main')).rejects.toThrow(
        // git's own rule comes first for the branch HEAD names.
        /default branch cannot be deleted|refusing to delete the current branch/,
      );
      await git(work, 'checkout', '--quiet', 'main');
    });

    it('refuses to merge into main while its required checks fail, and direct pushes to it', async () => {
      await branch('checked', { 'c.txt': 'c\n' });
      const opened = await host.call('post', alice, api(), {
        title: 'Checked',
        head: 'checked',
      });
      expect(
        (
          await host.call('patch', alice, `/repositories/${fullName}`, {
            requireChecks: true,
          })
        ).status,
      ).toBe(200);
      const sha = opened.body.head.sha;
      const none = await host.call('post', alice, api('/1/merge'), {});
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(
        /requires passing checks .* has none yet/,
      );

      // CI reports with a deploy token; a person may not paint a check green.
      const ci = (
        await host.call(
          'post',
          alice,
          `/repositories/${fullName}/deploy-tokens`,
          { scope: 'write', name: 'ci' },
        )
      ).body.token;
      const report = (state: string, token?: string) => {
        const req = request(host.backend.server).post(
          `/api/git-host/api/v1/repos/${fullName}/statuses/${sha}`,
        );
        req.set('Authorization', token ? `token ${token}` : as(alice));
        return req.send({ state, context: 'ci/test' });
      };
      expect((await report('failure', ci)).status).toBe(201);
      const byHand = await report('success');
      expect(byHand.status).toBe(403);
      expect(byHand.body.error.message).toMatch(/reported by CI/);
      const failed = await host.call('post', alice, api('/1/merge'), {});
      expect(failed.body.error.message).toMatch(/has ci\/test failure/);

      // Nor can main be pushed to directly while checks are required.
      await git(work, 'checkout', '--quiet', 'main');
      await expect(
        host.pushFiles(alice, fullName, { 'direct.txt': 'd\n' }, { work }),
      ).rejects.toThrow(
        /needs passing checks: push a branch and open a change request/,
      );
      await git(work, 'reset', '--quiet', '--hard', 'HEAD~1');

      expect((await report('success', ci)).status).toBe(201);
      const status = await host.call(
        'get',
        alice,
        `/api/v1/repos/${fullName}/commits/${sha}/status`,
      );
      expect(status.body).toMatchObject({ state: 'success', total_count: 1 });
      expect((await host.call('post', alice, api('/1/merge'), {})).status).toBe(
        200,
      );
    });
  },
);
