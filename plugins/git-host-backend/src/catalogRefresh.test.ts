import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { gitHostPlugin } from './plugin';
import { gitHostUrlReaderFactory } from './urlReader';
import { as, git, teamUserInfo } from './__testUtils__';

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

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('catalog and the git host', () => {
  it.each(databases.eachSupportedId())(
    'registers a hosted catalog-info.yaml and follows pushes to it, on %p',
    async (databaseId: TestDatabaseId) => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-refresh-'));
      const backend = await startTestBackend({
        features: [
          gitHostPlugin,
          gitHostUrlReaderFactory,
          urlReaderServiceFactory,
          catalogPlugin,
          teamUserInfo,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://paved.test' },
              gitHost: { root: path.join(tmp, 'repos') },
              // Only a push-triggered refresh can update the entity in time.
              catalog: { processingInterval: { hours: 1 } },
            },
          }),
        ],
      });
      // alice is in payments. Her pushes use her Backstage token: the git
      // tokens' teams come from catalog Users, which this catalog lacks.
      const user = as('user:default/alice');
      const { port } = backend.server.address() as AddressInfo;
      const getEntity = async () => {
        const res = await request(backend.server)
          .get('/api/catalog/entities/by-name/component/default/shop')
          .set('Authorization', user);
        return res.status === 200 ? res.body : undefined;
      };
      const waitForDescription = async (description: string) => {
        const deadline = Date.now() + 20_000;
        while ((await getEntity())?.metadata.description !== description) {
          if (Date.now() > deadline) {
            throw new Error(`The catalog never showed '${description}'`);
          }
          await new Promise(resolve => setTimeout(resolve, 200));
        }
      };

      try {
        await request(backend.server)
          .post('/api/git-host/repositories')
          .set('Authorization', user)
          .send({ name: 'shop', owner: 'group:default/payments' })
          .expect(201);
        const token = user.slice('Bearer '.length);
        const remote = `http://paved:${encodeURIComponent(
          token,
        )}@localhost:${port}/api/git-host/git/shop.git`;

        const work = path.join(tmp, 'work');
        fs.mkdirSync(work);
        await git(work, 'init', '--quiet', '--initial-branch=main');
        fs.writeFileSync(
          path.join(work, 'catalog-info.yaml'),
          entityYaml('First version'),
        );
        await git(work, 'add', '.');
        await git(work, 'commit', '--quiet', '-m', 'Register shop');
        await git(work, 'push', '--quiet', remote, 'main');

        await request(backend.server)
          .post('/api/catalog/locations')
          .set('Authorization', user)
          .send({
            type: 'url',
            target:
              'http://paved.test/api/git-host/git/shop.git/-/blob/main/catalog-info.yaml',
          })
          .expect(201);
        await waitForDescription('First version');

        fs.writeFileSync(
          path.join(work, 'catalog-info.yaml'),
          entityYaml('Second version'),
        );
        await git(work, 'commit', '--quiet', '-am', 'Describe shop better');
        await git(work, 'push', '--quiet', remote, 'main');
        await waitForDescription('Second version');
        expect((await getEntity()).metadata.description).toBe('Second version');
      } finally {
        await backend.stop();
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
});
