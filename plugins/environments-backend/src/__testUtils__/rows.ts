import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { EnvironmentRow, RunRow } from '../database/tables';

/** The plugin's tables, migrated to the latest version. */
export async function migrated(knex: Knex) {
  await knex.migrate.latest({
    directory: resolvePackagePath(
      '@internal/plugin-environments-backend',
      'migrations',
    ),
    tableName: 'environments__knex_migrations',
  });
  return knex;
}

let n = 0;
/** An environment row, unique per call, with what differs. */
export function environment(
  patch: Partial<EnvironmentRow> = {},
): EnvironmentRow {
  n += 1;
  return {
    id: `env-${n}`,
    name: 'dev',
    service: `component:default/svc-${n}`,
    owner: 'group:default/payments',
    size: 'small',
    resources: '["postgres"]',
    status: 'pending',
    drift: 'unknown',
    drift_checked_at: null,
    created_by: 'user:default/alice',
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    destroyed_at: null,
    destroyed_by: null,
    state_key: `env-${n}.tfstate`,
    active_run_id: null,
    last_run_id: null,
    outputs: '{}',
    sensitive_outputs: null,
    secret_inputs: 'v1.x.x.x',
    ...patch,
  };
}

/** A run row, unique per call, with what differs. */
export function run(
  environmentId: string,
  patch: Partial<RunRow> = {},
): RunRow {
  n += 1;
  return {
    id: `run-${n}`,
    environment_id: environmentId,
    kind: 'apply',
    status: 'queued',
    requested_by: 'user:default/alice',
    reason: null,
    created_at: new Date(Date.now() + n).toISOString(),
    started_at: null,
    finished_at: null,
    heartbeat_at: null,
    claimed_by: null,
    plan: null,
    error: null,
    ...patch,
  };
}
