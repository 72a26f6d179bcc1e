import { Knex } from 'knex';
import { EnvironmentRow, RunEventRow, RunRow } from './tables';

/** Filters of the environment list. */
export type EnvironmentFilter = {
  owner?: string;
  status?: string;
  service?: string;
  includeDestroyed?: boolean;
};

/** What ends a run, and what it does to its environment. */
export type RunCompletion = {
  status:
    | 'succeeded'
    | 'failed'
    | 'interrupted'
    | 'awaiting-approval'
    | 'blocked';
  plan?: string | null;
  error?: string | null;
  environment: Partial<EnvironmentRow>;
  /** JSON RunGate: policy results, cost, what it waits for. */
  gate?: string | null;
  /** A plan that waits for approval: its file, sealed, and until when. */
  saved?: { hash: string; sealed: string; expiresAt: string };
};

const ACTIVE_RUN = ['queued', 'running'];

/** Every query of the environments plugin. Times are ISO strings. */
export class EnvironmentStore {
  constructor(private readonly db: Knex) {}

  get knex() {
    return this.db;
  }

  async createEnvironment(env: EnvironmentRow, run: RunRow) {
    await this.db.transaction(async trx => {
      await trx('environments').insert(env);
      await trx('runs').insert(run);
    });
  }

  async getEnvironment(id: string) {
    return (await this.db<EnvironmentRow>('environments')
      .where({ id })
      .first()) as EnvironmentRow | undefined;
  }

  async getEnvironments(ids: string[]) {
    const rows = await this.db<EnvironmentRow>('environments').whereIn(
      'id',
      ids,
    );
    return ids.map(id => rows.find(r => r.id === id));
  }

  async findLiveEnvironment(service: string, name: string) {
    return (await this.db<EnvironmentRow>('environments')
      .where({ service, name })
      .whereNull('destroyed_at')
      .first()) as EnvironmentRow | undefined;
  }

  async listEnvironments(filter: EnvironmentFilter) {
    const query = this.db<EnvironmentRow>('environments').orderBy(
      'created_at',
      'desc',
    );
    if (filter.owner) query.where('owner', filter.owner);
    if (filter.service) query.where('service', filter.service);
    if (filter.status) {
      query.where('status', filter.status);
    } else if (!filter.includeDestroyed) {
      query.whereNot('status', 'destroyed');
    }
    return (await query) as EnvironmentRow[];
  }

  async getRuns(ids: string[]) {
    if (ids.length === 0) return [];
    const rows: RunRow[] = [];
    // Chunks keep the IN list under SQLite's variable limit.
    for (let i = 0; i < ids.length; i += 500) {
      rows.push(
        ...(await this.db<RunRow>('runs').whereIn('id', ids.slice(i, i + 500))),
      );
    }
    return rows;
  }

  async getRun(id: string) {
    return (await this.db<RunRow>('runs').where({ id }).first()) as
      | RunRow
      | undefined;
  }

  async listRuns(environmentId: string) {
    return (await this.db<RunRow>('runs')
      .where({ environment_id: environmentId })
      .orderBy('created_at', 'desc')) as RunRow[];
  }

  async hasActiveRun(environmentId: string, kind?: string) {
    const query = this.db<RunRow>('runs')
      .where({ environment_id: environmentId })
      .whereIn('status', ACTIVE_RUN);
    if (kind) query.where({ kind });
    return Boolean(await query.first());
  }

  async insertRun(run: RunRow) {
    await this.db('runs').insert(run);
  }

  async updateEnvironment(id: string, patch: Partial<EnvironmentRow>) {
    await this.db('environments').where({ id }).update(patch);
  }

  /**
   * Claims the oldest queued run whose environment has no run in progress.
   * Setting `environments.active_run_id` only where it is empty is the lock:
   * of several replicas racing for one environment, exactly one update wins.
   */
  async claimNextRun(
    claimedBy: string,
    now: string,
    skipEnvironments: string[] = [],
  ): Promise<{ run: RunRow; environment: EnvironmentRow } | undefined> {
    const candidates = (await this.db<RunRow>('runs as r')
      .join('environments as e', 'e.id', 'r.environment_id')
      .where('r.status', 'queued')
      .whereNull('e.active_run_id')
      .whereNotIn('r.environment_id', skipEnvironments)
      .orderBy('r.created_at', 'asc')
      .select('r.*')
      .limit(10)) as RunRow[];
    const seen = new Set<string>();
    for (const candidate of candidates) {
      if (seen.has(candidate.environment_id)) continue;
      seen.add(candidate.environment_id);
      // The oldest queued run of that environment goes first.
      const claimed = await this.db.transaction(async trx => {
        const oldest = (await trx<RunRow>('runs')
          .where({ environment_id: candidate.environment_id, status: 'queued' })
          .orderBy('created_at', 'asc')
          .first()) as RunRow | undefined;
        if (!oldest) return undefined;
        const locked = await trx('environments')
          .where({ id: oldest.environment_id })
          .whereNull('active_run_id')
          .update({ active_run_id: oldest.id });
        if (locked !== 1) return undefined;
        const started = await trx('runs')
          .where({ id: oldest.id, status: 'queued' })
          .update({
            status: 'running',
            claimed_by: claimedBy,
            started_at: now,
            heartbeat_at: now,
          });
        if (started !== 1) {
          throw new Error('run was claimed twice');
        }
        const environment = (await trx<EnvironmentRow>('environments')
          .where({ id: oldest.environment_id })
          .first()) as EnvironmentRow;
        return {
          run: { ...oldest, status: 'running', started_at: now },
          environment,
        };
      });
      if (claimed) return claimed;
    }
    return undefined;
  }

