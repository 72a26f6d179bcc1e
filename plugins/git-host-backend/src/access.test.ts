import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  databases,
  GitHostHarness,
  startGitHost,
} from './__testUtils__/harness';
import { git, withToken } from './__testUtils__';

jest.setTimeout(120_000);

const alice = 'user:default/alice'; // payments
const bob = 'user:default/bob'; // checkout
const pat = 'user:default/pat'; // platform

describe.each(databases.eachSupportedId())(
  'who may do what on the git host, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;
    let work: string;

    beforeAll(async () => {
      host = await startGitHost(databaseId, {
        gitHost: { tokens: { defaultExpiryDays: 30, maxExpiryDays: 60 } },
      });
      await host.create(alice, 'shop');
      work = await host.pushFiles(alice, 'payments/shop', {
        'README.md': '# shop\n',
      });
    });
    afterAll(() => host?.stop());

    const push = async (token: string, branch = 'main') => {
      fs.writeFileSync(path.join(work, 'README.md'), `# ${Math.random()}\n`);
      await git(work, 'commit', '--quiet', '-am', 'More');
      return git(
        work,
        'push',
        '--quiet',
        host.cloneUrl('payments/shop', token),
        `HEAD:refs/heads/${branch}`,
      );
    };

    it('creates repositories only for your own groups', async () => {
      const res = await host.call('post', bob, '/repositories', {
        name: 'taken-over',
        owner: 'group:default/payments',
      });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Only members of group:default/payments or the platform team may create repositories for it',
      );
      // The platform team may create for anyone.
      expect(
        (
          await host.call('post', pat, '/repositories', {
            name: 'by-platform',
            owner: 'group:default/payments',
          })
        ).status,
      ).toBe(201);
      // Gitea's API, with a user's token, applies the same rule.
      const viaGitea = await host.call(
        'post',
        bob,
        '/api/v1/orgs/payments/repos',
        { name: 'sneaky' },
      );
      expect(viaGitea.status).toBe(403);
    });

    it('refuses a push, a merge and a deploy token to another team, saying who may', async () => {
      const bobs = await host.tokenOf(bob);
      await expect(push(bobs)).rejects.toThrow(
        /Only members of group:default\/payments or the platform team may push to or merge into 'payments\/shop'/,
      );
      // bob can still read an internal repository.
      const clone = path.join(host.tmp, 'bob-clone');
      await git(
        host.tmp,
        'clone',
        '--quiet',
        host.cloneUrl('payments/shop', bobs),
        clone,
      );
      expect(fs.readFileSync(path.join(clone, 'README.md'), 'utf8')).toMatch(
        /^# /,
      );

      const deploy = await host.call(
        'post',
        bob,
        '/repositories/payments/shop/deploy-tokens',
        { scope: 'read' },
      );
      expect(deploy.status).toBe(403);
      expect(deploy.body.error.message).toMatch(
        /Only members of group:default\/payments or the platform team/,
      );

      await push(await host.tokenOf(alice), 'feature');
      const cr = await host.call(
        'post',
        alice,
        '/api/v1/repos/payments/shop/pulls',
        { title: 'A feature', head: 'feature' },
      );
      expect(cr.status).toBe(201);
      const merge = await host.call(
        'post',
        bob,
        `/api/v1/repos/payments/shop/pulls/${cr.body.number}/merge`,
        { Do: 'merge' },
      );
      expect(merge.status).toBe(403);
      expect(merge.body.error.message).toMatch(
        /may push to or merge into 'payments\/shop'/,
      );
      const open = await host.call(
        'post',
        bob,
        '/api/v1/repos/payments/shop/pulls',
        { title: 'Mine', head: 'feature' },
      );
      expect(open.status).toBe(403);
    });

    it("refuses another team's settings, deletes and change-request closes, and tag rules to all but the platform team", async () => {
      const settings = await host.call(
        'patch',
        bob,
        '/repositories/payments/shop',
        {
          visibility: 'private',
        },
      );
      expect(settings.status).toBe(403);
      expect(settings.body.error.message).toMatch(
        /Only members of group:default\/payments or the platform team may administer/,
      );
      const removed = await host.call(
        'delete',
        bob,
        '/repositories/payments/shop',
      );
      expect(removed.status).toBe(403);
      const tags = await host.call(
        'patch',
        alice,
        '/repositories/payments/shop',
        {
          protectTags: false,
        },
      );
      expect(tags.status).toBe(403);
      expect(tags.body.error.message).toMatch(/Only the platform team/);

      await push(await host.tokenOf(alice), 'to-close');
      const cr = await host.call(
        'post',
        alice,
        '/api/v1/repos/payments/shop/pulls',
        {
          title: 'To close',
          head: 'to-close',
        },
      );
      const close = await host.call(
        'patch',
        bob,
        `/api/v1/repos/payments/shop/pulls/${cr.body.number}`,
        {
          state: 'closed',
        },
      );
      expect(close.status).toBe(403);
      const still = await host.call(
        'get',
        alice,
        `/api/v1/repos/payments/shop/pulls/${cr.body.number}`,
      );
      expect(still.body.state).toBe('open');
      expect(
        (await host.call('get', alice, '/repositories/payments/shop')).body
          .visibility,
      ).toBe('internal');
    });

    it('asks anonymous callers to sign in', async () => {
      const api = await host.call('get', undefined, '/repositories');
      expect(api.status).toBe(401);
      const gitInfo = await request(host.backend.server).get(
        '/api/git-host/payments/shop.git/info/refs?service=git-upload-pack',
      );
      expect(gitInfo.status).toBe(401);
      expect(gitInfo.headers['www-authenticate']).toMatch(/Basic/);
    });

    it('keeps private repositories to their owners', async () => {
      await host.create(alice, 'secret', 'group:default/payments', {
        visibility: 'private',
      });
      const list = await host.call('get', bob, '/repositories');
      expect(
        list.body.items.map((r: { fullName: string }) => r.fullName),
      ).not.toContain('payments/secret');
      // As if it did not exist, to bob and to the Gitea integration, which
      // reads for whoever registers a location or runs a template.
      for (const url of [
        '/repositories/payments/secret',
        '/api/v1/repos/payments/secret/contents?ref=main',
      ]) {
        const res = await host.call('get', bob, url);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(
          "No repository named 'payments/secret'",
        );
      }
      await host.pushFiles(alice, 'payments/secret', {
        'catalog-info.yaml': 'secret\n',
      });
      await expect(
        host.reader.readUrl(
          `${host.base}/payments/secret/src/branch/main/catalog-info.yaml`,
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      expect(
        (await host.call('get', pat, '/repositories/payments/secret')).status,
      ).toBe(200);
      const mine = (
        await host.call('get', alice, '/repositories')
      ).body.items.find(
        (r: { fullName: string }) => r.fullName === 'payments/secret',
      );
      expect(mine.permissions).toEqual({
        read: true,
        write: true,
        admin: true,
      });
    });

    it('expires tokens and revokes them, and lists your own with their last use', async () => {
      const tooLong = await host.call('post', alice, '/tokens', {
        expiresInDays: 61,
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(/from 1 to 60/);

      const issued = await host.call('post', alice, '/tokens', {
        name: 'laptop',
      });
      expect(issued.status).toBe(201);
      const days =
        (Date.parse(issued.body.expiresAt) - Date.now()) / 86_400_000;
      expect(Math.round(days)).toBe(30);
      await push(issued.body.token);

      const listed = (await host.call('get', alice, '/tokens')).body.items.find(
        (t: { id: string }) => t.id === issued.body.id,
      );
      expect(listed).toMatchObject({ name: 'laptop', scope: 'write' });
      expect(listed.lastUsedAt).toBeDefined();
      expect(listed.token).toBeUndefined();

      // bob may not revoke alice's token.
      expect(
        (await host.call('delete', bob, `/tokens/${issued.body.id}`)).status,
      ).toBe(403);
      expect(
        (await host.call('delete', alice, `/tokens/${issued.body.id}`)).status,
      ).toBe(204);
      await expect(push(issued.body.token)).rejects.toThrow(/was revoked on/);

      // A token past its expiry (set in the database, as time passing would).
      const expiring = await host.call('post', alice, '/tokens', {
        name: 'old',
        expiresInDays: 1,
      });
      await host.expireToken(expiring.body.id);
      await expect(push(expiring.body.token)).rejects.toThrow(/expired on/);
      const api = await request(host.backend.server)
        .get('/api/git-host/repositories')
        .set('Authorization', `token ${expiring.body.token}`);
      expect(api.status).toBe(401);
      expect(api.body.error.message).toMatch(/expired on/);
    });

    it('scopes deploy tokens to one repository, for reading or writing', async () => {
      await host.create(alice, 'other');
      const read = await host.call(
        'post',
        alice,
        '/repositories/payments/shop/deploy-tokens',
        { scope: 'read', name: 'ci' },
      );
      expect(read.status).toBe(201);
      expect(read.body).toMatchObject({
        repository: 'payments/shop',
        scope: 'read',
        name: 'ci',
      });
      await expect(push(read.body.token, 'deploy-read')).rejects.toThrow(
        /deploy token \('ci'\) is for payments\/shop with read access/,
      );
      const clone = path.join(host.tmp, 'deploy-clone');
      await git(
        host.tmp,
        'clone',
        '--quiet',
        host.cloneUrl('payments/shop', read.body.token),
        clone,
      );

      const write = await host.call(
        'post',
        alice,
        '/repositories/payments/shop/deploy-tokens',
        { scope: 'write' },
      );
      await push(write.body.token, 'deploy-write');
      // Another repository, even of the same team, is out of reach.
      await expect(
        git(
          host.tmp,
          'clone',
          '--quiet',
          withToken(`${host.base}/payments/other.git`, write.body.token),
          path.join(host.tmp, 'x'),
        ),
      ).rejects.toThrow(/404|No repository named/);
      // A deploy token issues no tokens.
      const more = await request(host.backend.server)
        .post('/api/git-host/repositories/payments/shop/deploy-tokens')
        .set('Authorization', `token ${write.body.token}`)
        .send({});
      expect(more.status).toBe(403);

      const listed = await host.call(
        'get',
        alice,
        '/repositories/payments/shop/deploy-tokens',
      );
      expect(listed.body.items).toHaveLength(2);
      expect(
        (
          await host.call(
            'get',
            bob,
            '/repositories/payments/shop/deploy-tokens',
          )
        ).status,
      ).toBe(403);
      expect(
        (await host.call('delete', alice, `/tokens/${write.body.id}`)).status,
      ).toBe(204);
      await expect(push(write.body.token, 'deploy-write')).rejects.toThrow(
        /revoked/,
      );
    });

    it('ends the git tokens of someone who left the organization, and lets no git token issue tokens', async () => {
      // zed signs in (a Backstage token), issues a git token, then leaves:
      // the catalog has no User for zed.
      const zeds = await host.tokenOf('user:default/zed');
      const res = await request(host.backend.server)
        .get('/api/git-host/repositories')
        .set('Authorization', `token ${zeds}`);
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/no longer in the catalog/);

      const alices = await host.tokenOf(alice);
      const minted = await request(host.backend.server)
        .post('/api/git-host/repositories/payments/shop/deploy-tokens')
        .set('Authorization', `token ${alices}`)
        .send({ scope: 'write' });
      expect(minted.status).toBe(403);
      expect(minted.body.error.message).toMatch(
        /git token cannot issue tokens/,
      );
    });

    it('records every create, push, merge, token issue and revoke as an auditor event', async () => {
      const events = host.auditEvents();
      const ids = new Set(events.map(e => e.eventId));
      for (const id of [
        'git-repository-create',
        'git-push',
        'git-change-request-open',
        'git-token-issue',
        'git-token-revoke',
      ]) {
        expect(ids).toContain(id);
      }
      const refusedPush = events.find(
        e =>
          e.eventId === 'git-push' &&
          e.status === 'failed' &&
          e.meta.actor === bob,
      );
      expect(refusedPush).toBeDefined();
      const push1 = events.find(
        e => e.eventId === 'git-push' && e.status === 'succeeded',
      );
      expect(push1?.meta).toMatchObject({
        actor: alice,
        repository: 'payments/shop',
      });
    });
  },
);
