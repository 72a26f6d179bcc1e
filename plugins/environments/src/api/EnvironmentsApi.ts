import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  AuditEntry,
  CostEstimate,
  CreateEnvironmentRequest,
  Environment,
  EnvironmentOptions,
  EnvironmentRun,
  EnvironmentStatus,
  RunEvent,
  RunKind,
  TeamCost,
} from '@internal/plugin-environments-common';

/** Narrows the environments list; every field is optional. */
export type EnvironmentFilter = {
  /** The owning group's entity ref. */
  owner?: string;
  status?: EnvironmentStatus;
  /** The service's entity ref. */
  service?: string;
  /** Destroyed environments are left out unless asked for. */
  includeDestroyed?: boolean;
};

/** The runs a user may ask for; drift checks are the scheduler's. */
export type RequestedRunKind = Exclude<RunKind, 'drift'>;

/** A run's log lines after a given one, and whether more can come. */
export type RunEventsPage = {
  items: RunEvent[];
  finished: boolean;
};

/** Narrows the audit trail; newest first. */
export type AuditFilter = {
  owner?: string;
  environment?: string;
  actor?: string;
  /** Entries older than this id (the next page). */
  before?: number;
  limit?: number;
};

/** Talks to the environments backend plugin. */
export interface EnvironmentsApi {
  /** The resources, sizes and lifetimes the portal offers. */
  getOptions(): Promise<EnvironmentOptions>;
  /** Environments, newest first. */
  listEnvironments(filter?: EnvironmentFilter): Promise<Environment[]>;
  /** Asks for a new environment; its first apply is queued. */
  createEnvironment(
    request: CreateEnvironmentRequest,
  ): Promise<{ environment: Environment; run: EnvironmentRun }>;
  getEnvironment(id: string): Promise<Environment>;
  /** An environment's runs, newest first. */
  listRuns(environmentId: string): Promise<EnvironmentRun[]>;
  /** Queues a run of an environment. */
  requestRun(
    environmentId: string,
    kind: RequestedRunKind,
  ): Promise<EnvironmentRun>;
  /** Moves the expiry to `ttlHours` from now. */
  extendEnvironment(
    environmentId: string,
    ttlHours: number,
  ): Promise<Environment>;
  /** The sensitive outputs; only the owning group may read them. */
  getSecrets(environmentId: string): Promise<Record<string, string>>;
  getRun(runId: string): Promise<EnvironmentRun>;
  /** A run's log lines with a sequence number above `after`. */
  getRunEvents(runId: string, after?: number): Promise<RunEventsPage>;
  /** Approves the waiting plan with this hash (the one the approver saw). */
  approveRun(
    runId: string,
    planHash: string,
    comment?: string,
  ): Promise<EnvironmentRun>;
  /** Rejects a waiting plan, with the reason. */
  rejectRun(runId: string, reason: string): Promise<EnvironmentRun>;
  /** Overrides a waiting plan's broken soft rules (platform team), with the reason. */
  overrideRun(runId: string, reason: string): Promise<EnvironmentRun>;
  /** Teams' spending this month; every team with environments when none named. */
  getTeamCosts(owners?: string[]): Promise<TeamCost[]>;
  /** What a requested environment would cost, before anything runs. */
  estimateCost(request: {
    owner: string;
    name?: string;
    size: string;
    resources: string[];
  }): Promise<CostEstimate>;
  /** The audit trail (platform team only). */
  listAudit(filter?: AuditFilter): Promise<AuditEntry[]>;
}

export const environmentsApiRef = createApiRef<EnvironmentsApi>().with({
  id: 'plugin.environments.service',
  pluginId: 'environments',
});
