import { AnalyzedDeployment } from './analyze';
import { bandOf, Bands } from './bands';
import {
  localDate,
  median,
  mondayOf,
  percentile,
  weeksOf,
  isoWeek,
} from './time';
import type {
  Figure,
  Figures,
  FiguresSummary,
  WeekFigures,
} from '@internal/plugin-deployments-common';
import { push } from './collections';

export interface Window {
  days: number;
  from: Date;
  to: Date;
  timeZone: string;
}

const ms = (iso: string) => Date.parse(iso);

/** The first reason whose condition holds. */
function firstReason(reasons: Array<[boolean, string]>) {
  return reasons.find(([holds]) => holds)?.[1];
}

/**
 * When a deployment finished, and its calendar date in a time zone,
 * remembered per deployment: the insights page counts each deployment in
 * its team, its department and its golden path.
 */
const finished = new WeakMap<
  AnalyzedDeployment,
  { at: number; timeZone?: string; date?: string }
>();
function finishedOf(d: AnalyzedDeployment) {
  let entry = finished.get(d);
  if (!entry) {
    entry = { at: ms(d.finishedAt) };
    finished.set(d, entry);
  }
  return entry;
}
function dateOf(d: AnalyzedDeployment, timeZone: string) {
  const entry = finishedOf(d);
  if (entry.timeZone !== timeZone) {
    entry.date = localDate(new Date(entry.at), timeZone);
    entry.timeZone = timeZone;
  }
  return entry.date!;
}

function within(d: AnalyzedDeployment, from: Date, to: Date) {
  const t = finishedOf(d).at;
  return t >= from.getTime() && t < to.getTime();
}

/**
 * The five figures over the deployments of a window (any number of
 * services, one environment). `incidentsRecorded` says whether the
 * services have any incident in the period, which changes what the change
 * failure rate can see.
 */
export function figuresOf(
  analyzed: AnalyzedDeployment[],
  window: Window,
  environment: string,
  bands: Bands,
  incidentsRecorded: boolean,
): Figures {
  const inWindow = analyzed.filter(d => within(d, window.from, window.to));
  const total = inWindow.length;
  const successful = inWindow.filter(d => d.outcome === 'success');
  const weeks = window.days / 7;
  const none = `No ${environment} deployments in ${window.days} days`;
  const ids = (list: AnalyzedDeployment[]) => list.map(d => d.id);

  const deployDays = new Set(successful.map(d => dateOf(d, window.timeZone)))
    .size;
  const perDay = total ? successful.length / window.days : null;
  const perWeek = perDay === null ? null : perDay * 7;
  const deploymentFrequency: Figures['deploymentFrequency'] = {
    value: perWeek,
    unit: 'per_week',
    numerator: { value: successful.length, label: 'successful deployments' },
    denominator: { value: window.days, label: 'days' },
    band: bandOf('deploymentFrequency', perWeek, bands),
    reason: total ? undefined : none,
    notes: total
      ? [
          `${deployDays} deploy day${deployDays === 1 ? '' : 's'} (${
            window.timeZone
          }) in ${window.days} days`,
        ]
      : [],
    deploymentIds: ids(successful),
    perDay,
    deployDaysPerWeek: total ? deployDays / weeks : null,
  };

  const withCommits = successful.filter(d => d.leadTimes.length > 0);
  const leadTimes = withCommits.flatMap(d => d.leadTimes);
  const leadMedian = median(leadTimes);
  const redeploys = successful.length - withCommits.length;
  const leadTime: Figures['leadTime'] = {
    value: leadMedian,
    unit: 'seconds',
    numerator: { value: leadTimes.length, label: 'commits' },
    denominator: { value: withCommits.length, label: 'deployments' },
    band: bandOf('leadTime', leadMedian, bands),
    reason: firstReason([
      [!total, none],
      [
        !successful.length,
        `No successful ${environment} deployments in ${window.days} days`,
      ],
      [
        !leadTimes.length,
        `The ${successful.length} successful deployments brought no new commits`,
      ],
    ]),
    notes: [
      'From each commit (its author time) to the deployment that brought it; median and p90 over commits',
      ...(redeploys
        ? [
            `${redeploys} redeploy${
              redeploys === 1 ? '' : 's'
            } without new commits left out`,
          ]
        : []),
    ],
    deploymentIds: ids(withCommits),
    p90: percentile(leadTimes, 90),
  };

  const failed = inWindow.filter(d => d.failure);
  const rate = total ? failed.length / total : null;
  const inferred = failed.filter(d =>
    d.failure!.reasons.every(r => r.kind === 'incident_inferred'),
  ).length;
  const changeFailureRate: Figure = {
    value: rate,
    unit: 'ratio',
    numerator: { value: failed.length, label: 'failed deployments' },
    denominator: { value: total, label: 'deployments' },
    band: bandOf('changeFailureRate', rate, bands),
    reason: total ? undefined : none,
    notes: [
      ...(incidentsRecorded
        ? []
        : [
            'No incidents recorded: change failure rate counts failed deployments, rollbacks, reverts and hotfixes only',
          ]),
      ...(inferred
        ? [
            `${inferred} counted only from an incident inferred to belong to the deployment before it`,
          ]
        : []),
    ],
    deploymentIds: ids(failed),
  };

  const recovered = failed.filter(d => d.recoverySeconds !== undefined);
  const recoveryMedian = median(recovered.map(d => d.recoverySeconds!));
  const recoveryTime: Figures['recoveryTime'] = {
    value: recoveryMedian,
    unit: 'seconds',
    numerator: { value: recovered.length, label: 'recovered failures' },
    denominator: { value: failed.length, label: 'failed deployments' },
    band: bandOf('recoveryTime', recoveryMedian, bands),
    reason: firstReason([
      [!total, none],
      [
        !failed.length,
        `No failed ${environment} deployments in ${window.days} days: nothing to recover from`,
      ],
      [
        !recovered.length,
        `None of the ${failed.length} failed deployments has recovered yet`,
      ],
    ]),
    notes: [
      'From the failed deployment to the deployment that restored the environment, or to the resolution of its incidents',
    ],
    deploymentIds: ids(failed),
    unrecovered: failed.length - recovered.length,
  };

  const rework = inWindow.filter(d => d.rework);
  const reworkRate: Figure = {
    value: total ? rework.length / total : null,
    unit: 'ratio',
    numerator: { value: rework.length, label: 'rework deployments' },
    denominator: { value: total, label: 'deployments' },
    reason: total ? undefined : none,
    notes: [
      'Rework: rollbacks, deployments bringing a revert or a hotfix, and the first successful deployment after a failed one',
    ],
    deploymentIds: ids(rework),
  };

  return {
    deploymentFrequency,
    leadTime,
    changeFailureRate,
    recoveryTime,
    reworkRate,
  };
}

