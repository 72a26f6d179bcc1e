import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import environmentsPlugin from '@internal/plugin-environments-backend';
import { JsonObject } from '@backstage/types';
import permissionPolicyModule from '../modules/permissionPolicy';

/*
 * A test backend with the environments plugin, real Terraform against this
 * machine's PostgreSQL, Redis and RabbitMQ, the real permission policy, and
 * users of different teams (TEAMS).
 */

export const repoRoot = path.resolve(__dirname, '../../../..');
export const infraUrl = new URL(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    process.env.PAVED_PG_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

/** Who is in which group; platform members may change everything. */
export const TEAMS: Record<string, string[]> = {
  'user:default/alice': ['user:default/alice', 'group:default/payments'],
  'user:default/aisha': ['user:default/aisha', 'group:default/payments'],
  'user:default/bob': ['user:default/bob', 'group:default/checkout'],
  'user:default/pat': ['user:default/pat', 'group:default/platform'],
};
export const as = (user: string) => mockCredentials.user.header(user);

/**
 * Backstage's mock auth, plus what its real one does and the mock leaves out:
 * a user's credentials passed on by a plugin name that plugin as the actor.
 * The permission framework only resolves conditional decisions for such
 * credentials.
 */
export const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const auth = mockServices.auth({ pluginId: plugin.getId() });
    const prefix = 'mock-service-token:';
    return Object.assign(Object.create(auth), {
      async getPluginRequestToken(options: {
        onBehalfOf: BackstageCredentials;
        targetPluginId: string;
      }) {
        const { token } = await auth.getPluginRequestToken(options);
        if (!auth.isPrincipal(options.onBehalfOf, 'user')) return { token };
        const claims = JSON.parse(token.slice(prefix.length));
        const actor = `plugin:${plugin.getId()}`;
        return { token: `${prefix}${JSON.stringify({ ...claims, actor })}` };
      },
      async authenticate(token: string, options?: object) {
        const credentials = await auth.authenticate(token, options as any);
        if (auth.isPrincipal(credentials, 'user') && token.startsWith(prefix)) {
          const { obo, actor } = JSON.parse(token.slice(prefix.length));
          if (obo && actor) {
            return mockCredentials.user(obo, { actor: { subject: actor } });
          }
        }
        return credentials;
      },
    }) as AuthService;
  },
});

/** A connection to the infrastructure server (where the modules create databases). */
export function infra(database = 'postgres') {
  const url = new URL(infraUrl);
  url.pathname = `/${database}`;
  return knexFactory({ client: 'pg', connection: url.toString() });
}

/** The services the tests ask environments for, as the catalog has them. */
export function catalogWith(...services: string[]) {
  return catalogServiceMock.factory({
    entities: services.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'service', owner: 'payments', lifecycle: 'experimental' },
    })),
  });
}

export async function startEnvironmentsBackend(options: {
  knex: Knex;
  dataDir: string;
  services: string[];
  modulesDir: string;
  /** More of `paved.environments`, e.g. guardrails. */
  environments?: JsonObject;
  /** More features, e.g. a stand-in for a service. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const { knex, dataDir, modulesDir } = options;
  return startTestBackend({
    features: [
      catalogWith(...options.services),
      environmentsPlugin,
      permissionPlugin,
      permissionPolicyModule,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          paved: {
            environments: {
              modulesDir,
              dataDir,
              encryptionKey: 'test-key-test-key-test-key-test-key',
              shutdownGracePeriod: { seconds: 60 },
              lifecycle: { sweepFrequency: { seconds: 2 } },
              ...options.environments,
              targets: {
                postgres: {
                  host: infraUrl.hostname,
                  port: Number(infraUrl.port || 5432),
                  adminUser:
                    decodeURIComponent(infraUrl.username) || 'postgres',
                  adminPassword: decodeURIComponent(infraUrl.password),
                },
              },
            },
          },
        },
      }),
      authWithActors,
      // The real HTTP auth, so requests are authenticated by authWithActors.
      httpAuthServiceFactory,
      // The real scheduler, so the lifecycle jobs run on their own.
      schedulerServiceFactory,
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: BackstageCredentials) {
            const ref = (credentials.principal as { userEntityRef: string })
              .userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: TEAMS[ref] ?? [ref],
            };
          },
        }),
      }),
      ...(options.features ?? []),
    ],
  });
}
