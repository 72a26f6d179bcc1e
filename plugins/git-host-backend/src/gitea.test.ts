import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { createPublishGiteaAction } from '@backstage/plugin-scaffolder-backend-module-gitea';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  databases,
  GitHostHarness,
  integrationToken,
  startGitHost,
} from './__testUtils__/harness';
import { git, withToken } from './__testUtils__';

jest.setTimeout(120_000);

const alice = 'user:default/alice'; // payments

describe.each(databases.eachSupportedId())(
  'the git host as a Gitea to Backstage, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;

    beforeAll(async () => {
      host = await startGitHost(databaseId);
    });
    afterAll(() => host?.stop());

    it("is read by Backstage's own Gitea URL reader", async () => {
      const { fullName } = await host.create(alice, 'shop');
      expect(fullName).toBe('payments/shop');
      await host.pushFiles(alice, fullName, {
        'catalog-info.yaml': 'kind: Component\n',
        'templates/web/template.yaml': 'kind: Template\n',
        'templates/web/skeleton/README.md': '# ${{ values.name }}\n',
        'templates/web/skeleton/src/index.ts': 'export {};\n',
      });
      const file = `${host.base}/payments/shop/src/branch/main/catalog-info.yaml`;

      const read = await host.reader.readUrl(file);
      expect((await read.buffer()).toString()).toBe('kind: Component\n');

      const tree = await host.reader.readTree(
        `${host.base}/payments/shop/src/branch/main/templates/web/skeleton`,
      );
      const files = await tree.files();
      expect(files.map(f => f.path).sort()).toEqual([
        'README.md',
        'src/index.ts',
      ]);
      // Unchanged since: the commit is the etag.
      await expect(
        host.reader.readTree(
          `${host.base}/payments/shop/src/branch/main/templates/web/skeleton`,
          { etag: tree.etag },
        ),
      ).rejects.toMatchObject({ name: 'NotModifiedError' });

      const found = await host.reader.search(file);
      expect(found.files).toHaveLength(1);
      expect((await found.files[0].content()).toString()).toBe(
        'kind: Component\n',
      );
      const none = await host.reader.search(
        `${host.base}/payments/shop/src/branch/main/nothing.yaml`,
      );
      expect(none.files).toHaveLength(0);

      await expect(
        host.reader.readUrl(
          `${host.base}/payments/shop/src/branch/main/missing.yaml`,
        ),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
    });

    it('gives relative template URLs the integration resolves', async () => {
      const integrations = ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitea: [
              {
                host: host.forwarder.host,
                baseUrl: host.base,
              },
            ],
          },
        }),
      );
      const template = `${host.base}/payments/shop/src/branch/main/templates/web/template.yaml`;
      const skeleton = integrations.resolveUrl({
        url: './skeleton',
        base: template,
      });
      expect(skeleton).toBe(
        `${host.base}/payments/shop/src/branch/main/templates/web/skeleton`,
      );
      const tree = await host.reader.readTree(skeleton);
      expect((await tree.files()).length).toBe(2);
    });

    it("reads catalog:register's usual /catalog-info.yaml against a Gitea URL", async () => {
      const integrations = ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitea: [{ host: host.forwarder.host, baseUrl: host.base }],
          },
        }),
      );
      // What catalog:register does with repoContentsUrl and catalogInfoPath.
      const url = integrations.resolveUrl({
        base: `${host.base}/payments/shop/src/branch/main/`,
        url: '/catalog-info.yaml',
      });
      expect(url).toBe(
        `${host.base}/payments/shop/src/branch/catalog-info.yaml`,
      );
      const read = await host.reader.readUrl(url);
      expect((await read.buffer()).toString()).toBe('kind: Component\n');
    });

    it('publishes with publish:gitea: a repository owned by the group, pushed', async () => {
      const config = new ConfigReader({
        integrations: {
          gitea: [
            {
              host: host.forwarder.host,
              baseUrl: host.base,
              username: 'gitea-integration',
              password: integrationToken,
            },
          ],
        },
      });
      const action = createPublishGiteaAction({
        integrations: ScmIntegrations.fromConfig(config),
        config,
      });
      const ctx = createMockActionContext({
        input: {
          repoUrl: `${host.forwarder.host}?repo=published&owner=payments`,
          description: 'Made by publish:gitea',
        },
      });
      fs.mkdirSync(ctx.workspacePath, { recursive: true });
      fs.writeFileSync(path.join(ctx.workspacePath, 'README.md'), '# hi\n');
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'repoContentsUrl',
        `${host.base}/payments/published/src/branch/main/`,
      );
      const repo = await host.call(
        'get',
        alice,
        '/repositories/payments/published',
      );
      expect(repo.status).toBe(200);
      expect(repo.body).toMatchObject({
        owner: 'group:default/payments',
        fullName: 'payments/published',
        description: 'Made by publish:gitea',
        visibility: 'internal',
        createdBy: 'gitea-integration',
        lastCommit: { message: expect.stringMatching(/^initial commit/) },
      });
      const readme = await host.reader.readUrl(
        `${host.base}/payments/published/src/branch/main/README.md`,
      );
      expect((await readme.buffer()).toString()).toBe('# hi\n');

      // An owner that is no group in the catalog is refused by publish:gitea's own check.
      const nowhere = createMockActionContext({
        input: {
          repoUrl: `${host.forwarder.host}?repo=lost&owner=nobody`,
          description: 'x',
        },
      });
      await expect(action.handler(nowhere)).rejects.toThrow(
        /Organization nobody do not exist/,
      );
    });

    it('keeps URLs of the flat repositories of earlier releases working', async () => {
      await host.create(alice, 'oldone');
      await host.pushFiles(alice, 'payments/oldone', {
        'catalog-info.yaml': 'old\n',
      });
      // What the migration leaves for a repository made before owners
      // (rows: migrations.test.ts): its flat name.
      await host
        .knex('git_host_repos')
        .where({ name: 'oldone' })
        .update({ legacy_name: 'oldone' });
      const legacy = `${host.base}/git/oldone.git/-/blob/main/catalog-info.yaml`;
      expect(
        (await (await host.reader.readUrl(legacy)).buffer()).toString(),
      ).toBe('old\n');
      const clone = path.join(host.tmp, 'legacy-clone');
      await git(
        host.tmp,
        'clone',
        '--quiet',
        withToken(`${host.base}/git/oldone.git`, await host.tokenOf(alice)),
        clone,
      );
      expect(
        fs.readFileSync(path.join(clone, 'catalog-info.yaml'), 'utf8'),
      ).toBe('old\n');
    });

    it('names a repository whose folder is gone, for the catalog to show', async () => {
      await host.create(alice, 'vanishing');
      await host.pushFiles(alice, 'payments/vanishing', {
        'catalog-info.yaml': 'kind: Component\n',
      });
      fs.rmSync(path.join(host.tmp, 'repos', 'payments', 'vanishing.git'), {
        recursive: true,
        force: true,
      });
      await expect(
        host.reader.readUrl(
          `${host.base}/payments/vanishing/src/branch/main/catalog-info.yaml`,
        ),
      ).rejects.toThrow(/404/);
      const res = await host.call(
        'get',
        alice,
        '/api/v1/repos/payments/vanishing/contents/catalog-info.yaml?ref=main',
      );
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(
        /registered, but its folder .* is missing/,
      );
    });

    it('sends browsers to the portal and tells programs whether a branch exists', async () => {
      const page = await request(host.backend.server)
        .get('/api/git-host/payments/shop/src/branch/main/templates/web')
        .set('Accept', 'text/html');
      expect(page.status).toBe(302);
      expect(page.headers.location).toBe(
        'http://portal.test/repositories/payments/shop/src/main/templates/web',
      );
      const edit = await request(host.backend.server)
        .get('/api/git-host/payments/shop/_edit/main/catalog-info.yaml')
        .set('Accept', 'text/html');
      expect(edit.headers.location).toBe(
        'http://portal.test/repositories/payments/shop/src/main/catalog-info.yaml',
      );
      const probe = await request(host.backend.server).get(
        '/api/git-host/payments/shop/src/branch/main',
      );
      expect(probe.status).toBe(200);
      const missing = await request(host.backend.server).get(
        '/api/git-host/payments/shop/src/branch/nope',
      );
      expect(missing.status).toBe(404);
    });
  },
);
