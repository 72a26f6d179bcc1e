/** A row of `environments`. Times are ISO 8601 strings in UTC. */
export type EnvironmentRow = {
  id: string;
  name: string;
  service: string;
  owner: string;
  size: string;
  /** JSON array of resource ids. */
  resources: string;
  status: string;
  drift: string;
  drift_checked_at: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  destroyed_at: string | null;
  destroyed_by: string | null;
  /** The pg backend's schema, or the local state file's name. */
  state_key: string;
  active_run_id: string | null;
  last_run_id: string | null;
  /** JSON object of the non-sensitive outputs. */
  outputs: string;
  /** Sealed JSON object of the sensitive outputs. */
  sensitive_outputs: string | null;
  /** Sealed JSON object of the generated passwords. */
  secret_inputs: string;
  /** JSON array of the last credential checks (CredentialCheck). */
  checks?: string | null;
  checked_at?: string | null;
  /** JSON object: per building block, its form inputs. */
  module_inputs?: string | null;
  /** JSON object: per building block, the manifest it was last applied with. */
  applied_modules?: string | null;
  /** The key of the request that made it (a scaffolder task's step). */
  request_id?: string | null;
  /** When its owners were told it expires within a day. */
  expiry_notified_at?: string | null;
};

/** A row of `runs`. */
export type RunRow = {
  id: string;
  environment_id: string;
  kind: string;
  status: string;
  requested_by: string;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
  claimed_by: string | null;
  /** JSON plan summary. */
  plan: string | null;
  error: string | null;
  /** JSON RunGate without its approvals (those are rows of run_approvals). */
  gate?: string | null;
  /** SHA-256 of the saved plan that waits for approval. */
  plan_hash?: string | null;
  approval_expires_at?: string | null;
  /** Set when its approvals were complete: it applies its saved plan. */
  approved_at?: string | null;
};

/** A row of `run_plans`: a saved plan file that waits, sealed. */
export type RunPlanRow = {
  run_id: string;
  plan_hash: string;
  sealed: string;
  created_at: string;
};

/** A row of `run_approvals`. */
export type RunApprovalRow = {
  run_id: string;
  approver: string;
  decision: 'approve' | 'reject';
  plan_hash: string;
  comment: string | null;
  at: string;
};

/** A row of `environment_audit`. */
export type AuditRow = {
  id?: number;
  at: string;
  actor: string;
  action: string;
  outcome: 'succeeded' | 'failed' | 'refused';
  environment_id: string | null;
  service: string | null;
  environment: string | null;
  owner: string | null;
  run_id: string | null;
  detail: string | null;
};

/** A row of `run_events`. */
export type RunEventRow = {
  run_id: string;
  seq: number;
  at: string;
  level: string;
  message: string;
};
