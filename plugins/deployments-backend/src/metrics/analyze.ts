import type {
  DeploymentFact,
  FailureReason,
  FailureReasonKind,
  Incident,
} from '@internal/plugin-deployments-common';
import { push } from './collections';

/** A deployment as the store holds it. */
export interface DeploymentRecord {
  id: string;
  service: string;
  environment: string;
  commit: string;
  version?: string;
  outcome: DeploymentFact['outcome'];
  startedAt?: string;
  finishedAt: string;
  pipelineUrl?: string;
  commitCount: number;
  createdAt: string;
}

/** A commit a deployment brought, with the first line of its message. */
export interface CommitRecord {
  deploymentId: string;
  sha: string;
  committedAt?: string;
  message?: string;
}

/** A deployment with what the history says about it. */
export interface AnalyzedDeployment extends DeploymentFact {
  /** Seconds from each commit it brought to it (successful deployments). */
  leadTimes: number[];
  /** Seconds from it to its recovery, when it failed and has recovered. */
  recoverySeconds?: number;
}

const STRENGTH: FailureReasonKind[] = [
  'failed',
  'rolled_back',
  'reverted',
  'hotfixed',
  'incident',
  'incident_inferred',
];

// git's own message for `git revert`, and the same squash-merged.
const REVERT = /^Revert "(.+)"(?: \(#\d+\))?$/;
const HOTFIX = /^\[?hotfix\b/i;

const short = (sha: string) => sha.slice(0, 8);
const ms = (iso: string) => Date.parse(iso);
const label = (d: { version?: string; commit: string }) =>
  d.version ? `${d.version} (${short(d.commit)})` : short(d.commit);

/**
 * Works out, for one service's deployments to one environment, which
 * deployments are change failures (and why, strongest reason first), which
 * are rework, when each failure recovered, and each deployment's lead
 * times. `deployments` may come in any order; `incidents` are the
 * service's incidents in that environment.
 *
 * - A failed deployment counts; so does one reported rolled back.
 * - A deployment that puts back a commit an earlier deployment ran rolls
 *   the environment back: every successful deployment since that earlier
 *   one, of another commit, is rolled back.
 * - A commit `Revert "<subject>"` (git's message) fails the last deployment
 *   that brought a commit with that subject; a commit starting with
 *   "hotfix" fails the deployment before the one that brings it.
 * - An incident tied to a deployment, or to a commit (the successful
 *   deployment that brought it), fails it; an incident tied to nothing
 *   fails the last successful deployment before it opened, as inferred.
 * - Recovery: the earliest of the deployments that restored (the
 *   rollback, the revert, the hotfix, or for a failed deployment the next
 *   successful one) and the resolution of the last of its incidents.
 * - Rework: rollbacks, deployments bringing a revert or a hotfix, and the
 *   first successful deployment after a failed one (unplanned).
 */
export function analyzeService(
  deployments: DeploymentRecord[],
  commits: Map<string, CommitRecord[]>,
  incidents: Incident[],
): AnalyzedDeployment[] {
  const ds: AnalyzedDeployment[] = [...deployments]
    .sort(
      (a, b) =>
        ms(a.finishedAt) - ms(b.finishedAt) ||
        ms(a.createdAt) - ms(b.createdAt),
    )
    .map(d => ({ ...d, leadTimes: [] }));
  const reasons = new Map<string, FailureReason[]>();
  const restorers = new Map<string, AnalyzedDeployment[]>();
  const addReason = (
    target: AnalyzedDeployment,
    reason: FailureReason,
    restorer?: AnalyzedDeployment,
  ) => {
    const list = reasons.get(target.id) ?? [];
    list.push(reason);
    reasons.set(target.id, list);
    if (restorer) {
      push(restorers, target.id, restorer);
    }
  };
  /** The successful deployment that first brought each commit. */
  const broughtBy = new Map<string, AnalyzedDeployment>();
  /** The last successful deployment that brought a commit with a subject. */
  const bySubject = new Map<string, AnalyzedDeployment>();
  const successes: AnalyzedDeployment[] = [];

  for (let i = 0; i < ds.length; i++) {
    const d = ds[i];
    const own = commits.get(d.id) ?? [];
    if (d.outcome === 'failure') {
      addReason(d, { kind: 'failed', detail: 'The deployment failed' });
    }
    if (d.outcome === 'rolled_back') {
      addReason(d, {
        kind: 'rolled_back',
        detail: 'Its pipeline reported it rolled back',
      });
    }
    if (d.outcome !== 'success') continue;

    const previous = successes[successes.length - 1];
    const before = i > 0 ? ds[i - 1] : undefined;
    // A rollback: the commit ran here before, and something else since.
    if (previous && previous.commit !== d.commit) {
      let earlier = -1;
      for (let k = successes.length - 2; k >= 0; k--) {
        if (successes[k].commit === d.commit) {
          earlier = k;
          break;
        }
      }
      if (earlier >= 0) {
        d.rework = {
          kind: 'rollback',
          detail: `Rolled the environment back to ${label(
            d,
          )}, deployed before at ${successes[earlier].finishedAt}`,
        };
        for (const rolled of successes.slice(earlier + 1)) {
          if (rolled.commit === d.commit) continue;
          addReason(
            rolled,
            {
              kind: 'rolled_back',
              detail: `Rolled back by the deployment of ${label(d)} at ${
                d.finishedAt
              }`,
              deploymentId: d.id,
            },
            d,
          );
        }
      }
    }
    for (const c of own) {
      const subject = (c.message ?? '').split('\n')[0];
      const revert = REVERT.exec(subject);
      if (revert) {
        const target = bySubject.get(revert[1]);
        if (target) {
          addReason(
            target,
            {
              kind: 'reverted',
              detail: `Its change "${revert[1]}" was reverted by ${short(
                c.sha,
              )}, deployed in ${label(d)} at ${d.finishedAt}`,
              deploymentId: d.id,
              commit: c.sha,
            },
            d,
          );
        }
        d.rework ??= {
          kind: 'revert',
          detail: `Brings the revert ${short(c.sha)} "${subject}"`,
        };
      } else if (HOTFIX.test(subject)) {
        if (previous) {
          addReason(
            previous,
            {
              kind: 'hotfixed',
              detail: `Hotfixed by ${short(
                c.sha,
              )} "${subject}", deployed in ${label(d)} at ${d.finishedAt}`,
              deploymentId: d.id,
              commit: c.sha,
            },
            d,
          );
        }
        d.rework ??= {
          kind: 'hotfix',
          detail: `Brings the hotfix ${short(c.sha)} "${subject}"`,
        };
      }
    }
    if (before && before.outcome === 'failure') {
      d.rework ??= {
        kind: 'restore',
        detail: `The first successful deployment after the failed deployment of ${label(
          before,
        )}`,
      };
    }
    for (const c of own) {
      const subject = (c.message ?? '').split('\n')[0];
      if (subject) bySubject.set(subject, d);
      // A commit's lead time ends when it first reached the environment,
      // not again when a rollback took it out and a later deployment back.
      if (broughtBy.has(c.sha)) continue;
      broughtBy.set(c.sha, d);
      if (c.committedAt) {
        d.leadTimes.push(
          Math.max(0, (ms(d.finishedAt) - ms(c.committedAt)) / 1000),
        );
      }
    }
    if (!broughtBy.has(d.commit)) broughtBy.set(d.commit, d);
    successes.push(d);
  }

  const byId = new Map(ds.map(d => [d.id, d]));
  const incidentsOf = new Map<string, Incident[]>();
  for (const incident of incidents) {
    let target = incident.deploymentId
      ? byId.get(incident.deploymentId)
      : undefined;
    if (!target && incident.commit) target = broughtBy.get(incident.commit);
    const tied = !!(incident.deploymentId || incident.commit);
    if (tied && !target) continue; // Tied to a deployment elsewhere.
    let inferred = false;
    if (!target) {
      const opened = ms(incident.openedAt);
      for (let k = successes.length - 1; k >= 0; k--) {
        if (ms(successes[k].finishedAt) <= opened) {
          target = successes[k];
          inferred = true;
          break;
        }
      }
    }
    if (!target) continue;
    push(incidentsOf, target.id, incident);
    addReason(target, {
      kind: inferred ? 'incident_inferred' : 'incident',
      detail: inferred
        ? `Incident "${incident.title}" (${incident.severity}) opened at ${incident.openedAt}, after this deployment and before the next one (inferred)`
        : `Incident "${incident.title}" (${incident.severity}) opened at ${incident.openedAt}`,
      incidentId: incident.id,
      inferred: inferred || undefined,
    });
  }

  for (const d of ds) {
    const list = reasons.get(d.id);
    if (!list) continue;
    list.sort((a, b) => STRENGTH.indexOf(a.kind) - STRENGTH.indexOf(b.kind));
    d.failure = { reasons: list };
    // Recovered at the first sign: a deployment that restored, or the
    // resolution of the last of its incidents.
    const candidates: Array<{ at: number; by: string }> = (
      restorers.get(d.id) ?? []
    ).map(r => ({ at: ms(r.finishedAt), by: `deployment:${r.id}` }));
    if (
      list.some(
        r =>
          r.kind === 'failed' || (r.kind === 'rolled_back' && !r.deploymentId),
      )
    ) {
      const next = ds.find(
        n => n.outcome === 'success' && ms(n.finishedAt) > ms(d.finishedAt),
      );
      if (next) {
        candidates.push({
          at: ms(next.finishedAt),
          by: `deployment:${next.id}`,
        });
      }
    }
    const own = incidentsOf.get(d.id) ?? [];
    if (own.length && own.every(i => i.resolvedAt)) {
      const last = own.reduce((a, b) =>
        ms(a.resolvedAt!) >= ms(b.resolvedAt!) ? a : b,
      );
      candidates.push({ at: ms(last.resolvedAt!), by: `incident:${last.id}` });
    }
    candidates.sort((a, b) => a.at - b.at);
    const recoveredAt = candidates[0]?.at;
    const recoveredBy = candidates[0]?.by;
    if (recoveredAt !== undefined) {
      d.failure.recoveredAt = new Date(recoveredAt).toISOString();
      d.failure.recoveredBy = recoveredBy;
      d.recoverySeconds = Math.max(0, (recoveredAt - ms(d.finishedAt)) / 1000);
    }
  }
  return ds;
}
