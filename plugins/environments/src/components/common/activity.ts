import {
  Environment,
  EnvironmentRun,
} from '@internal/plugin-environments-common';

/** A run that has not finished yet. */
export function isRunActive(run: EnvironmentRun | undefined): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

/**
 * Whether something is happening to the environment: a run waits or runs, or
 * the environment is between states. New runs are refused meanwhile.
 */
export function isEnvironmentBusy(
  environment: Environment,
  runs: EnvironmentRun[] = [],
): boolean {
  return (
    ['pending', 'provisioning', 'destroying'].includes(environment.status) ||
    isRunActive(environment.lastRun) ||
    runs.some(isRunActive)
  );
}

/** "plan-destroy" reads as "destroy preview" in the portal. */
export function runKindTitle(kind: EnvironmentRun['kind']): string {
  switch (kind) {
    case 'plan':
      return 'Plan';
    case 'apply':
      return 'Apply';
    case 'destroy':
      return 'Destroy';
    case 'plan-destroy':
      return 'Destroy preview';
    case 'drift':
      return 'Drift check';
    default:
      return kind;
  }
}
