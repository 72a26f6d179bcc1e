import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import {
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleLogs from '@backstage/plugin-catalog-backend-module-logs';
import catalogModuleUnprocessedEntities from '@backstage/plugin-catalog-backend-module-unprocessed';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { TerraformModuleProcessor } from '@internal/plugin-catalog-backend-module-environments';

jest.setTimeout(120_000);

const backendDir = path.resolve(__dirname, '..');
const fixturesDir = path.resolve(__dirname, '__fixtures__/broken-catalog');
const foreignOrgFile = path.resolve(
  __dirname,
  '__fixtures__/foreign-org/team-takeover.yaml',
);

/** The approved modules' manifests as catalog entities (Paved's processor). */
const catalogModuleTerraformModules = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'terraform-modules-test',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new TerraformModuleProcessor());
      },
    });
  },
});

/**
 * A module folder whose manifest names an output its Terraform does not
 * declare, as a platform team might publish by mistake.
 */
function brokenModulesDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-broken-modules-'));
  const broken = path.join(dir, 'brokenmq-vhost');
  fs.cpSync(
    path.resolve(backendDir, '../../terraform/modules/rabbitmq-vhost'),
    broken,
    { recursive: true },
  );
  const manifest = path.join(broken, 'paved-module.yaml');
  fs.writeFileSync(
    manifest,
    fs
      .readFileSync(manifest, 'utf8')
      .replace('name: rabbitmq', 'name: brokenmq')
      .replace('{ name: vhost, shown: true }', '{ name: vhosts, shown: true }'),
  );
  return dir;
}

/**
 * The catalog section of the real app-config.yaml, with its file locations
 * (relative to packages/backend, where the backend runs) made absolute, plus
 * one location per malformed file and one for a good file beside them.
 */
function catalogConfig(modulesDir: string) {
  const appConfig = parseYaml(
    fs.readFileSync(path.resolve(backendDir, '../../app-config.yaml'), 'utf8'),
  );
  const catalog = appConfig.catalog;
  catalog.locations = [
    ...catalog.locations.map((location: { type: string; target: string }) => ({
      ...location,
      target: path.resolve(backendDir, location.target),
    })),
    ...fs.readdirSync(fixturesDir).map(file => ({
      type: 'file',
      target: path.join(fixturesDir, file),
      rules: [{ allow: ['Component', 'Spaceship'] }],
    })),
    // Under the real config's global rules only.
    { type: 'file', target: foreignOrgFile },
    {
      type: 'file',
      target: path.join(modulesDir, '*/paved-module.yaml'),
      rules: [{ allow: ['TerraformModule', 'Component'] }],
    },
  ];
  return catalog;
}

/** A logger that keeps every warning, so the test can read what was logged. */
function capturingLogger(warnings: string[]): LoggerService {
  const logger: LoggerService = {
    error: () => {},
    info: () => {},
    debug: () => {},
    warn: message => {
      warnings.push(message);
    },
    child: () => logger,
  };
  return logger;
}

// The last catalog response seen, to explain a timeout.
let lastResponse = '';

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}; last response: ${lastResponse}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
});

