import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { RunGate } from '@internal/plugin-environments-common';
import { EnvironmentStore } from '../database/EnvironmentStore';
import { GateStore } from '../database/GateStore';
import { EnvironmentRow, RunRow } from '../database/tables';

/** Who decides: their user ref and the groups they belong to. */
export type Decider = { userEntityRef: string; ownershipEntityRefs: string[] };

/** Why a run that is not waiting cannot be decided on, in a sentence. */
function notWaiting(run: RunRow) {
  switch (run.status) {
    case 'voided':
      return `This plan was replaced (${run.error}); a newer plan waits instead, approve that one`;
    case 'expired':
      return `This plan expired at ${run.approval_expires_at} without enough approvals; re-plan to ask again`;
    case 'rejected':
      return `This plan was already rejected (${run.error})`;
    case 'blocked':
      return `This plan was blocked: ${run.error}`;
    default:
      return run.approved_at
        ? `This plan was already approved at ${run.approved_at}; its apply is ${run.status}`
        : `This run is ${run.status}; only a plan that waits for approval can be approved or rejected`;
  }
}

const gateOf = (run: RunRow): RunGate => JSON.parse(run.gate ?? '{}');

/**
 * Decisions on plans that wait: approvals by someone other than the
 * requester from the approver groups, bound to the plan's hash; rejections;
 * overrides of broken soft rules. A decision that arrives too late (the plan
 * was replaced, expired or already decided) is refused with the reason.
 */
export class ApprovalService {
  constructor(
    private readonly deps: {
      store: EnvironmentStore;
      gates: GateStore;
      onChange?: (environmentId: string) => void;
      now?: () => Date;
    },
  ) {}

  private now() {
    return (this.deps.now?.() ?? new Date()).toISOString();
  }

  /** A line in the run's log, so its history shows every decision. */
  private async note(runId: string, level: 'info' | 'warn', message: string) {
    const { store } = this.deps;
    await store.appendEvents([
      {
        run_id: runId,
        seq: (await store.lastEventSeq(runId)) + 1,
        at: this.now(),
        level,
        message,
      },
    ]);
  }

