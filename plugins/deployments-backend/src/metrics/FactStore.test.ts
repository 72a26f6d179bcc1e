import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  DEPLOYMENTS,
  INCIDENTS,
  SERVICE,
} from '../__fixtures__/deliveryHistory';
import { DeploymentStore } from '../service/DeploymentStore';
import { IncidentStore } from '../service/IncidentStore';
import { FactStore, markFactsStale } from './FactStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const migrations = {
  directory: path.resolve(__dirname, '../../migrations'),
  tableName: 'deployments__knex_migrations',
};
const EVER = { from: new Date(0), to: new Date('2100-01-01T00:00:00Z') };

/**
 * The facts are kept, not worked out per request: each change must make
 * exactly the facts it touches stale, and a work-out that fails or races a
 * change must leave the facts honest.
 */
describe.each(databases.eachSupportedId())('deployment facts, on %p', id => {
  let knex: Knex;
  let store: DeploymentStore;
  let incidents: IncidentStore;

  beforeEach(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest(migrations);
    store = new DeploymentStore(knex);
    incidents = new IncidentStore(knex);
  });
  afterEach(async () => {
    await knex?.destroy();
  });

  const report = (d: (typeof DEPLOYMENTS)[number], key = d.key) =>
    store.insert(
      {
        idempotencyKey: `orders:${key}`,
        service: SERVICE,
        environment: d.environment ?? 'production',
        commit: d.commit,
        version: d.version,
        outcome: d.outcome,
        finishedAt: new Date(d.finishedAt),
        reportedBy: 'ci',
        source: 'external',
      },
      { commits: d.commits },
    );
  const stale = () =>
    knex('deployment_facts_stale').select('service', 'environment');
  /** The facts of every deployment, by fixture key, comparable. */
  const factsOf = async (facts: FactStore, keys: Map<string, string>) => {
    const name = new Map([...keys].map(([k, v]) => [v, k]));
    const read = await facts.read({ environment: 'production', ...EVER });
    return Object.fromEntries(
      read.map(d => [
        name.get(d.id),
        {
          failure: d.failure?.reasons.map(r => r.kind),
          recoveredAt: d.failure?.recoveredAt,
          rework: d.rework?.kind,
          leadTimes: [...d.leadTimes].sort((a, b) => a - b),
          recoverySeconds: d.recoverySeconds,
        },
      ]),
    );
  };

  it('keeps facts worked out change by change equal to the whole history worked out at once', async () => {
    const facts = new FactStore(knex, incidents);
    const keys = new Map<string, string>();
    // The history as it happens: deployments and incidents in time order,
    // each resolution when it comes, the figures read in between.
    const events = [
      ...DEPLOYMENTS.filter(d => !d.environment).map(d => ({
        at: d.finishedAt,
        run: async () => {
          keys.set(d.key, (await report(d)).deployment.id);
        },
      })),
      ...INCIDENTS.flatMap(i => {
        const record = (resolvedAt?: string) =>
          incidents.record({
            dedupKey: `api:${i.key}`,
            service: SERVICE,
            environment: 'production',
            title: i.title,
            severity: 'high',
            openedAt: new Date(i.openedAt),
            resolvedAt: resolvedAt ? new Date(resolvedAt) : undefined,
            deploymentId: i.deployment && keys.get(i.deployment),
            source: 'api',
            createdBy: 'test',
          });
        return [
          { at: i.openedAt, run: () => record() },
          ...(i.resolvedAt
            ? [{ at: i.resolvedAt, run: () => record(i.resolvedAt) }]
            : []),
        ];
      }),
    ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    for (const event of events) {
      await event.run();
      expect(await stale()).toEqual([
        { service: SERVICE, environment: 'production' },
      ]);
      expect(await facts.refresh('production')).toBe(1);
      expect(await stale()).toEqual([]);
    }
    const incremental = await factsOf(facts, keys);

    await knex('deployment_facts').delete();
    await markFactsStale(knex, {
      service: SERVICE,
      environment: 'production',
      since: new Date(0),
    });
    await facts.refresh('production');
    const whole = await factsOf(facts, keys);
    expect(Object.keys(whole)).toHaveLength(11);
    expect(incremental).toEqual(whole);
    // Spot checks against the hand computation in the fixture.
    expect(whole.D5.failure).toEqual(['rolled_back', 'reverted']);
    expect(whole.D2.failure).toEqual(['failed', 'incident', 'incident']);
    expect(whole.D6.rework).toBe('rollback');
    expect(whole.D1.leadTimes).toEqual([6 * 3600, 24 * 3600]);
  });

  it('keeps a change that came in while its pair was being worked out', async () => {
    const keys = new Map<string, string>();
    for (const d of DEPLOYMENTS.slice(0, 3)) {
      keys.set(d.key, (await report(d)).deployment.id);
    }
    let raced = false;
    const racing = Object.create(incidents) as IncidentStore;
    racing.forWindow = async options => {
      if (!raced) {
        raced = true;
        keys.set('D3', (await report(DEPLOYMENTS[3])).deployment.id);
      }
      return incidents.forWindow(options);
    };
    const facts = new FactStore(knex, racing);
    await facts.refresh('production');
    // The work-out read the history before D3: its mark stays.
    expect(Object.keys(await factsOf(facts, keys)).sort()).toEqual([
      'D0',
      'D1',
      'D2',
    ]);
    expect(await stale()).toHaveLength(1);
    await facts.refresh('production');
    expect(await stale()).toEqual([]);
    const after = await factsOf(facts, keys);
    expect(after.D3.rework).toBe('restore');
    expect(after.D2.recoveredAt).toBe(
      new Date(DEPLOYMENTS[3].finishedAt).toISOString(),
    );
  });

  it('leaves the mark and the old facts when a work-out fails, and recovers on the next read', async () => {
    const keys = new Map<string, string>();
    for (const d of DEPLOYMENTS.slice(0, 2)) {
      keys.set(d.key, (await report(d)).deployment.id);
    }
    const facts = new FactStore(knex, incidents);
    await facts.refresh('production');
    keys.set('D2', (await report(DEPLOYMENTS[2])).deployment.id);

    const failing = Object.create(incidents) as IncidentStore;
    failing.forWindow = async () => {
      throw new Error('connection lost');
    };
    const broken = new FactStore(knex, failing);
    await expect(broken.refresh('production')).rejects.toThrow(
      'connection lost',
    );
    expect(await stale()).toHaveLength(1);
    expect(Object.keys(await factsOf(facts, keys)).sort()).toEqual([
      'D0',
      'D1',
    ]);
    // The same process goes on after a failed work-out.
    await expect(broken.refresh('production')).rejects.toThrow();

    await facts.refresh('production');
    expect(await stale()).toEqual([]);
    expect((await factsOf(facts, keys)).D2.failure).toEqual(['failed']);
  });

  it('marks the history that was there before the facts existed, and migrates down', async () => {
    await knex.migrate.down(migrations);
    expect(await knex.schema.hasTable('deployment_facts')).toBe(false);
    await knex('deployments').insert(
      ['production', 'staging'].map((environment, n) => ({
        id: `old-${n}`,
        idempotency_key: `old:${n}`,
        service: SERVICE,
        environment,
        commit_sha: 'a'.repeat(40),
        outcome: 'failure',
        finished_at: new Date(`2026-01-0${n + 1}T10:00:00Z`),
        reported_by: 'ci',
        source: 'external',
        created_at: new Date(),
      })),
    );
    await knex.migrate.latest(migrations);
    expect(
      (await stale()).sort((a, b) =>
        a.environment.localeCompare(b.environment),
      ),
    ).toEqual([
      { service: SERVICE, environment: 'production' },
      { service: SERVICE, environment: 'staging' },
    ]);
    const facts = new FactStore(knex, incidents);
    const read = await facts
      .refresh('production')
      .then(() => facts.read({ environment: 'production', ...EVER }));
    expect(read.map(d => [d.id, d.failure?.reasons[0].kind])).toEqual([
      ['old-0', 'failed'],
    ]);
    expect(await stale()).toEqual([
      { service: SERVICE, environment: 'staging' },
    ]);
  });
});
