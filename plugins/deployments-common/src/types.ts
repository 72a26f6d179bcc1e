/**
 * The delivery figures' JSON, as `GET /api/deployments/metrics` and
 * `GET /api/deployments/insights` answer it. Times are ISO 8601 strings,
 * durations are seconds, rates are ratios (0.25 = 25%).
 */

export type Band = 'elite' | 'high' | 'medium' | 'low';

/** One figure, with what it was computed from. */
export interface Figure {
  /** The headline number in `unit`; null when it cannot be computed. */
  value: number | null;
  unit: 'per_week' | 'seconds' | 'ratio';
  numerator: { value: number; label: string };
  denominator: { value: number; label: string };
  band?: Band;
  /** Why `value` is null, e.g. "No production deployments in 30 days". */
  reason?: string;
  /** Caveats, e.g. "No incidents recorded: ...". */
  notes: string[];
  /** The deployments behind the figure (ids in `deployments`). */
  deploymentIds: string[];
}

export interface Figures {
  /** value: successful deployments per week. */
  deploymentFrequency: Figure & {
    perDay: number | null;
    deployDaysPerWeek: number | null;
  };
  /** value: median seconds from commit to deployment; p90 beside it. */
  leadTime: Figure & { p90: number | null };
  /** value: failed deployments / all deployments. */
  changeFailureRate: Figure;
  /** value: median seconds from a failed deployment to its recovery. */
  recoveryTime: Figure & { unrecovered: number };
  /** value: rework deployments / all deployments. */
  reworkRate: Figure;
}

export type FailureReasonKind =
  | 'failed'
  | 'rolled_back'
  | 'reverted'
  | 'hotfixed'
  | 'incident'
  | 'incident_inferred';

export interface FailureReason {
  kind: FailureReasonKind;
  /** Says what happened, e.g. "Rolled back by deployment 1.4.2 at ...". */
  detail: string;
  /** The deployment, commit or incident that shows it. */
  deploymentId?: string;
  commit?: string;
  incidentId?: string;
  inferred?: boolean;
}

export type ReworkKind = 'rollback' | 'revert' | 'hotfix' | 'restore';

export interface DeploymentFact {
  id: string;
  service: string;
  environment: string;
  commit: string;
  version?: string;
  outcome: 'success' | 'failure' | 'rolled_back';
  startedAt?: string;
  finishedAt: string;
  pipelineUrl?: string;
  commitCount: number;
  /** Set when the deployment counts as a change failure: reasons strongest first. */
  failure?: {
    reasons: FailureReason[];
    recoveredAt?: string;
    recoveredBy?: string;
  };
  /** Set when the deployment is rework (unplanned). */
  rework?: { kind: ReworkKind; detail: string };
  /** Median seconds from its commits to it (successful deployments). */
  leadTimeMedian?: number;
}

export interface Incident {
  id: string;
  service: string;
  environment: string;
  title: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  status: 'open' | 'resolved';
  openedAt: string;
  resolvedAt?: string;
  deploymentId?: string;
  commit?: string;
  source: 'api' | 'pagerduty' | 'portal';
  url?: string;
  createdBy: string;
}

export interface WeekFigures {
  /** ISO week, e.g. "2026-W48", in the window's time zone. */
  week: string;
  start: string;
  deployments: number;
  successful: number;
  failed: number;
  deployDays: number;
  leadTimeMedian: number | null;
  changeFailureRate: number | null;
  recoveryTimeMedian: number | null;
  reworkRate: number | null;
}

export interface MetricsScope {
  kind: 'service' | 'team' | 'template' | 'organization';
  entityRef?: string;
  templateVersion?: string;
  /** The components counted. */
  services: string[];
}

export interface MetricsResponse {
  scope: MetricsScope;
  environment: string;
  window: { days: number; from: string; to: string; timeZone: string };
  bands: { source: string };
  figures: Figures;
  weeks: WeekFigures[];
  /** The deployments in the window, newest first. */
  deployments: DeploymentFact[];
  /** Incidents opened in the window, or still open. */
  incidents: Incident[];
}

export interface FiguresSummary {
  deploymentsPerWeek: number | null;
  leadTimeMedian: number | null;
  changeFailureRate: number | null;
  recoveryTimeMedian: number | null;
  reworkRate: number | null;
  deployments: number;
  failed: number;
  bands: Partial<Record<keyof Figures, Band>>;
}

export interface InsightsResponse {
  environment: string;
  window: { days: number; from: string; to: string; timeZone: string };
  bands: { source: string };
  teams: Array<{
    entityRef: string;
    title?: string;
    services: number;
    figures: FiguresSummary;
  }>;
  /** Per template and version; template undefined = made from no golden path. */
  goldenPaths: Array<{
    template?: string;
    version?: string;
    latestVersion?: string;
    services: string[];
    /** Median seconds from repository creation to first production deployment. */
    timeToFirstDeployMedian: number | null;
    firstDeploys: number;
    figures: FiguresSummary;
  }>;
  adoption: {
    components: number;
    fromGoldenPath: number;
    share: number | null;
    templates: Array<{
      template: string;
      latestVersion?: string;
      services: number;
      onLatest: number;
      share: number | null;
    }>;
  };
}
