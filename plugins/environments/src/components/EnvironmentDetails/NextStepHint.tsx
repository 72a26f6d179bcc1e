import { Environment } from '@internal/plugin-environments-common';
import { Alert } from '@backstage/ui';

/** What the owner should do next, when the environment needs them. */
export function nextStep(environment: Environment): string | undefined {
  const expired = Date.parse(environment.expiresAt) < Date.now();
  switch (environment.status) {
    case 'failed':
      return `The last ${
        environment.lastRun?.kind ?? 'run'
      } failed; its error is in the run below. Terraform kept the state: fix the cause, then Apply again, or Destroy to remove what was made.`;
    case 'interrupted':
      return 'The portal stopped during the last run. Terraform saved its state: Re-plan to see what is left, then Apply.';
    default:
  }
  if (environment.status === 'ready' && environment.drift === 'drifted') {
    return 'The drift check found that the infrastructure no longer matches its configuration: Re-plan to see the difference, then Apply.';
  }
  if (expired && environment.status !== 'destroyed') {
    return 'This environment has expired and will be destroyed shortly. Extend it to keep it.';
  }
  return undefined;
}

/** A hint above the facts when the environment needs its owner. */
export function NextStepHint({ environment }: { environment: Environment }) {
  const hint = nextStep(environment);
  return hint ? (
    <Alert status="warning" icon title="Needs you" description={hint} />
  ) : null;
}
