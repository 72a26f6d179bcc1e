import {
  DEPLOYMENTS,
  EXPECTED,
  INCIDENTS,
  SERVICE,
  TIME_ZONE,
  TO,
} from '../__fixtures__/deliveryHistory';
import { analyzeService, CommitRecord, DeploymentRecord } from './analyze';
import { figuresOf, weeklyFigures } from './aggregate';
import { DORA_2023_BANDS } from './bands';
import type { Incident } from '@internal/plugin-deployments-common';

const production = DEPLOYMENTS.filter(d => !d.environment);
const deployments: DeploymentRecord[] = production.map(d => ({
  id: d.key,
  service: SERVICE,
  environment: 'production',
  commit: d.commit,
  version: d.version,
  outcome: d.outcome,
  finishedAt: new Date(d.finishedAt).toISOString(),
  commitCount: d.commits.length,
  createdAt: new Date(d.finishedAt).toISOString(),
}));
const commits = new Map<string, CommitRecord[]>(
  production.map(d => [
    d.key,
    d.commits.map(c => ({ deploymentId: d.key, ...c })),
  ]),
);
const incidents: Incident[] = INCIDENTS.map(i => ({
  id: i.key,
  service: SERVICE,
  environment: 'production',
  title: i.title,
  severity: 'high',
  status: i.resolvedAt ? 'resolved' : 'open',
  openedAt: i.openedAt,
  resolvedAt: i.resolvedAt,
  deploymentId: i.deployment,
  source: 'api',
  createdBy: 'test',
}));
const window = {
  days: 30,
  from: new Date(Date.parse(TO) - 30 * 86_400_000),
  to: new Date(TO),
  timeZone: TIME_ZONE,
};

describe('the delivery figures of a hand-computed history', () => {
  // Shuffled: the analysis orders by time itself.
  const analyzed = analyzeService(
    [...deployments].reverse(),
    commits,
    incidents,
  );
  const figures = figuresOf(
    analyzed,
    window,
    'production',
    DORA_2023_BANDS,
    true,
  );

  it('counts deployment frequency and deploy days in the time zone', () => {
    expect(figures.deploymentFrequency).toMatchObject({
      numerator: { value: EXPECTED.successful },
      denominator: { value: 30 },
      band: EXPECTED.bands.deploymentFrequency,
    });
    expect(figures.deploymentFrequency.value).toBeCloseTo(EXPECTED.perWeek, 10);
    expect(figures.deploymentFrequency.perDay).toBeCloseTo(EXPECTED.perDay, 10);
    expect(figures.deploymentFrequency.deployDaysPerWeek).toBeCloseTo(
      EXPECTED.deployDaysPerWeek,
      10,
    );
    // In UTC, D9 falls on another day: one deploy day more.
    const utc = figuresOf(
      analyzed,
      { ...window, timeZone: 'UTC' },
      'production',
      DORA_2023_BANDS,
      true,
    );
    expect(utc.deploymentFrequency.deployDaysPerWeek).toBeCloseTo(
      (EXPECTED.deployDays + 1) / (30 / 7),
      10,
    );
  });

  it('measures lead time per commit, once per commit', () => {
    expect(figures.leadTime).toMatchObject({
      value: EXPECTED.leadTimeMedian,
      p90: EXPECTED.leadTimeP90,
      numerator: { value: EXPECTED.leadTimeCommits },
      denominator: { value: EXPECTED.leadTimeDeployments },
      band: EXPECTED.bands.leadTime,
    });
    expect(figures.leadTime.notes).toContain(
      '1 redeploy without new commits left out',
    );
  });

  it('counts each failed deployment once, with its reasons strongest first', () => {
    expect(figures.changeFailureRate).toMatchObject({
      value: EXPECTED.changeFailureRate,
      numerator: { value: EXPECTED.failed.length },
      denominator: { value: EXPECTED.total },
      band: EXPECTED.bands.changeFailureRate,
      notes: [],
    });
    expect([...figures.changeFailureRate.deploymentIds].sort()).toEqual(
      EXPECTED.failed,
    );
    const reasons = Object.fromEntries(
      analyzed
        .filter(d => d.failure)
        .map(d => [d.id, d.failure!.reasons.map(r => r.kind)]),
    );
    expect(reasons).toEqual(EXPECTED.reasons);
    const inferred = analyzed
      .find(d => d.id === 'D7')!
      .failure!.reasons.find(r => r.kind === 'incident_inferred');
    expect(inferred).toMatchObject({ incidentId: 'I3', inferred: true });
  });

  it('measures recovery from each failure to its first sign of recovery', () => {
    const recovery = Object.fromEntries(
      analyzed.filter(d => d.failure).map(d => [d.id, d.recoverySeconds]),
    );
    expect(recovery).toEqual(EXPECTED.recoverySeconds);
    expect(figures.recoveryTime).toMatchObject({
      value: EXPECTED.recoveryMedian,
      unrecovered: 0,
      numerator: { value: 3 },
      denominator: { value: 3 },
      band: EXPECTED.bands.recoveryTime,
    });
  });

  it('counts rollbacks, reverts, hotfixes and restores as rework', () => {
    const rework = Object.fromEntries(
      analyzed.filter(d => d.rework).map(d => [d.id, d.rework!.kind]),
    );
    expect(rework).toEqual(EXPECTED.rework);
    expect(figures.reworkRate).toMatchObject({
      value: EXPECTED.reworkRate,
      numerator: { value: 4 },
      denominator: { value: 10 },
    });
  });

  it('gives every week of the window, the empty ones too', () => {
    const weeks = weeklyFigures(analyzed, window).map(
      ({ start: _start, ...week }) => week,
    );
    expect(weeks).toEqual(EXPECTED.weeks);
  });

  it('says why a figure cannot be computed', () => {
    const empty = figuresOf(
      analyzed,
      {
        days: 7,
        from: new Date('2026-03-16T00:00:00Z'),
        to: new Date('2026-03-23T00:00:00Z'),
        timeZone: 'UTC',
      },
      'production',
      DORA_2023_BANDS,
      false,
    );
    expect(empty.deploymentFrequency).toMatchObject({
      value: null,
      reason: 'No production deployments in 7 days',
    });
    expect(empty.leadTime.value).toBeNull();
    expect(empty.changeFailureRate.notes).toContain(
      'No incidents recorded: change failure rate counts failed deployments, rollbacks, reverts and hotfixes only',
    );
    const calm = figuresOf(
      analyzed,
      {
        days: 7,
        from: new Date('2026-03-28T00:00:00Z'),
        to: new Date('2026-03-31T00:00:00Z'),
        timeZone: 'UTC',
      },
      'production',
      DORA_2023_BANDS,
      true,
    );
    expect(calm.recoveryTime).toMatchObject({
      value: null,
      reason:
        'No failed production deployments in 7 days: nothing to recover from',
    });
    expect(calm.changeFailureRate.value).toBe(0);
  });
});
