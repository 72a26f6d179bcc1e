import { Knex } from 'knex';
import {
  AuditRow,
  EnvironmentRow,
  RunApprovalRow,
  RunPlanRow,
  RunRow,
} from './tables';

const AWAITING = 'awaiting-approval';

/** The status of an environment whose first apply did not go through. */
const NEVER_APPLIED = ['awaiting-approval', 'pending'];

/** Filters of the audit trail. */
export type AuditFilter = {
  owner?: string;
  environment?: string;
  actor?: string;
  before?: number;
  limit: number;
};

/**
 * The queries of guardrails: plans that wait for approval, the decisions on
 * them, and the audit trail. Every change of a waiting run's status is
 * conditional on it still waiting, so of two decisions at once exactly one
 * takes effect.
 */
export class GateStore {
  constructor(private readonly db: Knex) {}

  async getPlan(runId: string) {
    return (await this.db<RunPlanRow>('run_plans')
      .where({ run_id: runId })
      .first()) as RunPlanRow | undefined;
  }

  async listDecisions(runIds: string[]) {
    if (runIds.length === 0) return [];
    return (await this.db<RunApprovalRow>('run_approvals')
      .whereIn('run_id', runIds)
      .orderBy('at', 'asc')) as RunApprovalRow[];
  }

  /**
   * Records an approval of the plan with this hash and, once there are
   * enough of them (and no override is missing), queues the saved plan's
   * apply. Returns whether this call queued it.
   */
  async approve(options: {
    run: RunRow;
    approver: string;
    planHash: string;
    comment?: string;
    now: string;
    required: number;
    overrideMissing: boolean;
  }) {
    const { run, approver, planHash, now } = options;
    return this.db.transaction(async trx => {
      const still = await trx<RunRow>('runs')
        .where({ id: run.id, status: AWAITING, plan_hash: planHash })
        .first();
      if (!still) return { queued: false, waiting: false, approvals: 0 };
      await trx('run_approvals')
        .insert({
          run_id: run.id,
          approver,
          decision: 'approve',
          plan_hash: planHash,
          comment: options.comment ?? null,
          at: now,
        })
        .onConflict(['run_id', 'approver'])
        .ignore();
      const [{ count }] = await trx('run_approvals')
        .where({ run_id: run.id, decision: 'approve', plan_hash: planHash })
        .count({ count: '*' });
      const approvals = Number(count);
      if (approvals < options.required || options.overrideMissing) {
        return { queued: false, waiting: true, approvals };
      }
      const queued = await trx('runs')
        .where({ id: run.id, status: AWAITING, plan_hash: planHash })
        .update({ status: 'queued', approved_at: now, finished_at: null });
      return { queued: queued === 1, waiting: false, approvals };
    });
  }

  /** Queues the saved plan's apply of a run that waited only for an override. */
  async release(run: RunRow, gate: string, now: string) {
    const queued = await this.db('runs')
      .where({ id: run.id, status: AWAITING })
      .update({ status: 'queued', approved_at: now, finished_at: null, gate });
    return queued === 1;
  }

  /** Records the override of a broken soft rule on a waiting run. */
  async saveGate(run: RunRow, gate: string) {
    const saved = await this.db('runs')
      .where({ id: run.id, status: AWAITING })
      .update({ gate });
    return saved === 1;
  }

  /** Ends a waiting run with a rejection; its plan file goes. */
  async reject(run: RunRow, approver: string, reason: string, now: string) {
    return this.db.transaction(async trx => {
      const ended = await trx('runs')
        .where({ id: run.id, status: AWAITING })
        .update({
          status: 'rejected',
          error: `Rejected by ${approver}: ${reason}`,
          finished_at: now,
        });
      if (ended !== 1) return false;
      await trx('run_approvals')
        .insert({
          run_id: run.id,
          approver,
          decision: 'reject',
          plan_hash: run.plan_hash ?? '',
          comment: reason,
          at: now,
        })
        .onConflict(['run_id', 'approver'])
        .merge();
      await trx('run_plans').where({ run_id: run.id }).delete();
      await this.settleEnvironment(trx, run.environment_id, 'rejected');
      return true;
    });
  }

