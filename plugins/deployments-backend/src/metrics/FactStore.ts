import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import type { Incident } from '@internal/plugin-deployments-common';
import type { IncidentStore } from '../service/IncidentStore';
import {
  AnalyzedDeployment,
  analyzeService,
  CommitRecord,
  DeploymentRecord,
} from './analyze';
import { push } from './collections';

const DAY_MS = 86_400_000;
/**
 * How far the history reaches: a deployment's facts see the deployments,
 * commits and incidents of the 90 days before it (what it rolls back to,
 * what a revert names) and of the 90 days after it (what rolls it back,
 * reverts it, or restores it), and incidents tied to it at any time.
 */
export const LOOKBACK_DAYS = 90;
const LOOKBACK_MS = LOOKBACK_DAYS * DAY_MS;
/** Pairs worked out together: one read of their history. */
const BATCH = 100;
const FAR_FUTURE = new Date(8.64e15);

const iso = (v: unknown) =>
  v === null || v === undefined
    ? undefined
    : new Date(v as string).toISOString();

/**
 * Marks a service's facts in an environment out of date from `since` on.
 * Call it in the transaction that stores the change, so that no change can
 * be stored without it.
 */
export async function markFactsStale(
  db: Knex | Knex.Transaction,
  change: { service: string; environment: string; since: Date },
) {
  await db('deployment_facts_stale')
    .insert({
      service: change.service,
      environment: change.environment,
      since: change.since,
      token: randomUUID(),
    })
    .onConflict(['service', 'environment'])
    .merge({
      since: db.raw(
        'case when excluded.since < ??.since then excluded.since else ??.since end',
        ['deployment_facts_stale', 'deployment_facts_stale'],
      ),
      token: db.raw('excluded.token'),
    });
}

interface Stale {
  service: string;
  since: Date;
  token: string;
}

/**
 * The facts of each deployment, worked out from its history when a
 * deployment or incident changes it, and read by the figures: a window's
 * figures read the window's facts only, not the history around them.
 */
