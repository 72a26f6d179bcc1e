import { Deployment } from '@internal/plugin-git-host';

const units: Array<[string, number]> = [
  ['day', 24 * 3_600_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "3 hours ago", "just now". */
export function timeAgo(date: string, now = Date.now()): string {
  const ms = now - Date.parse(date);
  for (const [unit, size] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  }
  return 'just now';
}

/**
 * "deployed 01234567 to prod 3 hours ago", or what went wrong with the
 * last deployment.
 */
export function deploymentText(deployment: Deployment, now = Date.now()) {
  const what = `${deployment.commit.slice(0, 8)} to ${deployment.environment}`;
  const when = timeAgo(deployment.finishedAt, now);
  if (deployment.outcome === 'failure') {
    return `deploy of ${what} failed ${when}`;
  }
  if (deployment.outcome === 'rolled_back') {
    return `deploy of ${what} rolled back ${when}`;
  }
  return `deployed ${what} ${when}`;
}
