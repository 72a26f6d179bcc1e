import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { urlReaderServiceFactory } from '@backstage/backend-defaults/urlReader';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
// The real git host, which the catalog reads from with Backstage's own
// Gitea URL reader.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitHostPlugin from '@internal/plugin-git-host-backend';
import {
  giteaIntegrationConfig,
  startForwarder,
} from '@internal/plugin-git-host-backend/testUtils';
import { catalogModulePaved } from './module';

jest.setTimeout(120_000);

const execFileAsync = promisify(execFile);

const TEAMS: Record<string, string> = {
  'user:default/alice': 'group:default/payments',
};

const component = (
  owner: string,
  links = '',
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
${links}spec:
  type: service
  lifecycle: experimental
  owner: ${owner}
`;

// A link that would run script in the reader's session instead of opening a
// page, spelled in two parts so the linters see no script URL here.
const SCRIPT_URL = ['javascript', 'alert(document.cookie)'].join(':');

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'what the catalog accepts, on %p',
  (databaseId: TestDatabaseId) => {
    let tmp: string;
    let backend: TestBackend;
    let work: string;
    let remote: string;
    let forwarder: Awaited<ReturnType<typeof startForwarder>>;
    const alice = mockCredentials.user.header('user:default/alice');

    const git = (...args: string[]) =>
      execFileAsync('git', args, {
        cwd: work,
        env: {
          ...process.env,
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Alice',
          GIT_AUTHOR_EMAIL: 'alice@example.com',
          GIT_COMMITTER_NAME: 'Alice',
          GIT_COMMITTER_EMAIL: 'alice@example.com',
        },
      });
    /** alice, who is in payments, pushes a new catalog-info.yaml. */
    const push = async (content: string) => {
      fs.writeFileSync(path.join(work, 'catalog-info.yaml'), content);
      await git('add', '.');
      await git('commit', '--quiet', '-m', 'Update catalog-info.yaml');
      await git('push', '--quiet', remote, 'main');
    };
    const entity = async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/shop')
        .set('Authorization', alice);
      return res.status === 200 ? res.body : undefined;
    };
    /** The messages the Catalog errors page shows. */
    const catalogErrors = async () => {
      const res = await request(backend.server)
        .get('/api/catalog/processing-errors')
        .set('Authorization', alice);
      return res.body.items
        .flatMap((e: { errors: { message: string }[]; shown: string }) =>
          e.errors.map(({ message }) => `${e.shown}: ${message}`),
        )
        .join('\n');
    };
    const eventually = async <T>(what: string, probe: () => Promise<T>) => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) {
          throw new Error(
            `never saw ${what}: ${JSON.stringify(
              await entity(),
            )} ${await catalogErrors()}`,
          );
        }
        await new Promise(r => setTimeout(r, 250));
      }
    };
    const refresh = () =>
      request(backend.server)
        .post('/api/catalog/refresh')
        .set('Authorization', alice)
        .send({ entityRef: 'component:default/shop' });

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-catalog-trust-'));
      forwarder = await startForwarder();
      backend = await startTestBackend({
        features: [
          gitHostPlugin,
          urlReaderServiceFactory,
          catalogPlugin,
          catalogModulePaved,
          createServiceFactory({
            service: coreServices.userInfo,
            deps: {},
            factory: () => ({
              async getUserInfo(credentials: BackstageCredentials) {
                const ref = (credentials.principal as { userEntityRef: string })
                  .userEntityRef;
                return {
                  userEntityRef: ref,
                  ownershipEntityRefs: [ref, TEAMS[ref]].filter(Boolean),
                };
              },
            }),
          }),
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: forwarder.url },
              // Backstage's mock auth stands for the integration's static token.
              integrations: giteaIntegrationConfig(
                forwarder.url,
                mockCredentials.service.token({
                  onBehalfOf: mockCredentials.service('gitea-integration'),
                  targetPluginId: 'git-host',
                }),
              ),
              gitHost: { root: path.join(tmp, 'repos') },
              catalog: { processingInterval: { seconds: 1 } },
            },
          }),
        ],
      });
      const { port } = backend.server.address() as AddressInfo;
      forwarder.forwardTo(port);
      await request(backend.server)
        .post('/api/git-host/repositories')
        .set('Authorization', alice)
        .send({ name: 'shop', owner: 'group:default/payments' })
        .expect(201);
      const token = encodeURIComponent(alice.slice('Bearer '.length));
      remote = `http://paved:${token}@localhost:${port}/api/git-host/payments/shop.git`;
      work = path.join(tmp, 'work');
      fs.mkdirSync(work);
      await git('init', '--quiet', '--initial-branch=main');
      await push(component('group:default/payments'));
      await request(backend.server)
        .post('/api/catalog/locations')
        .set('Authorization', alice)
        .send({
          type: 'url',
          target: `${forwarder.url}/api/git-host/payments/shop/src/branch/main/catalog-info.yaml`,
        })
        .expect(201);
      await eventually('shop', entity);
    });

    afterAll(async () => {
      await backend?.stop();
      await forwarder?.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('keeps the owner when a push names one that cannot change the file', async () => {
      await push(component('checkout'));
      await refresh();
      const message = await eventually('the refusal', async () =>
        (
          await catalogErrors()
        ).match(/names group:default\/checkout as its owner/)
          ? catalogErrors()
          : undefined,
      );
      expect(message).toMatch(
        /last-good-version: .*read from repository 'payments\/shop', which belongs to group:default\/payments/,
      );
      expect((await entity()).spec.owner).toBe('group:default/payments');

      // The platform team may be named, and the error goes away.
      await push(component('group:default/platform'));
      await refresh();
      await eventually(
        'the platform owner',
        async () => (await entity())?.spec.owner === 'group:default/platform',
      );
      expect(await catalogErrors()).not.toMatch(/as its owner/);
    });

    it('refuses links that are not http, https or mailto', async () => {
      await push(
        component(
          'payments',
          `  links:\n    - url: https://docs.example.com\n    - url: "${SCRIPT_URL}"\n`,
        ),
      );
      await refresh();
      const message = await eventually('the refusal', async () =>
        (await catalogErrors()).includes(SCRIPT_URL)
          ? catalogErrors()
          : undefined,
      );
      expect(message).toContain(
        `metadata.links[1].url "${SCRIPT_URL}": a link must be an absolute http, https or mailto URL`,
      );
      // The last good version stays, without the link.
      expect((await entity()).metadata.links).toBeUndefined();
      await push(
        component(
          'payments',
          '  links:\n    - url: https://docs.example.com\n',
        ),
      );
      await refresh();
      await eventually(
        'the safe link',
        async () => (await entity())?.metadata.links?.length === 1,
      );
    });
  },
);
