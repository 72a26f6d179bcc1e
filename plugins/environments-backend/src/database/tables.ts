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
};

/** A row of `run_events`. */
export type RunEventRow = {
  run_id: string;
  seq: number;
  at: string;
  level: string;
  message: string;
};