export class FactStore {
  /** One work-out at a time in this process; others wait and find it done. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Knex,
    private readonly incidents: IncidentStore,
  ) {}

  /**
   * Brings the facts of an environment up to date, for `services` or for
   * every service. Returns how many service histories it worked out.
   */
  refresh(environment: string, services?: string[]): Promise<number> {
    const run = this.queue.then(() => this.workOutStale(environment, services));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** The facts of the deployments that finished in [from, to). */
  async read(options: {
    environment: string;
    services?: string[];
    from: Date;
    to: Date;
  }): Promise<AnalyzedDeployment[]> {
    if (options.services && options.services.length === 0) return [];
    const query = this.db('deployment_facts as f')
      .join('deployments as d', 'd.id', 'f.deployment_id')
      .where('f.environment', options.environment)
      .andWhere('f.finished_at', '>=', options.from)
      .andWhere('f.finished_at', '<', options.to)
      .select(
        'd.id',
        'd.service',
        'd.environment',
        'd.commit_sha',
        'd.version',
        'd.outcome',
        'd.started_at',
        'd.finished_at',
        'd.pipeline_url',
        'd.commit_count',
        'd.created_at',
        'f.failure',
        'f.rework',
        'f.lead_times',
        'f.recovery_seconds',
      );
    if (options.services) query.whereIn('f.service', options.services);
    return (await query).map(row => ({
      ...toRecord(row),
      failure: row.failure ? JSON.parse(row.failure) : undefined,
      rework: row.rework ? JSON.parse(row.rework) : undefined,
      leadTimes: JSON.parse(row.lead_times),
      recoverySeconds:
        row.recovery_seconds === null
          ? undefined
          : Number(row.recovery_seconds),
    }));
  }

  private async workOutStale(environment: string, services?: string[]) {
    const query = this.db('deployment_facts_stale')
      .where({ environment })
      .select('service', 'since', 'token');
    if (services) query.whereIn('service', services);
    const stale: Stale[] = (await query).map(row => ({
      service: row.service,
      since: new Date(row.since),
      token: row.token,
    }));
    for (let i = 0; i < stale.length; i += BATCH) {
      await this.workOut(environment, stale.slice(i, i + BATCH));
    }
    return stale.length;
  }

  /**
   * Works out the facts of the deployments from LOOKBACK_DAYS before each
   * pair's change on, from the history since twice that, and replaces them
   * in one transaction that also clears the pair's mark, unless a newer
   * change marked it again meanwhile. A crash leaves the mark: the next
   * read works the pair out again.
   */
  private async workOut(environment: string, stale: Stale[]) {
    const { db } = this;
    const services = stale.map(s => s.service);
    const readFrom = new Date(
      Math.min(...stale.map(s => s.since.getTime())) - 2 * LOOKBACK_MS,
    );
    const rows = await db('deployments')
      .where({ environment })
      .whereIn('service', services)
      .andWhere('finished_at', '>=', readFrom)
      .select(
        'id',
        'service',
        'environment',
        'commit_sha',
        'version',
        'outcome',
        'started_at',
        'finished_at',
        'pipeline_url',
        'commit_count',
        'created_at',
      );
    const commitRows = await db('deployment_commits as c')
      .join('deployments as d', 'd.id', 'c.deployment_id')
      .where('d.environment', environment)
      .whereIn('d.service', services)
      .andWhere('d.finished_at', '>=', readFrom)
      .orderBy(['c.deployment_id', 'c.position'])
      .select('c.deployment_id', 'c.sha', 'c.committed_at', 'c.message');
    const incidents = await this.incidents.forWindow({
      services,
      environment,
      since: readFrom,
      to: FAR_FUTURE,
    });

    const commits = new Map<string, CommitRecord[]>();
    for (const c of commitRows) {
      push(commits, c.deployment_id, {
        deploymentId: c.deployment_id,
        sha: c.sha,
        committedAt: iso(c.committed_at),
        message: c.message ?? undefined,
      });
    }
    const deploymentsOf = new Map<string, DeploymentRecord[]>();
    for (const row of rows) push(deploymentsOf, row.service, toRecord(row));
    const incidentsOf = new Map<string, Incident[]>();
    for (const incident of incidents) {
      push(incidentsOf, incident.service, incident);
    }

    const facts = stale.flatMap(({ service, since }) => {
      const writeFrom = since.getTime() - LOOKBACK_MS;
      return analyzeService(
        deploymentsOf.get(service) ?? [],
        commits,
        incidentsOf.get(service) ?? [],
      )
        .filter(d => Date.parse(d.finishedAt) >= writeFrom)
        .map(d => ({
          deployment_id: d.id,
          service,
          environment,
          finished_at: new Date(d.finishedAt),
          failure: d.failure ? JSON.stringify(d.failure) : null,
          rework: d.rework ? JSON.stringify(d.rework) : null,
          lead_times: JSON.stringify(d.leadTimes),
          recovery_seconds: d.recoverySeconds ?? null,
        }));
    });

    await db.transaction(async tx => {
      for (const { service, since } of stale) {
        await tx('deployment_facts')
          .where({ service, environment })
          .andWhere(
            'finished_at',
            '>=',
            new Date(since.getTime() - LOOKBACK_MS),
          )
          .delete();
      }
      for (let i = 0; i < facts.length; i += 200) {
        await tx('deployment_facts')
          .insert(facts.slice(i, i + 200))
          .onConflict('deployment_id')
          .merge();
      }
      for (const { service, token } of stale) {
        await tx('deployment_facts_stale')
          .where({ service, environment, token })
          .delete();
      }
    });
  }
}

function toRecord(row: Record<string, any>): DeploymentRecord {
  return {
    id: row.id,
    service: row.service,
    environment: row.environment,
    commit: row.commit_sha,
    version: row.version ?? undefined,
    outcome: row.outcome,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at)!,
    pipelineUrl: row.pipeline_url ?? undefined,
    commitCount: Number(row.commit_count ?? 0),
    createdAt: iso(row.created_at)!,
  };
}
