import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// The real git host runs in the test backend; the action reaches it over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitHostPlugin from '@internal/plugin-git-host-backend';
import request from 'supertest';
import yaml from 'yaml';
import { createNamesCheckAction } from './namesCheck';
import { examples } from './namesCheck.examples';
import { GitHostClient } from './gitHostClient';

jest.setTimeout(60_000);

describe('paved:names:check', () => {
  let tmp: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: ReturnType<typeof createNamesCheckAction>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-names-'));
    backend = await startTestBackend({
      features: [
        gitHostPlugin,
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            getUserInfo: async () => ({
              userEntityRef: 'user:default/mock',
              ownershipEntityRefs: [
                'user:default/mock',
                'group:default/checkout',
              ],
            }),
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://paved.test' },
            gitHost: { root: path.join(tmp, 'repos') },
          },
        }),
      ],
    });
    const gitHostUrl = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }/api/git-host`;
    const discovery = {
      getBaseUrl: async () => gitHostUrl,
      getExternalBaseUrl: async () => gitHostUrl,
    };
    const auth = mockServices.auth();
    action = createNamesCheckAction({
      auth,
      gitHost: new GitHostClient(discovery, auth),
      catalog: catalogServiceMock({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'payments-api', namespace: 'default' },
            spec: { owner: 'group:default/payments' },
          },
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'API',
            metadata: { name: 'ledger-api', namespace: 'default' },
            spec: { owner: 'group:default/payments' },
          },
        ],
      }),
    });
    for (const [name, taskId] of [
      ['cart', undefined],
      ['resumed', 'task-7'],
    ]) {
      await request(backend.server)
        .post('/api/git-host/repositories')
        .set('Authorization', mockCredentials.user.header())
        .send({ name, owner: 'group:default/checkout', taskId })
        .expect(201);
    }
  });

  afterAll(async () => {
    await backend.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const check = async (input: object, taskId = 'task-1') => {
    const ctx = createMockActionContext({ input });
    Object.assign(ctx, { task: { id: taskId } });
    await action.handler(ctx as any);
    return ctx;
  };

  it('refuses a name the catalog already has, naming the entity and its owner', async () => {
    await expect(check({ name: 'payments-api', api: true })).rejects.toThrow(
      'component:default/payments-api is already in the catalog, owned by group:default/payments: choose another name',
    );
    // ledger's API would be ledger-api, which payments has.
    await expect(check({ name: 'ledger', api: true })).rejects.toThrow(
      /api:default\/ledger-api is already in the catalog, owned by group:default\/payments/,
    );
    // Without an API, only the component counts.
    await check({ name: 'ledger' });
  });

  it('refuses a name a repository has, unless this task made it', async () => {
    await expect(check({ name: 'cart' })).rejects.toThrow(
      "A repository named 'cart' already exists on the git host (checkout/cart, owned by group:default/checkout)",
    );
    await check({ name: 'resumed' }, 'task-7');
  });

  it('names the API without doubling its suffix', async () => {
    const ctx = await check({ name: 'orders-api', api: true });
    expect(ctx.output).toHaveBeenCalledWith('componentName', 'orders-api');
    expect(ctx.output).toHaveBeenCalledWith('apiName', 'orders-api');
    const plain = await check({ name: 'orders', api: true });
    expect(plain.output).toHaveBeenCalledWith('apiName', 'orders-api');
  });

  it('refuses a name that breaks the rule before asking anyone', async () => {
    await expect(check({ name: '../x' })).rejects.toThrow(
      /lowercase letters, digits and single dashes/,
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      const ctx = await check(step.input);
      expect(ctx.output).toHaveBeenCalledWith('apiName', 'checkout-api');
    },
  );
});
