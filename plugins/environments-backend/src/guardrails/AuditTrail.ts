import { LoggerService } from '@backstage/backend-plugin-api';
import { AuditEntry } from '@internal/plugin-environments-common';
import { AuditFilter, GateStore } from '../database/GateStore';
import { EnvironmentRow } from '../database/tables';

/** What an audit line is about. */
export type AuditSubject = Pick<
  EnvironmentRow,
  'id' | 'service' | 'name' | 'owner'
>;

/** How an action that threw ended: refused (the caller's fault) or failed. */
export function outcomeOf(error: unknown): 'refused' | 'failed' {
  const name = (error as Error)?.name;
  return [
    'NotAllowedError',
    'ConflictError',
    'InputError',
    'NotFoundError',
    'AuthenticationError',
  ].includes(name)
    ? 'refused'
    : 'failed';
}

/**
 * The audit trail of environments, in the database (Backstage's auditor
 * writes to the logs as well): every request, decision and run outcome,
 * with who, when and how it ended. Recording never fails the action.
 */
export class AuditTrail {
  constructor(
    private readonly deps: {
      gates: GateStore;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  async record(entry: {
    actor: string;
    action: string;
    outcome: AuditEntry['outcome'];
    subject?: AuditSubject;
    runId?: string;
    detail?: string;
  }) {
    const { subject } = entry;
    try {
      await this.deps.gates.audit({
        at: (this.deps.now?.() ?? new Date()).toISOString(),
        actor: entry.actor,
        action: entry.action,
        outcome: entry.outcome,
        environment_id: subject?.id || null,
        service: subject?.service ?? null,
        environment: subject?.name ?? null,
        owner: subject?.owner ?? null,
        run_id: entry.runId ?? null,
        detail: entry.detail?.slice(0, 2000) ?? null,
      });
    } catch (error) {
      this.deps.logger.error(
        `Could not record ${entry.action} by ${entry.actor} in the audit trail: ${error}`,
      );
    }
  }

  async list(filter: AuditFilter): Promise<AuditEntry[]> {
    return (await this.deps.gates.listAudit(filter)).map(row => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      action: row.action,
      outcome: row.outcome,
      environmentId: row.environment_id ?? undefined,
      service: row.service ?? undefined,
      environment: row.environment ?? undefined,
      owner: row.owner ?? undefined,
      runId: row.run_id ?? undefined,
      detail: row.detail ?? undefined,
    }));
  }
}