  /** The run and its environment, if the run still waits (and is not past its window). */
  private async waiting(runId: string) {
    const run = await this.deps.store.getRun(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}`);
    const env = (await this.deps.store.getEnvironment(
      run.environment_id,
    )) as EnvironmentRow;
    if (run.status !== 'awaiting-approval') {
      throw new ConflictError(notWaiting(run));
    }
    if (run.approval_expires_at && run.approval_expires_at < this.now()) {
      await this.expire();
      throw new ConflictError(notWaiting({ ...run, status: 'expired' }));
    }
    return { run, env, gate: gateOf(run) };
  }

  async approve(
    runId: string,
    decider: Decider,
    body: { planHash?: unknown; comment?: unknown },
  ) {
    const { run, env, gate } = await this.waiting(runId);
    const me = decider.userEntityRef;
    if (typeof body.planHash !== 'string' || !body.planHash) {
      throw new InputError(
        'planHash is required: the hash of the plan you reviewed',
      );
    }
    if (body.planHash !== run.plan_hash) {
      throw new ConflictError(
        `You reviewed plan ${body.planHash.slice(
          0,
          12,
        )}, but this run waits with plan ${run.plan_hash?.slice(
          0,
          12,
        )}; review the plan shown now`,
      );
    }
    if (gate.approvalsRequired === 0) {
      throw new ConflictError(
        'This plan needs no approval, only an override of its broken soft rule(s) by the platform team',
      );
    }
    if (me === run.requested_by) {
      throw new NotAllowedError(
        `You asked for this ${
          run.kind
        }; someone else from ${gate.approverGroups.join(
          ' or ',
        )} must approve it`,
      );
    }
    if (
      !decider.ownershipEntityRefs.some(g => gate.approverGroups.includes(g))
    ) {
      throw new NotAllowedError(
        `Only members of ${gate.approverGroups.join(
          ' or ',
        )} may approve plans of ${env.service} / ${env.name}`,
      );
    }
    const result = await this.deps.gates.approve({
      run,
      approver: me,
      planHash: body.planHash,
      comment: typeof body.comment === 'string' ? body.comment : undefined,
      now: this.now(),
      required: gate.approvalsRequired,
      overrideMissing: gate.overrideRequired && !gate.override,
    });
    if (!result.queued && !result.waiting) {
      // Someone decided between our read and our write.
      const now = await this.deps.store.getRun(runId);
      if (now?.approved_at) {
        return { run: now, env, queued: false, approvals: result.approvals };
      }
      throw new ConflictError(notWaiting(now ?? run));
    }
    await this.note(
      runId,
      'info',
      `Approved by ${me} (${result.approvals} of ${gate.approvalsRequired})${
        typeof body.comment === 'string' && body.comment
          ? `: ${body.comment}`
          : ''
      }${result.queued ? '; the approved plan is queued to apply' : ''}`,
    );
    this.deps.onChange?.(env.id);
    return {
      run: (await this.deps.store.getRun(runId))!,
      env,
      queued: result.queued,
      approvals: result.approvals,
    };
  }

  async reject(runId: string, decider: Decider, reason: unknown) {
    const { run, env, gate } = await this.waiting(runId);
    if (typeof reason !== 'string' || !reason.trim()) {
      throw new InputError('reason is required: say why the plan is rejected');
    }
    const me = decider.userEntityRef;
    const approver = decider.ownershipEntityRefs.some(g =>
      gate.approverGroups.includes(g),
    );
    // The requester may withdraw their own request.
    if (!approver && me !== run.requested_by) {
      throw new NotAllowedError(
        `Only members of ${gate.approverGroups.join(
          ' or ',
        )}, or the requester, may reject plans of ${env.service} / ${env.name}`,
      );
    }
    const ended = await this.deps.gates.reject(
      run,
      me,
      reason.trim(),
      this.now(),
    );
    if (!ended) {
      throw new ConflictError(
        notWaiting((await this.deps.store.getRun(runId)) ?? run),
      );
    }
    this.deps.onChange?.(env.id);
    return { run: (await this.deps.store.getRun(runId))!, env };
  }

  /**
   * Overrides the broken soft rules of a waiting plan, with a reason (the
   * caller checked the override permission). A plan that needs no
   * approvals, or has them, is then queued.
   */
  async override(runId: string, by: string, reason: unknown) {
    const { run, env, gate } = await this.waiting(runId);
    if (typeof reason !== 'string' || !reason.trim()) {
      throw new InputError(
        'reason is required: say why the rule is overridden',
      );
    }
    if (!gate.overrideRequired || gate.override) {
      throw new ConflictError(
        gate.override
          ? `Already overridden by ${gate.override.by}`
          : 'No soft rule of this plan is broken; there is nothing to override',
      );
    }
    const next: RunGate = {
      ...gate,
      override: { by, at: this.now(), reason: reason.trim() },
    };
    const approvals = (await this.deps.gates.listDecisions([run.id])).filter(
      d => d.decision === 'approve' && d.plan_hash === run.plan_hash,
    ).length;
    const ready = approvals >= gate.approvalsRequired;
    const saved = ready
      ? await this.deps.gates.release(run, JSON.stringify(next), this.now())
      : await this.deps.gates.saveGate(run, JSON.stringify(next));
    if (!saved) {
      throw new ConflictError(
        notWaiting((await this.deps.store.getRun(runId)) ?? run),
      );
    }
    await this.note(
      runId,
      'warn',
      `Soft rule(s) overridden by ${by}: ${reason.trim()}${
        ready ? '; the plan is queued to apply' : ''
      }`,
    );
    this.deps.onChange?.(env.id);
    return { run: (await this.deps.store.getRun(runId))!, env, queued: ready };
  }

  /** Ends the plans whose approval window passed. */
  async expire() {
    const expired = await this.deps.gates.expireWaiting(this.now());
    for (const run of expired) {
      await this.note(
        run.id,
        'warn',
        `Expired: not approved before ${run.approval_expires_at}; re-plan to ask again`,
      );
      this.deps.onChange?.(run.environment_id);
    }
    return expired;
  }
}
