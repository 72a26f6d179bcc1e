import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { RunExecutor } from '../service/RunExecutor';
import { RunQueue } from '../service/RunQueue';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readEnvironmentsConfig } from '../config';
import { EnvironmentService, TTL_SWEEPER } from '../service/EnvironmentService';
import { SecretBox } from '../service/SecretBox';
import { EnvironmentStore } from './EnvironmentStore';
import { approvedModules } from '../__testUtils__/modules';
import { guardrailsFor } from '../__testUtils__/guardrails';
import { environment, migrated, run } from '../__testUtils__/rows';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

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
    const removed: string[] = [];
    const queue = new RunQueue({
      store,
      executor: {
        removeWorkDir: async (runId: string) => {
          removed.push(runId);
        },
      } as RunExecutor,
      logger: mockServices.logger.mock(),
      maxParallel: 1,
      instanceId: 'survivor',
    });
    await queue.recoverLostRuns();
    expect(await store.getRun(lost.id)).toMatchObject({
      status: 'interrupted',
    });
    // Its folder goes at once: the saved plan in it holds passwords.
    expect(removed).toEqual([lost.id]);
    expect(await store.getEnvironment(env.id)).toMatchObject({
      status: 'interrupted',
      active_run_id: null,
      last_run_id: lost.id,
    });
    const [event] = await store.listEvents(lost.id, 0);
    expect(event.message).toMatch(/re-plan to continue/);

    // The replica that was thought dead reports late: nothing changes.
    expect(
      await store.finishRun(
        lost,
        { status: 'succeeded', environment: { status: 'ready' } },
        new Date().toISOString(),
      ),
    ).toBe(false);
    expect(await store.getEnvironment(env.id)).toMatchObject({
      status: 'interrupted',
    });
  });

  it('knows a run of a dead process on this host is lost at once, and a lost destroy can only be resumed', async () => {
    const knex = await migrated(await databases.init(id));
    const store = new EnvironmentStore(knex);
    const env = environment({ status: 'destroying' });
    // A process of this host that no longer exists, still fresh in the
    // database (it was killed a moment ago).
    const dead = spawnSync('true').pid;
    const lost = run(env.id, {
      kind: 'destroy',
      status: 'running',
      claimed_by: `${hostname()}:${dead}:old-uuid`,
      started_at: new Date().toISOString(),
      heartbeat_at: new Date().toISOString(),
    });
    await store.createEnvironment({ ...env, active_run_id: lost.id }, lost);
    // ...and one of a live process elsewhere is left alone.
    const other = environment({ status: 'provisioning' });
    const alive = run(other.id, {
      status: 'running',
      claimed_by: `${hostname()}:${process.pid}:another-uuid-of-this-test`,
      started_at: new Date().toISOString(),
      heartbeat_at: new Date().toISOString(),
    });
    await store.createEnvironment({ ...other, active_run_id: alive.id }, alive);
    const queue = new RunQueue({
      store,
      executor: { removeWorkDir: async () => {} } as unknown as RunExecutor,
      logger: mockServices.logger.mock(),
      maxParallel: 1,
      instanceId: `${hostname()}-other-host:${process.pid}:ours`,
    });
    await queue.recoverLostRuns();
    expect(await store.getEnvironment(other.id)).toMatchObject({
      status: 'provisioning',
    });

    const local = new RunQueue({
      store,
      executor: { removeWorkDir: async () => {} } as unknown as RunExecutor,
      logger: mockServices.logger.mock(),
      maxParallel: 1,
      instanceId: `${hostname()}:${process.pid}:ours`,
    });
    await local.recoverLostRuns();
    expect(await store.getRun(lost.id)).toMatchObject({
      status: 'interrupted',
    });
    expect(await store.getEnvironment(env.id)).toMatchObject({
      status: 'destroy-interrupted',
      active_run_id: null,
    });
    const [event] = await store.listEvents(lost.id, 0);
    expect(event.message).toMatch(/resume the destroy/);
    // Our own pid with another instance id is a run from before a restart
    // (a container's new process gets the same pid): also lost.
    expect(await store.getRun(alive.id)).toMatchObject({
      status: 'interrupted',
    });
  });
});

describe('EnvironmentService lifecycle', () => {
  async function setup() {
    const knex = await migrated(await databases.init('SQLITE_3'));
    const store = new EnvironmentStore(knex);
    const service = new EnvironmentService({
      store,
      config: readEnvironmentsConfig(new ConfigReader({})),
      secrets: SecretBox.fromKeyMaterial('k'.repeat(32)),
      stateType: 'local',
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      modules: approvedModules(),
      ...guardrailsFor(knex),
    });
    return { store, service };
  }

  it('cancels the expiry destroy the sweeper queued when the owner extends', async () => {
    const { store, service } = await setup();
    const env = environment({
      status: 'ready',
      expires_at: new Date(Date.now() - 60_000).toISOString(),
    });
    await store.createEnvironment(env, run(env.id, { status: 'succeeded' }));
    const [{ run: destroy }] = await service.sweepExpired(TTL_SWEEPER);
    expect(destroy).toMatchObject({
      kind: 'destroy',
      requestedBy: TTL_SWEEPER,
    });

    const extended = await service.extend(env.id, 24);
    expect(Date.parse(extended.expiresAt)).toBeGreaterThan(Date.now());
    expect(await store.getRun(destroy.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^Cancelled: the owner extended/),
    });
  });

  it('shows an environment whose apply waits for its turn as queued, not as its last outcome', async () => {
    const { store, service } = await setup();
    const env = environment({ status: 'failed' });
    await store.createEnvironment(env, run(env.id, { status: 'failed' }));
    expect((await service.get(env.id)).status).toBe('failed');
    await service.requestRun(env.id, 'apply', 'user:default/alice');
    expect((await service.get(env.id)).status).toBe('queued');
    expect((await service.list({})).map(e => e.status)).toEqual(['queued']);
    // A queued re-plan is no change of the environment.
    const other = environment({ status: 'ready' });
    await store.createEnvironment(
      other,
      run(other.id, { status: 'succeeded' }),
    );
    await service.requestRun(other.id, 'plan', 'user:default/alice');
    expect((await service.get(other.id)).status).toBe('ready');
  });

  it('retries a failed expiry destroy after an hour, not every minute', async () => {
    const { store, service } = await setup();
    const env = environment({
      status: 'failed',
      expires_at: new Date(Date.now() - 3 * 3_600_000).toISOString(),
    });
    const failedAt = (ago: number) => new Date(Date.now() - ago).toISOString();
    await store.createEnvironment(
      env,
      run(env.id, {
        kind: 'destroy',
        status: 'failed',
        requested_by: TTL_SWEEPER,
        finished_at: failedAt(10 * 60_000),
      }),
    );
    expect(await service.sweepExpired(TTL_SWEEPER)).toEqual([]);
    await store
      .knex('runs')
      .where({ environment_id: env.id })
      .update({
        finished_at: failedAt(2 * 3_600_000),
      });
    expect(await service.sweepExpired(TTL_SWEEPER)).toHaveLength(1);
  });
});
