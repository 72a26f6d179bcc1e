import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { RunExecutor } from '../service/RunExecutor';
import { RunQueue } from '../service/RunQueue';
import { EnvironmentStore } from './EnvironmentStore';
import { EnvironmentRow, RunRow } from './tables';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function migrated(knex: Knex) {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@internal/plugin-environments-backend',
      'migrations',
    ),
    tableName: 'environments__knex_migrations',
  });
  return knex;
}

let n = 0;
function environment(patch: Partial<EnvironmentRow> = {}): EnvironmentRow {
  n += 1;
  return {
    id: `env-${n}`,
    name: 'dev',
    service: `component:default/svc-${n}`,
    owner: 'group:default/payments',
    size: 'small',
    resources: '["postgres"]',
    status: 'pending',
    drift: 'unknown',
    drift_checked_at: null,
    created_by: 'user:default/alice',
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    destroyed_at: null,
    destroyed_by: null,
    state_key: `env-${n}.tfstate`,
    active_run_id: null,
    last_run_id: null,
    outputs: '{}',
    sensitive_outputs: null,
    secret_inputs: 'v1.x.x.x',
    ...patch,
  };
}

function run(environmentId: string, patch: Partial<RunRow> = {}): RunRow {
  n += 1;
  return {
    id: `run-${n}`,
    environment_id: environmentId,
    kind: 'apply',
    status: 'queued',
    requested_by: 'user:default/alice',
    reason: null,
    created_at: new Date(Date.now() + n).toISOString(),
    started_at: null,
    finished_at: null,
    heartbeat_at: null,
    claimed_by: null,
    plan: null,
    error: null,
    ...patch,
  };
}

describe.each(databases.eachSupportedId())('EnvironmentStore on %p', id => {
  it('lets one replica at a time run an environment, oldest run first', async () => {
    const knex = await migrated(await databases.init(id));
    const store = new EnvironmentStore(knex);
    const env = environment();
    const first = run(env.id);
    await store.createEnvironment(env, first);
    const second = run(env.id, { kind: 'destroy' });
    await store.insertRun(second);
    const other = environment();
    await store.createEnvironment(other, run(other.id));

    // Four "replicas" race for work at the same moment.
    const now = new Date().toISOString();
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map(r =>
        new EnvironmentStore(knex).claimNextRun(r, now),
      ),
    );
    const claimed = claims.filter(Boolean).map(c => c!.run.id);
    expect(claimed).toHaveLength(2);
    expect(claimed).toContain(first.id);
    expect(claimed).not.toContain(second.id);
    expect(new Set(claimed).size).toBe(2);

    // The second run of env waits until the first one ends.
    expect(await store.claimNextRun('a', now)).toBeUndefined();
    await store.finishRun(
      first,
      { status: 'succeeded', environment: { status: 'ready' } },
      now,
    );
    const next = await store.claimNextRun('a', now);
    expect(next?.run.id).toBe(second.id);
    expect(next?.environment.status).toBe('ready');
  });

  it('marks a run whose replica died as interrupted, so the environment can be re-planned', async () => {
    const knex = await migrated(await databases.init(id));
    const store = new EnvironmentStore(knex);
    const env = environment({ status: 'provisioning' });
    const lost = run(env.id, {
      status: 'running',
      claimed_by: 'gone-replica',
      started_at: new Date(Date.now() - 120_000).toISOString(),
      heartbeat_at: new Date(Date.now() - 60_000).toISOString(),
    });
    await store.createEnvironment({ ...env, active_run_id: lost.id }, lost);
    const queue = new RunQueue({
      store,
      executor: {} as RunExecutor,
      logger: mockServices.logger.mock(),
      maxParallel: 1,
      instanceId: 'survivor',
    });
    await queue.recoverLostRuns();
    expect(await store.getRun(lost.id)).toMatchObject({
      status: 'interrupted',
    });
    expect(await store.getEnvironment(env.id)).toMatchObject({
      status: 'interrupted',
      active_run_id: null,
      last_run_id: lost.id,
    });
    const [event] = await store.listEvents(lost.id, 0);
    expect(event.message).toMatch(/re-plan to continue/);
  });
});
