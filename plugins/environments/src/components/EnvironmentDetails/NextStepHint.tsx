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
    case 'destroy-interrupted':
      return 'The portal stopped during the destroy, so part of this environment may already be gone while its state still lists it. Resume the destroy to finish removing it; only the platform team may apply it again instead.';
    case 'awaiting-approval':
      return 'Its first apply waits for approval (see above): someone other than the requester, from the groups named there, must approve the plan. Nothing is made until then.';
    case 'blocked':
      return `A policy stopped its first apply: ${
        environment.lastRun?.error ?? 'see the run below'
      }. Change what the rule names (ask for another size or name), or Destroy it.`;
    case 'rejected':
      return 'Its first apply was rejected; the reason is in the run below. Apply again to ask once more, or Destroy it.';
    case 'degraded': {
      const failed = environment.checks?.filter(c => !c.ok) ?? [];
      return `Terraform applied, but ${
        failed.map(c => c.name).join(', ') || 'a credential'
      } did not connect at the last check, so the service cannot use this environment. Apply again to re-create what is missing, or Destroy it and ask for a new one; the platform team can help if it keeps failing.`;
    }
    default:
  }
  if (environment.status === 'ready' && environment.drift === 'drifted') {
    return 'The drift check found that the infrastructure no longer matches its configuration: Re-plan to see the difference, then Apply.';
  }
  if (environment.status !== 'destroyed') {
    const withdrawn = environment.modules?.filter(m => m.problem) ?? [];
    if (withdrawn.length) {
      return `${withdrawn
        .map(m => m.problem)
        .join(
          ' ',
        )} Until the platform team publishes it again, this environment can only be destroyed.`;
    }
    const updates = environment.modules?.filter(m => m.updateAvailable) ?? [];
    if (updates.length && environment.status === 'ready') {
      return `An update is available: ${updates
        .map(m => `${m.id} ${m.appliedVersion} → ${m.latestVersion}`)
        .join(
          ', ',
        )}. Re-plan to see what it would change (anything destroyed and created again is marked in red), then Apply to update.`;
    }
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