  /** Beats for the runs still running here; returns the ids still ours. */
  async heartbeat(runIds: string[], now: string) {
    if (runIds.length === 0) return [];
    await this.db('runs')
      .whereIn('id', runIds)
      .where('status', 'running')
      .update({ heartbeat_at: now });
    const alive = await this.db<RunRow>('runs')
      .whereIn('id', runIds)
      .where('status', 'running')
      .select('id');
    return alive.map(r => r.id);
  }

  /**
   * Ends a run and releases its environment. Only a run that is still in
   * progress is ended, and only the environment it holds is changed: a run
   * already ended elsewhere (recovered as lost) changes nothing. Returns
   * whether this call ended it.
   */
  async finishRun(
    run: RunRow,
    completion: RunCompletion,
    now: string,
    options: { heartbeatBefore?: string; claimedBy?: string } = {},
  ) {
    return this.db.transaction(async trx => {
      const ended = trx('runs')
        .where({ id: run.id })
        .whereIn('status', ACTIVE_RUN);
      if (options.heartbeatBefore) {
        ended.where('heartbeat_at', '<', options.heartbeatBefore);
      }
      if (options.claimedBy) {
        ended.where('claimed_by', options.claimedBy);
      }
      const count = await ended.update({
        status: completion.status,
        finished_at: now,
        plan: completion.plan ?? null,
        error: completion.error ?? null,
        ...(completion.gate !== undefined ? { gate: completion.gate } : {}),
        ...(completion.saved
          ? {
              plan_hash: completion.saved.hash,
              approval_expires_at: completion.saved.expiresAt,
            }
          : {}),
      });
      if (count !== 1) return false;
      // A plan that waits keeps its file; the one it was applied from goes.
      await trx('run_plans').where({ run_id: run.id }).delete();
      if (completion.saved) {
        await trx('run_plans').insert({
          run_id: run.id,
          plan_hash: completion.saved.hash,
          sealed: completion.saved.sealed,
          created_at: now,
        });
      }
      await trx('environments')
        .where({ id: run.environment_id, active_run_id: run.id })
        .update({
          ...completion.environment,
          active_run_id: null,
          last_run_id: run.id,
        });
      return true;
    });
  }

  /** Ends the queued runs of a kind that someone asked for, e.g. the sweeper's destroys. */
  async cancelQueuedRuns(
    environmentId: string,
    kind: string,
    requestedBy: string,
    reason: string,
    now: string,
  ) {
    return this.db('runs')
      .where({
        environment_id: environmentId,
        kind,
        requested_by: requestedBy,
        status: 'queued',
      })
      .update({ status: 'failed', finished_at: now, error: reason });
  }

  /** Every run in progress, on any replica. */
  async findRunningRuns() {
    return (await this.db<RunRow>('runs').where(
      'status',
      'running',
    )) as RunRow[];
  }

  /** The queued apply and destroy runs of these environments. */
  async queuedChanges(environmentIds: string[]) {
    const rows: RunRow[] = [];
    for (let i = 0; i < environmentIds.length; i += 500) {
      rows.push(
        ...(await this.db<RunRow>('runs')
          .whereIn('environment_id', environmentIds.slice(i, i + 500))
          .where('status', 'queued')
          .whereIn('kind', ['apply', 'destroy'])),
      );
    }
    return rows;
  }

  /** Runs left "running" by a replica that stopped heart-beating. */
  async findStaleRuns(heartbeatBefore: string) {
    return (await this.db<RunRow>('runs')
      .where('status', 'running')
      .where('heartbeat_at', '<', heartbeatBefore)) as RunRow[];
  }

  async appendEvents(events: RunEventRow[]) {
    if (events.length) {
      await this.db('run_events').insert(events);
    }
  }

  async listEvents(runId: string, after: number, limit = 1000) {
    return (await this.db<RunEventRow>('run_events')
      .where('run_id', runId)
      .where('seq', '>', after)
      .orderBy('seq', 'asc')
      .limit(limit)) as RunEventRow[];
  }

  async lastEventSeq(runId: string) {
    const row = await this.db('run_events')
      .where('run_id', runId)
      .max({ seq: 'seq' })
      .first();
    return Number(row?.seq ?? 0);
  }

  /**
   * Live environments past their expiry without a destroy on its way. One
   * whose destroy by `sweeper` failed since `retryAfter` waits (backoff).
   */
  async findExpired(now: string, sweeper: string, retryAfter: string) {
    return (await this.db<EnvironmentRow>('environments')
      .whereNull('destroyed_at')
      .where('expires_at', '<', now)
      .whereNotIn('status', ['destroyed', 'destroying'])
      .whereNotExists(
        this.db('runs')
          .whereRaw('runs.environment_id = environments.id')
          .where('runs.kind', 'destroy')
          .whereIn('runs.status', ACTIVE_RUN),
      )
      .whereNotExists(
        this.db('runs')
          .whereRaw('runs.environment_id = environments.id')
          .where('runs.kind', 'destroy')
          .where('runs.requested_by', sweeper)
          .where('runs.status', 'failed')
          .where('runs.finished_at', '>', retryAfter),
      )) as EnvironmentRow[];
  }

  /** Ready (or degraded) environments with nothing queued or running. */
  async findDriftCandidates() {
    return (await this.db<EnvironmentRow>('environments')
      .whereIn('status', ['ready', 'degraded'])
      .whereNull('active_run_id')
      .whereNotExists(
        this.db('runs')
          .whereRaw('runs.environment_id = environments.id')
          .whereIn('runs.status', ACTIVE_RUN),
      )) as EnvironmentRow[];
  }
}
