import { parseEntityRef } from '@backstage/catalog-model';
import {
  Environment,
  environmentEntityName,
  EnvironmentResource,
  EnvironmentRun,
} from '@internal/plugin-environments-common';
import { EnvironmentRow, RunRow } from '../database/tables';
import { credentialNames } from '../terraform/rootModule';

/** A run as the API shows it. */
export function toRun(row: RunRow): EnvironmentRun {
  return {
    id: row.id,
    environmentId: row.environment_id,
    kind: row.kind as EnvironmentRun['kind'],
    status: row.status as EnvironmentRun['status'],
    requestedBy: row.requested_by,
    reason: row.reason ?? undefined,
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    plan: row.plan ? JSON.parse(row.plan) : undefined,
    error: row.error ?? undefined,
  };
}

/**
 * An environment as the API shows it: never secrets. One whose apply or
 * destroy waits for its turn (behind another run, or for a free worker)
 * shows as `queued`, not as the outcome of its previous run.
 */
export function toEnvironment(
  row: EnvironmentRow,
  related: { lastRun?: RunRow; changeQueued?: boolean } = {},
): Environment {
  const { lastRun, changeQueued } = related;
  const resources = JSON.parse(row.resources) as EnvironmentResource[];
  const status =
    changeQueued &&
    !['pending', 'provisioning', 'destroying'].includes(row.status)
      ? 'queued'
      : row.status;
  return {
    id: row.id,
    name: row.name,
    service: row.service,
    owner: row.owner,
    size: row.size as Environment['size'],
    resources,
    status: status as Environment['status'],
    drift: row.drift as Environment['drift'],
    driftCheckedAt: row.drift_checked_at ?? undefined,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    destroyedAt: row.destroyed_at ?? undefined,
    destroyedBy: row.destroyed_by ?? undefined,
    entityRef: `resource:${
      parseEntityRef(row.service).namespace
    }/${environmentEntityName(parseEntityRef(row.service).name, row.name)}`,
    lastRun: lastRun ? toRun(lastRun) : undefined,
    outputs: JSON.parse(row.outputs),
    sensitiveOutputs: sensitiveOutputNames(resources, row.status),
    checks: row.checks ? JSON.parse(row.checks) : undefined,
    checkedAt: row.checked_at ?? undefined,
  };
}

function sensitiveOutputNames(
  resources: EnvironmentResource[],
  status: string,
) {
  if (status === 'destroyed') return [];
  return resources.flatMap(r => credentialNames([r]));
}
