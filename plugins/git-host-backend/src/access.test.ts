import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  TestBackend,
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { gitHostPlugin } from './plugin';
import { as, git, teamServices, withToken } from './__testUtils__';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'git host access, on %p',
  (databaseId: TestDatabaseId) => {
    let tmp: string;
    let backend: TestBackend;
    let api: string;
    const alice = 'user:default/alice'; // payments
    const bob = 'user:default/bob'; // checkout
    const pat = 'user:default/pat'; // platform

    const call = (
      method: 'get' | 'post' | 'patch' | 'delete',
      user: string,
      url: string,
      body?: object,
    ) => {
      const req = request(backend.server)
        [method](`/api/git-host${url}`)
        .set('Authorization', as(user));
      return body ? req.send(body) : req;
    };
    const tokenOf = async (user: string) =>
      (await call('post', user, '/tokens')).body.token as string;
    const url = (name: string, token: string) =>
      withToken(`${api}/git/${name}.git`, token);

    /** A clone of `name` with one commit on main, pushed by `user`. */
    async function seeded(name: string, user: string) {
      const work = fs.mkdtempSync(path.join(tmp, `${name}-`));
      await git(work, 'init', '--quiet', '--initial-branch=main');
      fs.writeFileSync(path.join(work, 'README.md'), `# ${name}\n`);
      await git(work, 'add', '.');
      await git(work, 'commit', '--quiet', '-m', 'First commit');
      await git(
        work,
        'push',
        '--quiet',
        url(name, await tokenOf(user)),
        'main',
      );
      return work;
    }

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-git-access-'));
      backend = await startTestBackend({
        features: [
          gitHostPlugin,
          ...teamServices(),
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://paved.test' },
              gitHost: { root: path.join(tmp, 'repos') },
            },
          }),
        ],
      });
      api = `http://localhost:${
        (backend.server.address() as AddressInfo).port
      }/api/git-host`;
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('lets only the owning team and the platform team write', async () => {
      // Nobody makes a repository in another team's name.
      const foreign = await call('post', bob, '/repositories', {
        name: 'shop',
        owner: 'group:default/payments',
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toBe(
        'Only members of group:default/payments or the platform team may create a repository for it',
      );
      const created = await call('post', alice, '/repositories', {
        name: 'shop',
        owner: 'payments',
      });
      expect(created.status).toBe(201);
      expect(created.body.owner).toBe('group:default/payments');
      const work = await seeded('shop', alice);

      // bob (checkout) may read, not push: neither with his git token nor
      // with his Backstage token, and the message says who may.
      await git(
        tmp,
        'clone',
        '--quiet',
        url('shop', await tokenOf(bob)),
        'bob-shop',
      );
      fs.writeFileSync(
        path.join(work, 'catalog-info.yaml'),
        'owner: checkout\n',
      );
      await git(work, 'add', '.');
      await git(work, 'commit', '--quiet', '-m', 'Take it over');
      for (const credential of [await tokenOf(bob), as(bob).slice(7)]) {
        await expect(
          git(work, 'push', url('shop', credential), 'main'),
        ).rejects.toThrow(
          /Only members of group:default\/payments or the platform team may push to 'shop'/,
        );
      }
      const deployToken = await call(
        'post',
        bob,
        '/repositories/shop/deploy-tokens',
      );
      expect(deployToken.status).toBe(403);
      expect(deployToken.body.error.message).toMatch(
        /may issue deploy tokens for 'shop'/,
      );
      const head = async () =>
        (await call('get', bob, '/repositories/shop')).body.lastCommit.message;
      expect(await head()).toBe('First commit');

      // The platform team may push anywhere; a deploy token that alice
      // issued pushes to its repository.
      await git(
        work,
        'push',
        '--quiet',
        url('shop', await tokenOf(pat)),
        'main',
      );
      expect(await head()).toBe('Take it over');
      const issued = await call(
        'post',
        alice,
        '/repositories/shop/deploy-tokens',
      );
      expect(issued.status).toBe(201);
      fs.writeFileSync(path.join(work, 'CHANGELOG.md'), '- deployed\n');
      await git(work, 'add', '.');
      await git(work, 'commit', '--quiet', '-m', 'From CI');
      await git(
        work,
        'push',
        '--quiet',
        url('shop', issued.body.token),
        'main',
      );
      expect(await head()).toBe('From CI');
    });

    it('accepts only plain branch and tag names, and keeps tags where they are', async () => {
      await call('post', alice, '/repositories', {
        name: 'refs',
        owner: 'group:default/payments',
      }).expect(201);
      const work = await seeded('refs', alice);
      const remote = url('refs', await tokenOf(alice));
      const refused: Array<[string, RegExp]> = [
        ['refs/x/hidden', /only branches .* and tags .* may be pushed/],
        ['refs/heads/HEAD', /HEAD is not a branch name/],
        ['refs/heads/--upload-pack=touch', /may not start with a dash/],
        ['refs/heads/feature/-x', /may not start with a dash/],
        ['refs/heads/$(touch_pwned)', /may hold only letters, digits/],
        ['refs/heads/a;b', /may hold only letters, digits/],
        ['refs/tags/`id`', /may hold only letters, digits/],
      ];
      for (const [ref, message] of refused) {
        await expect(git(work, 'push', remote, `HEAD:${ref}`)).rejects.toThrow(
          message,
        );
      }
      expect(fs.existsSync(path.join(work, 'touch_pwned'))).toBe(false);
      const { stdout: refs } = await git(
        path.join(tmp, 'repos', 'refs.git'),
        'for-each-ref',
        '--format=%(refname)',
      );
      expect(refs.trim().split('\n')).toEqual(['refs/heads/main']);

      // A feature branch and a tag are fine; the tag cannot move or go.
      await git(
        work,
        'push',
        '--quiet',
        remote,
        'HEAD:refs/heads/feature/login-v2',
      );
      await git(work, 'tag', 'v1.0.0');
      await git(work, 'push', '--quiet', remote, 'v1.0.0');
      await git(work, 'commit', '--quiet', '--allow-empty', '-m', 'Next');
      await git(work, 'tag', '--force', 'v1.0.0');
      await expect(
        git(work, 'push', '--force', remote, 'v1.0.0'),
      ).rejects.toThrow(/tags of this repository cannot be moved/);
      await expect(
        git(work, 'push', remote, ':refs/tags/v1.0.0'),
      ).rejects.toThrow(/rejected|cannot be deleted/);

      // Only the platform team may let a repository's tags move.
      const patch = { protectTags: false };
      expect(
        (await call('patch', alice, '/repositories/refs', patch)).status,
      ).toBe(403);
      const opened = await call('patch', pat, '/repositories/refs', patch);
      expect(opened.status).toBe(200);
      expect(opened.body.protectTags).toBe(false);
      await git(work, 'push', '--quiet', '--force', remote, 'v1.0.0');
      const { stdout: tagged } = await git(
        path.join(tmp, 'repos', 'refs.git'),
        'rev-parse',
        'v1.0.0^{commit}',
      );
      const { stdout: local } = await git(work, 'rev-parse', 'HEAD');
      expect(tagged.trim()).toBe(local.trim());
    });

    it('lets a resumed task reuse its repository, and owners delete an empty one', async () => {
      const body = {
        name: 'half-made',
        owner: 'group:default/payments',
        taskId: 'task-1',
      };
      const first = await call('post', alice, '/repositories', body);
      expect(first.status).toBe(201);
      expect(first.body.createdByTask).toBe('task-1');
      // The same task gets it back; any other request is a conflict.
      const again = await call('post', alice, '/repositories', body);
      expect(again.status).toBe(200);
      expect(again.body.createdAt).toBe(first.body.createdAt);
      const other = await call('post', alice, '/repositories', {
        ...body,
        taskId: 'task-2',
      });
      expect(other.status).toBe(409);
      expect(other.body.error.message).toMatch(/already exists/);

      // bob may not delete payments' repository, alice may while it is empty.
      expect(
        (await call('delete', bob, '/repositories/half-made')).status,
      ).toBe(403);
      expect(
        (await call('delete', alice, '/repositories/half-made')).status,
      ).toBe(204);
      expect(fs.existsSync(path.join(tmp, 'repos', 'half-made.git'))).toBe(
        false,
      );
      expect((await call('get', alice, '/repositories/half-made')).status).toBe(
        404,
      );

      // One that holds work is for the platform team to remove.
      await call('post', alice, '/repositories', {
        name: 'has-work',
        owner: 'group:default/payments',
      }).expect(201);
      await seeded('has-work', alice);
      const refused = await call('delete', alice, '/repositories/has-work');
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(
        /has commits; only the platform team may delete/,
      );
      expect((await call('delete', pat, '/repositories/has-work')).status).toBe(
        204,
      );
    });
  },
);
