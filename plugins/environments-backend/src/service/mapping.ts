import { parseEntityRef } from '@backstage/catalog-model';
import {
  Environment,
  environmentEntityName,
  EnvironmentModule,
  EnvironmentResource,
  EnvironmentRun,
} from '@internal/plugin-environments-common';
import { EnvironmentRow, RunApprovalRow, RunRow } from '../database/tables';
import { ModuleManifest } from '@internal/plugin-environments-node';
import { ModuleRegistry } from '../modules/ModuleRegistry';
import { credentialNames } from '../terraform/rootModule';

/** A run as the API shows it, with the decisions on its plan. */
export function toRun(
  row: RunRow,
  decisions: RunApprovalRow[] = [],
): EnvironmentRun {
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
    gate: row.gate
      ? {
          ...JSON.parse(row.gate),
          planHash: row.plan_hash ?? undefined,
          expiresAt: row.approval_expires_at ?? undefined,
          approvals: decisions
            .filter(d => d.run_id === row.id)
            .map(d => ({
              by: d.approver,
              at: d.at,
              decision: d.decision,
              comment: d.comment ?? undefined,
            })),
        }
      : undefined,
  };
}

/**
 * An environment as the API shows it: never secrets. One whose apply or
 * destroy waits for its turn (behind another run, or for a free worker)
 * shows as `queued`, not as the outcome of its previous run.
 */
export function toEnvironment(
  row: EnvironmentRow,
  related: {
    lastRun?: RunRow;
    changeQueued?: boolean;
    modules?: Pick<ModuleRegistry, 'get' | 'problemOf'>;
    monthlyCost?: number;
    protected?: boolean;
  } = {},
): Environment {
  const { lastRun, changeQueued, modules } = related;
  const applied: Record<string, ModuleManifest> = row.applied_modules
    ? JSON.parse(row.applied_modules)
    : {};
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
    modules: modules && moduleVersions(resources, applied, modules),
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
    sensitiveOutputs: sensitiveOutputNames(
      resources,
      row.status,
      applied,
      modules,
    ),
    checks: row.checks ? JSON.parse(row.checks) : undefined,
    checkedAt: row.checked_at ?? undefined,
    monthlyCost: related.monthlyCost,
    protected: related.protected,
  };
}

/** The credentials' names, e.g. postgres_url: from the manifests. */
function sensitiveOutputNames(
  resources: EnvironmentResource[],
  status: string,
  applied: Record<string, ModuleManifest>,
  modules?: Pick<ModuleRegistry, 'get'>,
) {
  if (status === 'destroyed') return [];
  return resources.flatMap(r => {
    const manifest = applied[r] ?? modules?.get(r)?.manifest;
    return manifest
      ? credentialNames(r, manifest)
      : [`${r}_url`, `${r}_password`];
  });
}

/** Each building block's applied and approved module version. */
function moduleVersions(
  resources: EnvironmentResource[],
  applied: Record<string, ModuleManifest>,
  modules: Pick<ModuleRegistry, 'get' | 'problemOf'>,
): EnvironmentModule[] {
  return resources.map(id => {
    const appliedVersion = applied[id]?.metadata.version;
    const latestVersion = modules.get(id)?.manifest.metadata.version;
    return {
      id,
      appliedVersion,
      latestVersion,
      updateAvailable: Boolean(
        appliedVersion && latestVersion && appliedVersion !== latestVersion,
      ),
      problem: latestVersion
        ? undefined
        : modules.problemOf(id) ??
          `The ${id} module is no longer approved; the environment can still be destroyed${
            appliedVersion ? ` with version ${appliedVersion}` : ''
          }`,
    };
  });
}
