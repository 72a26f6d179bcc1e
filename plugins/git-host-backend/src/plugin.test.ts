import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { gitHostPlugin } from './plugin';
import { as, git, teamServices, withToken } from './__testUtils__';

jest.setTimeout(60_000);

const execFileAsync = promisify(execFile);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('git host', () => {
  it.each(databases.eachSupportedId())(
    'hosts repositories for the git client, on %p',
    async (databaseId: TestDatabaseId) => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-git-host-'));
      const backend = await startTestBackend({
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
      const { port } = backend.server.address() as AddressInfo;
      const api = `http://localhost:${port}/api/git-host`;
      // alice is in payments, which owns the repositories.
      const user = as('user:default/alice');
      const post = (url: string, body: object = {}) =>
        request(backend.server)
          .post(`/api/git-host${url}`)
          .set('Authorization', user)
          .send(body);

      try {
        // Create two repositories.
        const created = await post('/repositories', {
          name: 'shop',
          owner: 'group:default/payments',
        });
        expect(created.status).toBe(201);
        expect(created.body.cloneUrl).toBe(
          'http://paved.test/api/git-host/git/shop.git',
        );
        expect(
          (
            await post('/repositories', {
              name: 'other',
              owner: 'group:default/payments',
            })
          ).status,
        ).toBe(201);

        // A taken name is a clear conflict; nothing else changes.
        const taken = await post('/repositories', {
          name: 'shop',
          owner: 'group:default/payments',
        });
        expect(taken.status).toBe(409);
        expect(taken.body.error.message).toMatch(/already exists/);

        // Names that could escape the folder or reach a shell are refused.
        for (const name of [
          'Shop',
          'a b',
          '../x',
          'a/b',
          'a;b',
          '$(id)',
          '`id`',
          'a\nb',
          'x'.repeat(64),
          '-a',
          'a--b',
        ]) {
          const bad = await post('/repositories', {
            name,
            owner: 'group:default/payments',
          });
          expect(bad.status).toBe(400);
          expect(bad.body.error.message).toMatch(
            /lowercase letters, digits and single dashes/,
          );
        }
        expect(fs.readdirSync(path.join(tmp, 'repos')).sort()).toEqual([
          'other.git',
          'shop.git',
        ]);

        // Anonymous clones are refused.
        await expect(
          git(tmp, 'clone', `${api}/git/shop.git`, 'anon'),
        ).rejects.toThrow(/Authentication failed|401/);

        // A user's token pushes; the standard client clones it back.
        const userToken = (await post('/tokens')).body.token;
        const work = path.join(tmp, 'work');
        fs.mkdirSync(work);
        await git(work, 'init', '--quiet', '--initial-branch=main');
        fs.writeFileSync(path.join(work, 'README.md'), '# shop\n');
        await git(work, 'add', '.');
        await git(work, 'commit', '--quiet', '-m', 'First commit');
        await git(
          work,
          'push',
          withToken(`${api}/git/shop.git`, userToken),
          'main',
        );

        await git(
          tmp,
          'clone',
          '--quiet',
          withToken(`${api}/git/shop.git`, userToken),
          'copy',
        );
        expect(
          fs.readFileSync(path.join(tmp, 'copy', 'README.md'), 'utf8'),
        ).toBe('# shop\n');

        const listed = await request(backend.server)
          .get('/api/git-host/repositories')
          .set('Authorization', user);
        const shop = listed.body.items.find(
          (r: { name: string }) => r.name === 'shop',
        );
        expect(shop.owner).toBe('group:default/payments');
        expect(shop.lastCommit.message).toBe('First commit');

        // A deploy token reaches its own repository and no other.
        const deployToken = (await post('/repositories/shop/deploy-tokens'))
          .body.token;
        fs.writeFileSync(path.join(work, 'CHANGELOG.md'), '- second\n');
        await git(work, 'add', '.');
        await git(work, 'commit', '--quiet', '-m', 'Second commit');
        await git(
          work,
          'push',
          withToken(`${api}/git/shop.git`, deployToken),
          'main',
        );
        await expect(
          git(
            work,
            'push',
            withToken(`${api}/git/other.git`, deployToken),
            'main',
          ),
        ).rejects.toThrow(/403|not 'other'/);
        // ...and the refused push changed nothing there.
        const other = await request(backend.server)
          .get('/api/git-host/repositories/other')
          .set('Authorization', user)
          .expect(200);
        expect(other.body.name).toBe('other');
        expect(other.body.lastCommit).toBeUndefined();
        // History is never rewritten: no force-push, no deleting main.
        await git(work, 'commit', '--quiet', '--amend', '-m', 'Rewritten');
        await expect(
          git(
            work,
            'push',
            '--force',
            withToken(`${api}/git/shop.git`, userToken),
            'main',
          ),
        ).rejects.toThrow(/rejected|denied/);
        await expect(
          git(
            work,
            'push',
            withToken(`${api}/git/shop.git`, userToken),
            ':main',
          ),
        ).rejects.toThrow(/rejected|denied|deletion/);

        // git stopping early (wrong content type) with a large body, and a
        // client that gives up mid-push, leave the backend serving and no
        // git process behind.
        const gitAuth = `Basic ${Buffer.from(`paved:${userToken}`).toString(
          'base64',
        )}`;
        const early = await request(backend.server)
          .post('/api/git-host/git/shop.git/git-receive-pack')
          .set('Authorization', gitAuth)
          .set('Content-Type', 'text/plain')
          .send('x'.repeat(1024 * 1024));
        expect(early.status).toBe(415);
        await new Promise<void>(resolve => {
          const aborted = http.request(`${api}/git/shop.git/git-receive-pack`, {
            method: 'POST',
            headers: {
              Authorization: gitAuth,
              'Content-Type': 'application/x-git-receive-pack-request',
            },
          });
          aborted.on('error', () => resolve());
          aborted.write(Buffer.alloc(100 * 1024));
          setTimeout(() => {
            aborted.destroy();
            resolve();
          }, 300);
        });
        await new Promise(resolve => setTimeout(resolve, 500));
        const { stdout: children } = await execFileAsync('ps', [
          '-o',
          'args=',
          '--ppid',
          String(process.pid),
        ]);
        expect(children).not.toMatch(/http-backend/);
        expect(
          (
            await request(backend.server)
              .get('/api/git-host/repositories')
              .set('Authorization', user)
          ).status,
        ).toBe(200);

        // A browser following a repository link lands on the Repositories page.
        const browser = await request(backend.server).get(
          '/api/git-host/git/shop.git/-/tree/main/',
        );
        expect(browser.status).toBe(302);
        expect(browser.headers.location).toBe('http://paved.test/repositories');

        // An unknown token is refused too.
        await expect(
          git(
            work,
            'push',
            withToken(`${api}/git/shop.git`, 'paved_not-a-token'),
            'main',
          ),
        ).rejects.toThrow(/Authentication failed|401/);
      } finally {
        await backend.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
});
