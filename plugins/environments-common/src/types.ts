/**
 * A building block of environments: the `metadata.name` of an approved
 * module's manifest (terraform/modules/<folder>/paved-module.yaml), e.g.
 * postgres. The backend's `GET /options` lists the approved ones.
 */
export type EnvironmentResource = string;

/** A question a module asks the developer (a manifest's `from: form` input). */
export type ModuleFormInput = {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  title: string;
  description?: string;
  enum?: Array<string | number>;
  default?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  pattern?: string;
};

/** An approved module as the options API offers it. */
export type ModuleOption = {
  id: EnvironmentResource;
  title: string;
  description: string;
  /** Its folder under terraform/modules; catalog component `terraform-<module>`. */
  module: string;
  version: string;
  owner: string;
  /** The catalog Resource type of what it provisions, e.g. database. */
  resourceType: string;
  inputs: ModuleFormInput[];
};

/** A module manifest that was refused, and why. */
export type ModuleProblemInfo = {
  file: string;
  name?: string;
  message: string;
};

/** A building block of an environment: the module version it runs on. */
export type EnvironmentModule = {
  id: EnvironmentResource;
  /** The version it was last applied with; none before the first apply. */
  appliedVersion?: string;
  /** The approved version now; none when the module is no longer approved. */
  latestVersion?: string;
  updateAvailable: boolean;
  /** Why the module cannot be applied, when it cannot. */
  problem?: string;
};

/** Events topic published whenever an environment changes. */
export const ENVIRONMENTS_TOPIC = 'paved.environments';

/** Size classes, passed to the modules (e.g. the database's connection limit). */
export const ENVIRONMENT_SIZES = ['small', 'medium', 'large'] as const;
/** One of {@link ENVIRONMENT_SIZES}. */
export type EnvironmentSize = (typeof ENVIRONMENT_SIZES)[number];

/** Where an environment is in its life. */
export type EnvironmentStatus =
  | 'pending' // created, first apply queued
  | 'queued' // an apply or destroy is waiting for its turn
  | 'provisioning' // an apply is running
  | 'ready' // applied, and its credentials connect
  | 'degraded' // applied, but a credential check failed
  | 'failed' // the last apply or destroy failed; state kept, re-apply or destroy
  | 'interrupted' // the backend stopped during an apply; re-plan to continue
  | 'destroy-interrupted' // the backend stopped during a destroy; resume it
  | 'awaiting-approval' // its first apply waits for approval (protected, or a soft policy)
  | 'blocked' // its first apply was stopped by a policy
  | 'rejected' // its first apply was rejected by an approver
  | 'destroying'
  | 'destroyed';

/** The last check that an environment's credentials connect. */
export type CredentialCheck = {
  /** The credential, e.g. postgres_url. */
  name: string;
  ok: boolean;
  message: string;
};

/** The result of the last drift check. */
export type EnvironmentDrift = 'unknown' | 'in-sync' | 'drifted';

/** What a run does. */
export type RunKind =
  | 'apply' // plan, then apply that plan
  | 'destroy' // plan -destroy, then apply that plan
  | 'plan' // plan only (re-plan)
  | 'plan-destroy' // plan -destroy only: what a destroy would remove
  | 'drift'; // plan -detailed-exitcode, marks the environment drifted

/** Where a run is. */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'interrupted'
  /** Planned; waits for approvals (or a policy override) before applying. */
  | 'awaiting-approval'
  /** A hard policy, or a policy file that cannot be read, stopped it. */
  | 'blocked'
  | 'rejected'
  /** Nobody approved it within the approval window. */
  | 'expired'
  /** A newer plan of the same environment replaced it. */
  | 'voided';

/** What a broken policy rule does: warn, block unless overridden, block. */
export type PolicyLevel = 'advisory' | 'soft' | 'hard';

/** One policy rule checked against a run's plan and request. */
export type PolicyResult = {
  rule: string;
  level: PolicyLevel;
  passed: boolean;
  /** The rule's own words: why it exists and what to do. */
  explanation: string;
};

/** What an environment costs a month, before and after a run. */
export type CostChange = {
  currency: string;
  before: number;
  after: number;
  delta: number;
  /** The owning group's live environments a month, after the run. */
  teamMonthly: number;
  budget?: number;
};

/** A decision on a plan that waits. */
export type RunApproval = {
  by: string;
  at: string;
  decision: 'approve' | 'reject';
  comment?: string;
};

/** What stands between a plan and its apply. */
export type RunGate = {
  /** The environment is protected: approvals are needed. */
  protected: boolean;
  approvalsRequired: number;
  /** Groups whose members may approve (the owner's, the platform team's). */
  approverGroups: string[];
  approvals: RunApproval[];
  /** SHA-256 of the saved plan file an approval applies. */
  planHash?: string;
  /** When the plan stops waiting. */
  expiresAt?: string;
  policy: PolicyResult[];
  /** How long checking the rules took, in milliseconds. */
  policyMs?: number;
  /** Why the policies could not be checked, when they could not. */
  policyError?: string;
  /** A broken soft rule waits for an override with a reason. */
  overrideRequired: boolean;
  override?: { by: string; at: string; reason: string };
  cost?: CostChange;
};

