import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import fs from 'node:fs';
import request from 'supertest';
import { as, git, teamUserInfo } from './__testUtils__';
import { databases, startGitHost } from './__testUtils__/harness';

jest.setTimeout(60_000);

const entityYaml = (description: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  description: ${description}
spec:
  type: service
  lifecycle: experimental
  owner: group:default/payments
`;

describe.each(databases.eachSupportedId())(
  'the catalog and the git host, on %p',
  (databaseId: TestDatabaseId) => {
    it('registers a hosted catalog-info.yaml and follows pushes to it', async () => {
      // The real catalog, reading with Backstage's Gitea URL reader; alice
      // (payments) pushes with her Backstage token, as this catalog has no
      // Users for git tokens' teams.
      const host = await startGitHost(
        databaseId,
        {},
        [catalogPlugin, urlReaderServiceFactory],
        [teamUserInfo],
      );
      const alice = as('user:default/alice');
      const entity = async () => {
        const res = await request(host.backend.server)
          .get('/api/catalog/entities/by-name/component/default/shop')
          .set('Authorization', alice);
        return res.status === 200 ? res.body : undefined;
      };
      const waitFor = async (description: string) => {
        const deadline = Date.now() + 30_000;
        while ((await entity())?.metadata.description !== description) {
          if (Date.now() > deadline) {
            throw new Error(`The catalog never showed '${description}'`);
          }
          await new Promise(resolve => setTimeout(resolve, 200));
        }
      };
      try {
        const { cloneUrl } = await host.create('user:default/alice', 'shop');
        const remote = cloneUrl.replace(
          'http://',
          `http://paved:${encodeURIComponent(alice.slice('Bearer '.length))}@`,
        );
        const work = `${host.tmp}/work`;
        await git(host.tmp, 'init', '--quiet', '--initial-branch=main', work);
        fs.writeFileSync(
          `${work}/catalog-info.yaml`,
          entityYaml('First version'),
        );
        await git(work, 'add', '.');
        await git(work, 'commit', '--quiet', '-m', 'Register shop');
        await git(work, 'push', '--quiet', remote, 'main');
        await request(host.backend.server)
          .post('/api/catalog/locations')
          .set('Authorization', alice)
          .send({
            type: 'url',
            target: `${host.base}/payments/shop/src/branch/main/catalog-info.yaml`,
          })
          .expect(201);
        await waitFor('First version');

        fs.writeFileSync(
          `${work}/catalog-info.yaml`,
          entityYaml('Second version'),
        );
        await git(work, 'commit', '--quiet', '-am', 'Describe shop better');
        await git(work, 'push', '--quiet', remote, 'main');
        await waitFor('Second version');
        expect((await entity()).metadata.description).toBe('Second version');
      } finally {
        await host.stop();
      }
    });
  },
);