/** The figures per ISO week of the window, empty weeks included. */
export function weeklyFigures(
  analyzed: AnalyzedDeployment[],
  window: Window,
): WeekFigures[] {
  const byWeek = new Map<string, AnalyzedDeployment[]>();
  for (const d of analyzed) {
    if (!within(d, window.from, window.to)) continue;
    const monday = mondayOf(dateOf(d, window.timeZone));
    push(byWeek, monday, d);
  }
  return weeksOf(window.from, window.to, window.timeZone).map(monday => {
    const list = byWeek.get(monday) ?? [];
    const successful = list.filter(d => d.outcome === 'success');
    const failed = list.filter(d => d.failure);
    const recovered = failed.filter(d => d.recoverySeconds !== undefined);
    return {
      week: isoWeek(monday),
      start: monday,
      deployments: list.length,
      successful: successful.length,
      failed: failed.length,
      deployDays: new Set(successful.map(d => dateOf(d, window.timeZone))).size,
      leadTimeMedian: median(successful.flatMap(d => d.leadTimes)),
      changeFailureRate: list.length ? failed.length / list.length : null,
      recoveryTimeMedian: median(recovered.map(d => d.recoverySeconds!)),
      reworkRate: list.length
        ? list.filter(d => d.rework).length / list.length
        : null,
    };
  });
}

/** The headline numbers of a set of figures, for tables side by side. */
export function summaryOf(figures: Figures): FiguresSummary {
  const bands: FiguresSummary['bands'] = {};
  for (const key of Object.keys(figures) as Array<keyof Figures>) {
    const band = figures[key].band;
    if (band) bands[key] = band;
  }
  return {
    deploymentsPerWeek: figures.deploymentFrequency.value,
    leadTimeMedian: figures.leadTime.value,
    changeFailureRate: figures.changeFailureRate.value,
    recoveryTimeMedian: figures.recoveryTime.value,
    reworkRate: figures.reworkRate.value,
    deployments: figures.changeFailureRate.denominator.value,
    failed: figures.changeFailureRate.numerator.value,
    bands,
  };
}
