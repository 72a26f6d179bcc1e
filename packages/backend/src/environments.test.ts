import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import knexFactory, { Knex } from 'knex';
import {
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  as,
  infra,
  repoRoot,
  startEnvironmentsBackend,
} from './__testUtils__/environmentsBackend';

// Real Terraform against this machine's PostgreSQL, Redis and RabbitMQ.
jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const startBackend = (
  knex: Knex,
  dataDir: string,
  service: string,
  modulesDir: string,
) =>
  startEnvironmentsBackend({ knex, dataDir, services: [service], modulesDir });

describe.each(databases.eachSupportedId())(
  'environments on %p',
  (databaseId: TestDatabaseId) => {
    let backend: TestBackend;
    let knex: Knex;
    let dataDir: string;
    let modulesDir: string;
    const service = `envtest-${
      databaseId === 'SQLITE_3' ? 'l' : 'p'
    }${Date.now().toString(36)}`;

    const api = () => request(backend.server);
    /** A call to the environments API as `user`. */
    const post = (user: string, url: string, body: object) =>
      api()
        .post(`/api/environments${url}`)
        .set('Authorization', as(user))
        .send(body);
    const get = (user: string, url: string) =>
      api().get(`/api/environments${url}`).set('Authorization', as(user));
    const waitForRun = async (runId: string) => {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const res = await get('user:default/alice', `/runs/${runId}`);
        expect(res.status).toBe(200);
        if (!['queued', 'running'].includes(res.body.status)) return res.body;
        if (Date.now() > deadline)
          throw new Error(`run ${runId} never finished`);
        await new Promise(r => setTimeout(r, 250));
      }
    };
    const runLog = async (runId: string) =>
      (
        await get('user:default/alice', `/runs/${runId}/events?after=0`)
      ).body.items
        .map((e: { message: string }) => e.message)
        .join('\n');
    /** Terraform state: a schema in PostgreSQL, a file on SQLite. */
    const stateExists = async (id: string) => {
      if (databaseId === 'SQLITE_3') {
        return fs.existsSync(path.join(dataDir, 'state', `${id}.tfstate`));
      }
      const schema = `paved_env_${id.replace(/-/g, '')}`;
      const found = await knex('information_schema.tables').where({
        table_schema: schema,
        table_name: 'states',
      });
      return (
        found.length === 1 && (await knex(`${schema}.states`)).length === 1
      );
    };
    const stateDocument = async (id: string): Promise<string> => {
      if (databaseId === 'SQLITE_3') {
        return fs.readFileSync(
          path.join(dataDir, 'state', `${id}.tfstate`),
          'utf8',
        );
      }
      const schema = `paved_env_${id.replace(/-/g, '')}`;
      return (await knex(`${schema}.states`).first()).data;
    };
    const databaseExists = async (name: string) => {
      const db = infra();
      try {
        return (await db('pg_database').where({ datname: name })).length === 1;
      } finally {
        await db.destroy();
      }
    };

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-envs-'));
      // A copy of the approved modules, so a test can publish a new
      // version of one or remove it, as a platform team would.
      modulesDir = path.join(dataDir, 'approved-modules');
      fs.cpSync(path.join(repoRoot, 'terraform/modules'), modulesDir, {
        recursive: true,
      });
      backend = await startBackend(knex, dataDir, service, modulesDir);
    });

    afterAll(async () => {
      await backend?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('refuses bad input with a 400 and runs nothing', async () => {
      const good = {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name: 'dev',
        size: 'small',
        resources: ['postgres'],
        ttlHours: 24,
      };
      const bad: Array<[object, RegExp]> = [
        [{ name: 'Dev Env' }, /name "Dev Env": an environment name starts/],
        [{ name: '../etc' }, /name "..\/etc"/],
        [
          { service: 'component:default/x; rm -rf /' },
          /service .*x; rm -rf \//,
        ],
        [{ service: 'component:default/$(id)' }, /service/],
        [
          { resources: ['postgres', 'mongodb'] },
          /"mongodb" is not an approved module/,
        ],
        [{ resources: [] }, /pick at least one/],
        [{ size: 'huge' }, /size "huge": must be one of small, medium, large/],
        [
          { ttlHours: 0 },
          /ttlHours 0: must be a number of hours from 1 to 720/,
        ],
        [{ ttlHours: 10_000 }, /from 1 to 720/],
        [
          { owner: 'group:default/checkout' },
          /an environment belongs to its service's owner, group:default\/payments/,
        ],
        [{ owner: 'api:default/x' }, /owner .* must be a group or a user/],
        [
          { service: 'component:default/not-registered' },
          /component:default\/not-registered is not in the catalog/,
        ],
        [
          { service: `component:other/${service}` },
          /services in the default namespace/,
        ],
      ];
      for (const [patch, message] of bad) {
        const res = await post('user:default/alice', '/environments', {
          ...good,
          ...patch,
        });
        expect({ patch, status: res.status }).toEqual({ patch, status: 400 });
        expect(res.body.error.message).toMatch(message);
      }
      const list = await get(
        'user:default/bob',
        '/environments?includeDestroyed=true',
      );
      expect(list.body.items).toEqual([]);
      expect(fs.readdirSync(dataDir)).not.toContain('runs');
    });

    it('provisions for the owner, refuses others, destroys cleanly', async () => {
      // bob is not in payments: he may not ask for its environment.
      const denied = await post('user:default/bob', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name: 'dev',
        resources: ['postgres', 'redis'],
      });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(
        /Only members of group:default\/payments or the platform team/,
      );

      // ...nor in his own group's name: the owner comes from the catalog.
      const spoofed = await post('user:default/bob', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/checkout',
        name: 'dev',
        resources: ['postgres'],
      });
      expect(spoofed.status).toBe(400);
      expect(spoofed.body.error.message).toMatch(
        /belongs to its service's owner, group:default\/payments/,
      );

      const created = await post('user:default/alice', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name: 'dev',
        size: 'small',
        resources: ['postgres', 'redis'],
        ttlHours: 24,
      });
      expect(created.status).toBe(202);
      const env = created.body.environment;
      expect(env).toMatchObject({
        status: 'pending',
        createdBy: 'user:default/alice',
      });

      // A second apply while the first waits or runs is refused; state is safe.
      const second = await post(
        'user:default/alice',
        `/environments/${env.id}/runs`,
        { kind: 'apply' },
      );
      expect(second.status).toBe(409);

      const run = await waitForRun(created.body.run.id);
      const log = await runLog(run.id);
      expect({ status: run.status, error: run.error }).toEqual({
        status: 'succeeded',
        error: undefined,
      });
      expect(run.plan.add).toBe(4);
      expect(run.plan.changes).toHaveLength(4);
      expect(
        run.plan.changes.map((c: { address: string }) => c.address),
      ).toContain('module.postgres.terraform_data.database');
      expect(log).toMatch(
        /module\.postgres\.terraform_data\.database: Creation complete/,
      );
      expect(log).toMatch(/^\[\s*\d+\.\ds\] /m);

      const ready = (await get('user:default/bob', `/environments/${env.id}`))
        .body;
      const dbName = `${service.replace(/-/g, '_')}_dev`;
      expect(ready).toMatchObject({
        status: 'ready',
        outputs: { postgres_database: dbName, postgres_username: dbName },
        sensitiveOutputs: expect.arrayContaining([
          'postgres_url',
          'postgres_password',
        ]),
      });
      // Secrets stay out of every list, log and row.
      const list = await get('user:default/bob', '/environments');
      const everything = JSON.stringify(list.body) + log;
      expect(everything).not.toMatch(/postgresql:\/\/[^@]+:[^@]+@/);
      const row = await knex('environments').where({ id: env.id }).first();
      expect(row.sensitive_outputs).toMatch(/^v1\./);
      expect(row.sensitive_outputs).not.toContain('postgresql://');

      // The owner reveals the credentials, and they work.
      expect(
        (await get('user:default/bob', `/environments/${env.id}/secrets`))
          .status,
      ).toBe(403);
      const secrets = await get(
        'user:default/alice',
        `/environments/${env.id}/secrets`,
      );
      expect(secrets.status).toBe(200);
      const serviceDb = knexFactory({
        client: 'pg',
        connection: secrets.body.outputs.postgres_url,
      });
      try {
        await serviceDb.raw(
          'create table paved_check (id int); drop table paved_check',
        );
      } finally {
        await serviceDb.destroy();
      }

      expect(await stateExists(env.id)).toBe(true);
      // The state keeps no password: credentials are built by the plugin.
      const password = new URL(secrets.body.outputs.postgres_url).password;
      expect(decodeURIComponent(password)).toBe(
        secrets.body.outputs.postgres_password,
      );
      expect(await stateDocument(env.id)).not.toContain(
        secrets.body.outputs.postgres_password,
      );

      // Every credential was checked after the apply.
      expect(ready.checks).toEqual([
        {
          name: 'postgres_url',
          ok: true,
          message: `postgres_url: connected to database ${dbName} as ${dbName}`,
        },
        expect.objectContaining({ name: 'redis_url', ok: true }),
      ]);
      expect(log).toMatch(/Credential check redis_url: authenticated as /);

      // The drift check notices configuration that no longer matches the
      // state (here its size changed under it), and only then.
      const driftOf = async () => {
        // The scheduler answers 409 while the task runs (it also runs once
        // at start-up): trigger it once that run is over.
        const trigger = () =>
          api()
            .post(
              '/api/environments/.backstage/scheduler/v1/tasks/environments-drift-check/trigger',
            )
            .set('Authorization', as('user:default/pat'));
        let triggered = await trigger();
        while (triggered.status === 409) {
          await new Promise(r => setTimeout(r, 250));
          triggered = await trigger();
        }
        expect(triggered.status).toBe(200);
        const checkedBefore = (
          await knex('environments').where({ id: env.id }).first()
        ).drift_checked_at;
        for (let i = 0; i < 120; i++) {
          await new Promise(r => setTimeout(r, 250));
          const now = await knex('environments').where({ id: env.id }).first();
          if (now.drift_checked_at !== checkedBefore) return now.drift;
        }
        throw new Error('no drift check ran');
      };
      expect(await driftOf()).toBe('in-sync');
      await knex('environments')
        .where({ id: env.id })
        .update({ size: 'large' });
      expect(await driftOf()).toBe('drifted');
      await knex('environments')
        .where({ id: env.id })
        .update({ size: 'small' });

      // Credentials that stop working make the environment degraded, not
      // ready, at the next check; working again, it is ready again.
      const admin = infra();
      const statusAfterCheck = async () => {
        await driftOf();
        return (await get('user:default/alice', `/environments/${env.id}`))
          .body;
      };
      try {
        // (This server trusts local connections, so a changed password
        // would still connect; a role that may not log in does not.)
        await admin.raw('ALTER ROLE ?? NOLOGIN', [dbName]);
        const degraded = await statusAfterCheck();
        expect(degraded.status).toBe('degraded');
        expect(
          degraded.checks.find(
            (c: { name: string }) => c.name === 'postgres_url',
          ),
        ).toMatchObject({
          ok: false,
          message: expect.stringMatching(/is not permitted to log in/),
        });
        expect(JSON.stringify(degraded)).not.toContain(
          secrets.body.outputs.postgres_password,
        );
        await admin.raw('ALTER ROLE ?? LOGIN', [dbName]);
        expect((await statusAfterCheck()).status).toBe('ready');
      } finally {
        await admin.destroy();
      }

      // bob may neither destroy nor apply it.
      for (const kind of ['destroy', 'plan-destroy', 'apply']) {
        const res = await post(
          'user:default/bob',
          `/environments/${env.id}/runs`,
          { kind },
        );
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /Only members of group:default\/payments/,
        );
      }

      // The destroy plan lists what would go; then the owner destroys it.
      const preview = await post(
        'user:default/alice',
        `/environments/${env.id}/runs`,
        { kind: 'plan-destroy' },
      );
      const previewRun = await waitForRun(preview.body.id);
      expect(previewRun.plan.remove).toBe(run.plan.add);
      expect(await databaseExists(dbName)).toBe(true);

      const destroy = await post(
        'user:default/alice',
        `/environments/${env.id}/runs`,
        { kind: 'destroy' },
      );
      expect(destroy.status).toBe(202);
      const destroyed = await waitForRun(destroy.body.id);
      expect(destroyed.status).toBe('succeeded');
      expect(await databaseExists(dbName)).toBe(false);
      const gone = (await get('user:default/alice', `/environments/${env.id}`))
        .body;
      expect(gone).toMatchObject({
        status: 'destroyed',
        destroyedBy: 'user:default/alice',
        outputs: {},
      });
      // Its state went with it.
      expect(await stateExists(env.id)).toBe(false);
    });

    it('keeps a half-made environment, completes it after the fix, and cleans up', async () => {
      const name = 'halfway';
      const roleName = `${service.replace(/-/g, '_')}_${name}`;
      // A role that is not ours blocks the database module; Redis still gets made.
      const admin = infra();
      await admin.raw('CREATE ROLE ?? NOLOGIN', [roleName]);
      try {
        const created = await post('user:default/pat', '/environments', {
          service: `component:default/${service}`,
          owner: 'group:default/payments',
          name,
          resources: ['postgres', 'redis'],
        });
        expect(created.status).toBe(202);
        const failed = await waitForRun(created.body.run.id);
        expect(failed.status).toBe('failed');
        expect(failed.error).toMatch(/not managed by this module/);
        const env = (
          await get(
            'user:default/pat',
            `/environments/${created.body.environment.id}`,
          )
        ).body;
        expect(env.status).toBe('failed');
        const redisUser = `${service}-${name}`;
        expect(redisAclUsers()).toContain(redisUser);

        await admin.raw('DROP ROLE ??', [roleName]);
        const retry = await post(
          'user:default/alice',
          `/environments/${env.id}/runs`,
          { kind: 'apply' },
        );
        const applied = await waitForRun(retry.body.id);
        expect(applied.status).toBe('succeeded');
        // Only what was missing was made.
        expect(
          applied.plan.changes.map((c: { address: string }) => c.address),
        ).not.toContain('module.redis.terraform_data.credentials');
        expect(await databaseExists(roleName)).toBe(true);

        const destroy = await post(
          'user:default/alice',
          `/environments/${env.id}/runs`,
          { kind: 'destroy' },
        );
        expect((await waitForRun(destroy.body.id)).status).toBe('succeeded');
        expect(await databaseExists(roleName)).toBe(false);
        expect(redisAclUsers()).not.toContain(redisUser);
      } finally {
        await admin.raw('DROP ROLE IF EXISTS ??', [roleName]);
        await admin.destroy();
      }
    });

    it('provisions MariaDB from its manifest, shows and applies a new module version, and destroys after the module is removed', async () => {
      /** Runs SQL on this machine's MariaDB, as root or as a credential. */
      const mariadb = (sql: string, url?: string) => {
        const args = url
          ? (() => {
              const u = new URL(url);
              return [
                '-h',
                u.hostname,
                '-P',
                u.port,
                '-u',
                decodeURIComponent(u.username),
                decodeURIComponent(u.pathname.slice(1)),
              ];
            })()
          : ['-h', '127.0.0.1', '-u', 'root'];
        return execFileSync('mariadb', [...args, '-N', '-e', sql], {
          encoding: 'utf8',
          env: {
            ...process.env,
            MYSQL_PWD: url ? decodeURIComponent(new URL(url).password) : '',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      };
      const other = `paved_other_${Date.now().toString(36)}`;
      mariadb(
        `CREATE DATABASE ${other}; CREATE TABLE ${other}.secrets (id INT)`,
      );
      const manifest = path.join(
        modulesDir,
        'mariadb-database',
        'paved-module.yaml',
      );
      const environment = async (id: string) =>
        (await get('user:default/alice', `/environments/${id}`)).body;
      let made: string | undefined;
      const until = async <T>(
        what: string,
        probe: () => Promise<T | false>,
      ) => {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const value = await probe();
          if (value) return value;
          if (Date.now() > deadline) throw new Error(`Timed out: ${what}`);
          await new Promise(r => setTimeout(r, 250));
        }
      };
      try {
        const options = await get('user:default/bob', '/options');
        expect(
          options.body.resources.find(
            (m: { id: string }) => m.id === 'mariadb',
          ),
        ).toMatchObject({
          title: 'MariaDB database',
          version: '1.0.0',
          module: 'mariadb-database',
          resourceType: 'database',
        });

        const created = await post('user:default/alice', '/environments', {
          service: `component:default/${service}`,
          owner: 'group:default/payments',
          name: 'maria',
          resources: ['postgres', 'mariadb'],
          ttlHours: 24,
        });
        expect(created.status).toBe(202);
        const id = created.body.environment.id;
        made = id;
        expect((await waitForRun(created.body.run.id)).status).toBe(
          'succeeded',
        );
        const ready = await environment(id);
        expect(ready).toMatchObject({
          status: 'ready',
          modules: [
            { id: 'postgres', appliedVersion: '1.0.0', updateAvailable: false },
            { id: 'mariadb', appliedVersion: '1.0.0', updateAvailable: false },
          ],
          sensitiveOutputs: expect.arrayContaining(['mariadb_url']),
        });
        expect(ready.checks).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              name: 'mariadb_url',
              ok: true,
              message: expect.stringMatching(/connected to database .*_maria/),
            }),
          ]),
        );
        const { outputs } = (
          await get('user:default/alice', `/environments/${id}/secrets`)
        ).body;
        const url = outputs.mariadb_url as string;
        expect(url).toMatch(/^mysql:\/\//);
        // The credential works in its own database, and nowhere else.
        mariadb(
          'CREATE TABLE paved_check (id INT); DROP TABLE paved_check',
          url,
        );
        expect(() => mariadb(`SELECT * FROM ${other}.secrets`, url)).toThrow(
          /SELECT command denied/,
        );
        expect(() => mariadb(`USE ${other}`, url)).toThrow(/Access denied/);

        // The platform team publishes 1.1.0: a higher connection limit.
        const main = path.join(modulesDir, 'mariadb-database', 'main.tf');
        fs.writeFileSync(
          main,
          fs.readFileSync(main, 'utf8').replace(/small += 5/, 'small  = 6'),
        );
        fs.writeFileSync(
          manifest,
          fs
            .readFileSync(manifest, 'utf8')
            .replace('version: 1.0.0', 'version: 1.1.0'),
        );
        const outdated = await until('the update to show', async () => {
          const env = await environment(id);
          return env.modules[1].updateAvailable && env;
        });
        expect(outdated.modules[1]).toEqual({
          id: 'mariadb',
          appliedVersion: '1.0.0',
          latestVersion: '1.1.0',
          updateAvailable: true,
        });
        // A re-plan previews the update: what 1.1.0 would change.
        const preview = await post(
          'user:default/alice',
          `/environments/${id}/runs`,
          { kind: 'plan' },
        );
        const plan = (await waitForRun(preview.body.id)).plan;
        expect(plan.changes).toEqual(
          expect.arrayContaining([
            {
              address: 'module.mariadb.terraform_data.user_settings',
              action: 'replace',
            },
          ]),
        );
        expect(
          plan.changes.filter((c: { address: string }) =>
            c.address.startsWith('module.postgres'),
          ),
        ).toEqual([]);
        const apply = await post(
          'user:default/alice',
          `/environments/${id}/runs`,
          { kind: 'apply' },
        );
        expect((await waitForRun(apply.body.id)).status).toBe('succeeded');
        expect((await environment(id)).modules[1]).toMatchObject({
          appliedVersion: '1.1.0',
          updateAvailable: false,
        });

        // The module is withdrawn: the environment says so, cannot be
        // applied, and is still destroyed with the version it runs on.
        fs.rmSync(path.join(modulesDir, 'mariadb-database'), {
          recursive: true,
        });
        const orphaned = await until('the removal to show', async () => {
          const env = await environment(id);
          return env.modules[1].problem && env;
        });
        expect(orphaned.modules[1]).toMatchObject({
          appliedVersion: '1.1.0',
          problem: expect.stringMatching(/no longer approved.*1\.1\.0/),
        });
        expect(orphaned.modules[1].latestVersion).toBeUndefined();
        const refused = await post(
          'user:default/alice',
          `/environments/${id}/runs`,
          { kind: 'plan' },
        );
        const refusedRun = await waitForRun(refused.body.id);
        expect(refusedRun).toMatchObject({
          status: 'failed',
          error: expect.stringMatching(
            /mariadb module is no longer approved.*destroyed with the version it was applied with, 1\.1\.0/,
          ),
        });
        const database =
          outputs.mariadb_database ?? ready.outputs.mariadb_database;
        expect(mariadb(`SHOW DATABASES LIKE '${database}'`).trim()).toBe(
          database,
        );
        const destroy = await post(
          'user:default/alice',
          `/environments/${id}/runs`,
          { kind: 'destroy' },
        );
        expect((await waitForRun(destroy.body.id)).status).toBe('succeeded');
        expect(mariadb(`SHOW DATABASES LIKE '${database}'`).trim()).toBe('');
        expect(
          mariadb(
            `SELECT COUNT(*) FROM mysql.user WHERE user = '${ready.outputs.mariadb_username}'`,
          ).trim(),
        ).toBe('0');
      } finally {
        mariadb(`DROP DATABASE IF EXISTS ${other}`);
        // After a failure: the environment goes, and the module is as
        // published again, for the tests after this one.
        fs.rmSync(path.join(modulesDir, 'mariadb-database'), {
          recursive: true,
          force: true,
        });
        fs.cpSync(
          path.join(repoRoot, 'terraform/modules/mariadb-database'),
          path.join(modulesDir, 'mariadb-database'),
          { recursive: true },
        );
        if (made && (await environment(made)).status !== 'destroyed') {
          const run = await post(
            'user:default/alice',
            `/environments/${made}/runs`,
            { kind: 'destroy' },
          );
          if (run.status === 202) await waitForRun(run.body.id);
        }
      }
    });

    it('sweeps expired environments, recorded as the scheduler', async () => {
      const created = await post('user:default/alice', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name: 'preview',
        resources: ['rabbitmq'],
        ttlHours: 1,
      });
      expect(created.status).toBe(202);
      const id = created.body.environment.id;
      expect((await waitForRun(created.body.run.id)).status).toBe('succeeded');
      // An hour passes.
      await knex('environments')
        .where({ id })
        .update({ expires_at: new Date(Date.now() - 60_000).toISOString() });
      const deadline = Date.now() + 60_000;
      let env;
      do {
        await new Promise(r => setTimeout(r, 500));
        env = (await get('user:default/alice', `/environments/${id}`)).body;
      } while (env.status !== 'destroyed' && Date.now() < deadline);
      expect(env).toMatchObject({
        status: 'destroyed',
        destroyedBy: 'system:ttl-sweeper',
      });
      expect(env.lastRun).toMatchObject({
        kind: 'destroy',
        reason: expect.stringMatching(/^expired at /),
      });
    });

    it('interrupts a running apply on shutdown and re-plans after restart', async () => {
      const created = await post('user:default/alice', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name: 'stopped',
        resources: ['postgres', 'redis', 'rabbitmq'],
      });
      const { id } = created.body.environment;
      // Stop once Terraform has started changing things.
      const deadline = Date.now() + 60_000;
      while (!/Creating\.\.\./.test(await runLog(created.body.run.id))) {
        if (Date.now() > deadline) throw new Error('apply never started');
        await new Promise(r => setTimeout(r, 100));
      }
      await backend.stop();
      const run = await knex('runs').where({ id: created.body.run.id }).first();
      expect(run.status).toBe('interrupted');
      expect((await knex('environments').where({ id }).first()).status).toBe(
        'interrupted',
      );

      backend = await startBackend(knex, dataDir, service, modulesDir);
      const plan = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'plan' },
      );
      expect((await waitForRun(plan.body.id)).status).toBe('succeeded');
      const apply = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'apply' },
      );
      expect((await waitForRun(apply.body.id)).status).toBe('succeeded');
      const destroy = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'destroy' },
      );
      expect((await waitForRun(destroy.body.id)).status).toBe('succeeded');
      expect(
        await databaseExists(`${service.replace(/-/g, '_')}_stopped`),
      ).toBe(false);
    });

    it('interrupts a destroy on shutdown and offers only to resume it', async () => {
      const name = 'halfgone';
      const created = await post('user:default/alice', '/environments', {
        service: `component:default/${service}`,
        owner: 'group:default/payments',
        name,
        resources: ['postgres', 'redis', 'rabbitmq'],
      });
      const { id } = created.body.environment;
      expect((await waitForRun(created.body.run.id)).status).toBe('succeeded');
      const destroy = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'destroy' },
      );
      const deadline = Date.now() + 60_000;
      while (!/Destroying\.\.\./.test(await runLog(destroy.body.id))) {
        if (Date.now() > deadline) throw new Error('destroy never started');
        await new Promise(r => setTimeout(r, 100));
      }
      await backend.stop();
      expect(
        (await knex('runs').where({ id: destroy.body.id }).first()).status,
      ).toBe('interrupted');
      expect(fs.existsSync(path.join(dataDir, 'runs', destroy.body.id))).toBe(
        false,
      );

      backend = await startBackend(knex, dataDir, service, modulesDir);
      const env = (await get('user:default/alice', `/environments/${id}`)).body;
      expect(env.status).toBe('destroy-interrupted');
      // Apply or re-plan would trust a state that lists what is gone.
      for (const kind of ['apply', 'plan']) {
        const res = await post(
          'user:default/alice',
          `/environments/${id}/runs`,
          { kind },
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(
          /destroy .* was interrupted, so part of it may already be gone: resume the destroy/,
        );
      }
      // Overriding is for the platform team, not the owner.
      const override = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'apply', override: true },
      );
      expect(override.status).toBe(403);
      const extend = await post(
        'user:default/alice',
        `/environments/${id}/extend`,
        { ttlHours: 24 },
      );
      expect(extend.status).toBe(409);

      const resumed = await post(
        'user:default/alice',
        `/environments/${id}/runs`,
        { kind: 'destroy' },
      );
      expect(resumed.status).toBe(202);
      expect((await waitForRun(resumed.body.id)).status).toBe('succeeded');
      expect(
        (await get('user:default/alice', `/environments/${id}`)).body.status,
      ).toBe('destroyed');
      expect(
        await databaseExists(`${service.replace(/-/g, '_')}_${name}`),
      ).toBe(false);
      expect(redisAclUsers()).not.toContain(`${service}-${name}`);
    });
  },
);

function redisAclUsers() {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', 'ACL', 'USERS'], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
}