describe('catalog on the real backend', () => {
  it('runs on PostgreSQL whenever the test command asks for it', () => {
    // scripts/test.sh sets PAVED_REQUIRE_POSTGRES, so CI cannot silently
    // fall back to SQLite only.
    const required: TestDatabaseId[] = process.env.PAVED_REQUIRE_POSTGRES
      ? ['POSTGRES_15', 'SQLITE_3']
      : ['SQLITE_3'];
    expect(databases.eachSupportedId().flat()).toEqual(
      expect.arrayContaining(required),
    );
  });

  it.each(databases.eachSupportedId())(
    'ingests the seed catalog and reports malformed files, on %p',
    async (databaseId: TestDatabaseId) => {
      const knex = await databases.init(databaseId);
      const warnings: string[] = [];
      const modulesDir = brokenModulesDir();
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleScaffolderEntityModel,
          catalogModuleLogs,
          catalogModuleUnprocessedEntities,
          catalogModuleTerraformModules,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { catalog: catalogConfig(modulesDir) },
          }),
          createServiceFactory({
            service: coreServices.logger,
            deps: {},
            factory: () => capturingLogger(warnings),
          }),
        ],
      });

      const auth = mockCredentials.user.header();
      const get = async (url: string) => {
        const res = await request(backend.server)
          .get(url)
          .set('Authorization', auth);
        lastResponse = `${url}: ${res.status} ${res.text.slice(0, 500)}`;
        return res;
      };
      const getEntity = async (ref: string) => {
        const res = await get(`/api/catalog/entities/by-name/${ref}`);
        return res.status === 200 ? res.body : undefined;
      };

      try {
        // Entities and the relations between them, read back over HTTP.
        const service = await eventually(
          'payments-api-service with its relations',
          async () => {
            const entity = await getEntity(
              'component/default/payments-api-service',
            );
            return entity?.relations?.length >= 4 ? entity : undefined;
          },
        );
        const relations = service.relations.map(
          (r: { type: string; targetRef: string }) =>
            `${r.type} ${r.targetRef}`,
        );
        expect(relations).toEqual(
          expect.arrayContaining([
            'ownedBy group:default/payments',
            'partOf system:default/payments-platform',
            'providesApi api:default/payments-api',
            'dependsOn resource:default/payments-db',
          ]),
        );

        const api = await eventually('payments-api provided by', async () => {
          const entity = await getEntity('api/default/payments-api');
          return entity?.relations?.some(
            (r: { type: string }) => r.type === 'apiProvidedBy',
          )
            ? entity
            : undefined;
        });
        expect(api.spec.type).toBe('openapi');
        expect(api.spec.definition).toContain('openapi:');

        const components = await eventually('all components', async () => {
          const res = await get('/api/catalog/entities?filter=kind=component');
          return res.body.length >= 15 ? res.body : undefined;
        });
        expect(components.length).toBeGreaterThanOrEqual(15);
        // Entities of one file arrive one by one: wait for the one named.
        const groups = await eventually('the payments group', async () => {
          const res = await get('/api/catalog/entities?filter=kind=group');
          return res.body.some(
            (g: { metadata: { name: string } }) =>
              g.metadata.name === 'payments',
          )
            ? res.body
            : undefined;
        });
        expect(
          groups.map((g: { metadata: { name: string } }) => g.metadata.name),
        ).toContain('payments');
        // The golden-path templates come from their own (glob) location.
        expect(
          await eventually('the typescript-service template', () =>
            getEntity('template/default/typescript-service'),
          ),
        ).toBeDefined();

        // The valid file beside the broken ones still loads.
        expect(
          await eventually('still-loads', () =>
            getEntity('component/default/still-loads'),
          ),
        ).toBeDefined();

        // Each malformed file is listed by the catalog's error view (the
        // "Catalog errors" page), with a message that says what is wrong.
        const expectedErrors = [
          /YAML error at file:.*invalid-yaml\.yaml/,
          /\/metadata must have required property 'name'/,
          /No processor recognized the entity spaceship:default\/enterprise/,
          /Entity user:default\/intruder at .*team-takeover\.yaml.* is not of an allowed kind for that location/,
          /brokenmq-vhost\/paved-module\.yaml: spec\.outputs\.0\.name: the module declares no output "vhosts"/,
        ];
        const errorView = await eventually('the error view', async () => {
          const [pending, failed] = await Promise.all([
            get('/api/catalog/entities/unprocessed/pending'),
            get('/api/catalog/entities/unprocessed/failed'),
          ]);
          const messages = [...pending.body.entities, ...failed.body.entities]
            .flatMap((e: { errors?: { message: string }[] }) => e.errors ?? [])
            .map(e => e.message)
            .join('\n');
          return expectedErrors.every(re => re.test(messages))
            ? messages
            : undefined;
        });
        expect(errorView).not.toMatch(/still-loads/);
        // Only the seed organization defines Users and Groups.
        expect(await getEntity('user/default/intruder')).toBeUndefined();
        expect(
          await getEntity('group/default/shadow-platform'),
        ).toBeUndefined();
        expect(await getEntity('user/default/guest')).toBeDefined();

        // ...and logged.
        for (const expected of expectedErrors) {
          expect(warnings.some(w => expected.test(w))).toBe(true);
        }
        // The approved modules come from their manifests, each with the
        // Component environments depend on; the broken one does not.
        for (const ref of [
          'terraformmodule/default/postgres',
          'terraformmodule/default/mariadb',
          'component/default/terraform-postgres-database',
          'component/default/terraform-mariadb-database',
        ]) {
          expect(await eventually(ref, () => getEntity(ref))).toBeDefined();
        }
        expect(
          (await getEntity('component/default/terraform-mariadb-database'))
            .metadata.annotations['paved.dev/module-version'],
        ).toBe('1.0.0');
        expect(
          await getEntity('component/default/terraform-brokenmq-vhost'),
        ).toBeUndefined();
      } finally {
        await backend.stop();
        fs.rmSync(modulesDir, { recursive: true, force: true });
      }
    },
  );
});
