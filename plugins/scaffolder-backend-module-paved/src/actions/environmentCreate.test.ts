import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// The real environments plugin, reached over HTTP as in the portal.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import environmentsPlugin from '@internal/plugin-environments-backend';
import yaml from 'yaml';
import { createEnvironmentCreateAction } from './environmentCreate';
import { examples } from './environmentCreate.examples';

// Real Terraform and the real environments plugin (permissions off here;
// the policy has its own test in packages/backend).
jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, '../../../..');
const suffix = Date.now().toString(36);

/** The services of the examples (and one more), as the catalog has them. */
const entities = [
  ...examples.map(e => yaml.parse(e.example).steps[0].input),
  { service: 'component:default/shop', owner: 'group:default/payments' },
].map(({ service, owner }) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `${service.split('/')[1]}-${suffix}`,
    namespace: 'default',
  },
  spec: { type: 'service', owner, lifecycle: 'experimental' },
}));
const withSuffix = (service: string) => `${service}-${suffix}`;

describe('paved:environment:create', () => {
  let tmp: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: ReturnType<typeof createEnvironmentCreateAction>;
  const created: string[] = [];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-env-action-'));
    backend = await startTestBackend({
      features: [
        environmentsPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            paved: {
              environments: {
                modulesDir: path.join(repoRoot, 'terraform/modules'),
                dataDir: tmp,
                encryptionKey: 'action-test-key-action-test-key-1234',
              },
            },
          },
        }),
      ],
    });
    const url = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }/api/environments`;
    action = createEnvironmentCreateAction({
      config: new ConfigReader({ app: { baseUrl: 'http://paved.test' } }),
      discovery: {
        getBaseUrl: async () => url,
        getExternalBaseUrl: async () => url,
      },
      auth: mockServices.auth(),
      catalog: catalogServiceMock({ entities }),
      catalogWaitMs: 1500,
    });
  });

  afterAll(async () => {
    // Leave nothing behind on the machine's services.
    for (const id of created) {
      const res = await request(backend.server)
        .post(`/api/environments/environments/${id}/runs`)
        .set('Authorization', mockCredentials.user.header())
        .send({ kind: 'destroy' });
      if (res.status !== 202) {
        throw new Error(`Could not destroy ${id}: ${res.text}`);
      }
      for (;;) {
        const run = await request(backend.server)
          .get(`/api/environments/runs/${res.body.id}`)
          .set('Authorization', mockCredentials.user.header());
        if (!['queued', 'running'].includes(run.body.status)) break;
        await new Promise(r => setTimeout(r, 200));
      }
    }
    await backend.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function context(input: Record<string, unknown>) {
    const lines: string[] = [];
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: tmp,
    });
    for (const level of ['info', 'warn', 'error'] as const) {
      ctx.logger[level] = ((message: string) => {
        lines.push(message);
      }) as any;
    }
    return { ctx, lines };
  }

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      const input = { ...step.input, service: withSuffix(step.input.service) };
      const { ctx, lines } = context(input);
      await action.handler(ctx);
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      created.push(outputs.environmentId);
      expect(outputs).toMatchObject({
        status: 'succeeded',
        entityRef: expect.stringMatching(/^resource:default\/.+\.(dev|pr-42)$/),
        environmentUrl: `http://paved.test/environments/${outputs.environmentId}`,
      });
      // Terraform's progress reached the task log, resource by resource.
      const log = lines.join('\n');
      expect(log).toMatch(/Creation complete after/);
      expect(log).toMatch(/Applied in \d+\.\ds/);
    },
  );

  it('gives a step resumed after a crash the environment it made, and refuses another task the name', async () => {
    const input = {
      service: withSuffix('component:default/shop'),
      owner: 'group:default/payments',
      name: 'resume',
      resources: ['redis'],
    };
    const step = (taskId: string) => {
      const { ctx } = context(input);
      Object.assign(ctx, {
        task: { id: taskId },
        step: { id: 'environment', name: 'Create the environment' },
      });
      return ctx;
    };
    const first = step('task-resumed');
    await action.handler(first);
    const made = Object.fromEntries((first.output as jest.Mock).mock.calls);
    created.push(made.environmentId);
    // The backend died before the step's checkpoint was saved: the step
    // runs again, and asks again.
    const again = step('task-resumed');
    await action.handler(again);
    expect(Object.fromEntries((again.output as jest.Mock).mock.calls)).toEqual(
      made,
    );
    await expect(action.handler(step('task-other'))).rejects.toThrow(
      /already has an environment named "resume"/,
    );
  });

  it('leaves a protected environment waiting for approval without failing the golden path', async () => {
    const { ctx, lines } = context({
      service: withSuffix('component:default/shop'),
      owner: 'group:default/payments',
      name: 'prod',
      resources: ['redis'],
    });
    await action.handler(ctx);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    created.push(outputs.environmentId);
    expect(outputs.status).toBe('awaiting-approval');
    expect(lines.join('\n')).toMatch(
      /waits for 1 approval\(s\) from group:default\/payments or group:default\/platform; it is applied once approved/,
    );
  });

  it('refuses a bad name before asking for anything', async () => {
    const { ctx } = context({
      service: 'component:default/shop',
      owner: 'group:default/payments',
      name: '$(id)',
      resources: ['redis'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /Invalid environment name "\$\(id\)"/,
    );
    const list = await request(backend.server)
      .get('/api/environments/environments')
      .set('Authorization', mockCredentials.user.header());
    expect(list.body.items.map((e: { name: string }) => e.name)).not.toContain(
      '$(id)',
    );
  });

  it('waits for the service to reach the catalog, then gives up clearly', async () => {
    const { ctx, lines } = context({
      service: 'component:default/never-registered',
      owner: 'group:default/payments',
      name: 'dev',
      resources: ['redis'],
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      /component:default\/never-registered did not appear in the catalog/,
    );
    expect(lines).toContain(
      'Waiting for the catalog to process component:default/never-registered',
    );
  });

  it("passes the plugin's 400 on, with what was wrong", async () => {
    const { ctx } = context({
      service: withSuffix('component:default/shop'),
      owner: 'group:default/payments',
      name: 'dev',
      resources: ['postgres'],
      ttlHours: 100_000,
    });
    await expect(action.handler(ctx)).rejects.toThrow(/from 1 to 720/);
  });
});