/** One resource change in a plan. */
export type PlannedChange = {
  address: string;
  /** Terraform's action: create, update, delete, replace, read, noop, move, ... */
  action: string;
};

/** What a plan would do. */
export type PlanSummary = {
  add: number;
  change: number;
  remove: number;
  changes: PlannedChange[];
};

/** One Terraform run of one environment. */
export type EnvironmentRun = {
  id: string;
  environmentId: string;
  kind: RunKind;
  status: RunStatus;
  /** User entity ref, or `system:<job>` for the scheduler. */
  requestedBy: string;
  /** Why the run was made, e.g. "expired" for the TTL sweep. */
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  plan?: PlanSummary;
  /** Terraform's error, when the run failed. */
  error?: string;
  /** Policies, cost and approvals, once planned. */
  gate?: RunGate;
};

/** An environment as every signed-in user may see it (never secrets). */
export type Environment = {
  id: string;
  /** e.g. dev, staging, pr-42 */
  name: string;
  /** The service's entity ref, e.g. component:default/payments-api. */
  service: string;
  /** The owning group's entity ref, the service's owner. */
  owner: string;
  size: EnvironmentSize;
  resources: EnvironmentResource[];
  /** Each building block's module version, and whether an update is there. */
  modules?: EnvironmentModule[];
  status: EnvironmentStatus;
  drift: EnvironmentDrift;
  driftCheckedAt?: string;
  createdBy: string;
  createdAt: string;
  /** When the lifecycle sweep destroys it. */
  expiresAt: string;
  destroyedAt?: string;
  destroyedBy?: string;
  /** The Resource entity that stands for the environment in the catalog. */
  entityRef: string;
  lastRun?: EnvironmentRun;
  /** Non-sensitive Terraform outputs. */
  outputs: Record<string, string | number | boolean>;
  /** Names of the sensitive outputs, revealed only through the secrets call. */
  sensitiveOutputs: string[];
  /** The last credential checks (after an apply, and at each drift check). */
  checks?: CredentialCheck[];
  checkedAt?: string;
  /** What its building blocks cost a month (the price table). */
  monthlyCost?: number;
  /** Whether its applies and destroys wait for approval. */
  protected?: boolean;
};

/** What the portal offers when asking for an environment. */
export type EnvironmentOptions = {
  resources: ModuleOption[];
  /** Manifests that were refused: those modules are not offered. */
  problems: ModuleProblemInfo[];
  sizes: EnvironmentSize[];
  defaultTtlHours: number;
  maxTtlHours: number;
  /** Monthly prices, for the estimate on the form. */
  prices?: {
    currency: string;
    default: number;
    modules: Record<string, Partial<Record<EnvironmentSize, number>>>;
  };
};

/** A team's spending on environments (`GET /costs`). */
export type TeamCost = {
  owner: string;
  currency: string;
  /** Its live environments, a month. */
  monthly: number;
  /** Spent this calendar month (UTC) so far. */
  monthSoFar: number;
  /** The month's total if every live environment runs until it expires. */
  projected: number;
  budget?: number;
};

/** An estimate for a request, before anything runs (`POST /costs/estimate`). */
export type CostEstimate = {
  currency: string;
  monthly: number;
  teamMonthly: number;
  budget?: number;
  /** The team's monthly cost with this environment is above its budget. */
  overBudget: boolean;
  protected: boolean;
};

/** One line of the audit trail: who did what to which environment. */
export type AuditEntry = {
  id: number;
  at: string;
  actor: string;
  /** e.g. environment-create, run-request, run-approve, run-reject. */
  action: string;
  outcome: 'succeeded' | 'failed' | 'refused';
  environmentId?: string;
  service?: string;
  environment?: string;
  owner?: string;
  runId?: string;
  detail?: string;
};

/** The body of a request for a new environment. */
export type CreateEnvironmentRequest = {
  service: string;
  /** The service's owner in the catalog; taken from there when left out. */
  owner?: string;
  name: string;
  size: EnvironmentSize;
  resources: EnvironmentResource[];
  /** Per building block, the answers to its module's form inputs. */
  inputs?: Record<
    EnvironmentResource,
    Record<string, string | number | boolean>
  >;
  ttlHours?: number;
  /**
   * A key of this request, e.g. a scaffolder task and step: asking again
   * with the same key returns the environment it made (200) instead of a
   * conflict, so a step resumed after a crash does not fail.
   */
  requestId?: string;
};

/** One line of a run's progress log. */
export type RunEvent = {
  seq: number;
  at: string;
  level: 'info' | 'warn' | 'error';
  message: string;
};