  /**
   * Ends the waiting runs of an environment because something replaced
   * their plans (a new plan or apply): an approval of them no longer counts.
   */
  async voidWaiting(environmentId: string, reason: string, now: string) {
    return this.db.transaction(async trx => {
      const waiting = (await trx<RunRow>('runs').where({
        environment_id: environmentId,
        status: AWAITING,
      })) as RunRow[];
      if (waiting.length === 0) return [];
      const ids = waiting.map(r => r.id);
      await trx('runs')
        .whereIn('id', ids)
        .where({ status: AWAITING })
        .update({ status: 'voided', error: reason, finished_at: now });
      await trx('run_plans').whereIn('run_id', ids).delete();
      return waiting;
    });
  }

  /** Ends the waiting runs whose approval window has passed. */
  async expireWaiting(now: string) {
    const expired = (await this.db<RunRow>('runs')
      .where({ status: AWAITING })
      .where('approval_expires_at', '<', now)) as RunRow[];
    const ended: RunRow[] = [];
    for (const run of expired) {
      const done = await this.db.transaction(async trx => {
        const count = await trx('runs')
          .where({ id: run.id, status: AWAITING })
          .update({
            status: 'expired',
            error: `Nobody approved the plan before ${run.approval_expires_at}; re-plan to ask again`,
            finished_at: now,
          });
        if (count !== 1) return false;
        await trx('run_plans').where({ run_id: run.id }).delete();
        await this.settleEnvironment(trx, run.environment_id, 'failed');
        return true;
      });
      if (done) ended.push(run);
    }
    return ended;
  }

  /** An environment whose first apply waited and will not happen. */
  private async settleEnvironment(
    trx: Knex.Transaction,
    environmentId: string,
    status: string,
  ) {
    await trx<EnvironmentRow>('environments')
      .where({ id: environmentId })
      .whereIn('status', NEVER_APPLIED)
      .whereNull('active_run_id')
      .update({ status });
  }

  async countLive(owner: string) {
    const [{ count }] = await this.db('environments')
      .where({ owner })
      .whereNull('destroyed_at')
      .count({ count: '*' });
    return Number(count);
  }

  /** The owner's environments alive at some time since `since`. */
  async environmentsAliveSince(owners: string[], since: string) {
    const query = this.db<EnvironmentRow>('environments')
      .where(q =>
        q.whereNull('destroyed_at').orWhere('destroyed_at', '>=', since),
      )
      .select(
        'owner',
        'resources',
        'size',
        'created_at',
        'destroyed_at',
        'expires_at',
        'applied_modules',
      );
    if (owners.length) query.whereIn('owner', owners);
    return (await query) as Pick<
      EnvironmentRow,
      | 'owner'
      | 'resources'
      | 'size'
      | 'created_at'
      | 'destroyed_at'
      | 'expires_at'
      | 'applied_modules'
    >[];
  }

  /** Live environments expiring before `before` whose owners were not told. */
  async findExpiringUnnotified(now: string, before: string) {
    return (await this.db<EnvironmentRow>('environments')
      .whereNull('destroyed_at')
      .whereNotIn('status', ['destroyed', 'destroying'])
      .where('expires_at', '>', now)
      .where('expires_at', '<', before)
      .where(q =>
        q
          .whereNull('expiry_notified_at')
          // Extended since it was told: tell again when it comes near.
          .orWhereRaw('expiry_notified_at <> expires_at'),
      )) as EnvironmentRow[];
  }

  async markExpiryNotified(id: string, expiresAt: string) {
    // Until the expiry it was told about: an extension is told again.
    await this.db('environments')
      .where({ id })
      .update({ expiry_notified_at: expiresAt });
  }

  async audit(row: AuditRow) {
    await this.db('environment_audit').insert(row);
  }

  async listAudit(filter: AuditFilter) {
    const query = this.db<AuditRow>('environment_audit')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.owner) query.where('owner', filter.owner);
    if (filter.actor) query.where('actor', filter.actor);
    if (filter.environment) {
      query.where(q =>
        q
          .where('environment_id', filter.environment!)
          .orWhere('environment', filter.environment!),
      );
    }
    if (filter.before) query.where('id', '<', filter.before);
    return (await query) as AuditRow[];
  }
}
