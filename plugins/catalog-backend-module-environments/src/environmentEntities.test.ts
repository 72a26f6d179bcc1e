import {
  Environment,
  ModuleOption,
} from '@internal/plugin-environments-common';
import { environmentEntities } from './environmentEntities';

const env: Environment = {
  id: 'e1',
  name: 'dev',
  service: 'component:default/checkout-api',
  owner: 'group:default/checkout',
  size: 'small',
  resources: ['postgres', 'redis'],
  status: 'ready',
  drift: 'in-sync',
  createdBy: 'user:default/alice',
  createdAt: '2026-11-21T10:00:00.000Z',
  expiresAt: '2026-11-24T10:00:00.000Z',
  entityRef: 'resource:default/checkout-api.dev',
  outputs: {
    postgres_database: 'checkout_api_dev',
    redis_key_prefix: 'checkout-api:dev:',
  },
  sensitiveOutputs: ['postgres_url', 'postgres_password'],
  lastRun: {
    id: 'r1',
    environmentId: 'e1',
    kind: 'apply',
    status: 'succeeded',
    requestedBy: 'user:default/alice',
    createdAt: '2026-11-21T10:00:00.000Z',
    finishedAt: '2026-11-21T10:00:03.000Z',
  },
};

/** The approved modules, as the environments plugin's options list them. */
const option = (
  id: string,
  title: string,
  module: string,
  resourceType: string,
): ModuleOption => ({
  id,
  title,
  description: title,
  module,
  version: '1.0.0',
  owner: 'group:default/platform',
  resourceType,
  inputs: [],
});
const modules = new Map(
  [
    option('postgres', 'PostgreSQL database', 'postgres-database', 'database'),
    option('redis', 'Redis ACL user', 'redis-acl-user', 'cache'),
  ].map(m => [m.id, m]),
);

describe('environmentEntities', () => {
  const [environment, postgres, redis] = environmentEntities(
    env,
    'https://paved.example',
    modules,
  );

  it('keeps the parts of a module no longer approved in the catalog', () => {
    const [, , removed] = environmentEntities(
      env,
      'https://paved.example',
      new Map([...modules].filter(([id]) => id !== 'redis')),
    );
    expect(removed.metadata.title).toBe('redis of checkout-api (dev)');
    expect(removed.spec).toMatchObject({ type: 'resource' });
  });

  it('makes the environment a Resource owned by the service owner, related to service and parts', () => {
    expect(environment).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'checkout-api.dev',
        annotations: {
          'paved.dev/environment-status': 'ready',
          'paved.dev/expires-at': '2026-11-24T10:00:00.000Z',
          'paved.dev/last-run': 'apply succeeded 2026-11-21T10:00:03.000Z',
          'backstage.io/managed-by-location':
            'url:https://paved.example/environments/e1',
        },
      },
      spec: {
        type: 'environment',
        owner: 'group:default/checkout',
        dependencyOf: ['component:default/checkout-api'],
        dependsOn: [
          'resource:default/checkout-api.dev.postgres',
          'resource:default/checkout-api.dev.redis',
        ],
      },
    });
    expect(postgres.spec).toMatchObject({
      type: 'database',
      owner: 'group:default/checkout',
    });
    expect(postgres.metadata.description).toContain('checkout_api_dev');
    expect(redis.metadata.description).toContain('checkout-api:dev:');
  });

  it('never carries a secret', () => {
    expect(JSON.stringify([environment, postgres, redis])).not.toMatch(
      /password|_url/,
    );
  });
});
