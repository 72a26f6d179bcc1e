import {
  DeliveryApi,
  DeploymentFact,
  Figure,
  Incident,
  InsightsResponse,
  MetricsResponse,
} from '../api';
import { hoursAgo } from './fakeGitHostApi';

// The delivery figures of component:default/shop in production over 30
// days: four deployments, one rolled back after an incident, one a hotfix.

const BANDS_SOURCE = 'DORA State of DevOps 2024';

const fact = (
  patch: Partial<DeploymentFact> & { id: string },
): DeploymentFact => ({
  service: 'component:default/shop',
  environment: 'production',
  commit: '0123456789abcdef0123456789abcdef01234567',
  outcome: 'success',
  finishedAt: hoursAgo(1),
  pipelineUrl: 'http://localhost:7007/repositories/payments/shop/pipelines/12',
  commitCount: 1,
  ...patch,
});

export const hotfixDeployment = fact({
  id: 'dep-13',
  version: '1.4.1',
  commit: 'aaaabbbbccccddddeeeeffff0000111122223333',
  rework: { kind: 'hotfix', detail: 'Hotfix 2 hours after 1.4.0' },
  leadTimeMedian: 1800,
});

export const rolledBackDeployment = fact({
  id: 'dep-12',
  version: '1.4.0',
  outcome: 'rolled_back',
  finishedAt: hoursAgo(3),
  failure: {
    reasons: [
      { kind: 'rolled_back', detail: 'Rolled back by deployment 1.3.0' },
      {
        kind: 'incident',
        detail: 'Incident “Checkout returns 500”',
        incidentId: 'inc-1',
      },
    ],
  },
  leadTimeMedian: 12000,
});

export const earlierDeployment = fact({
  id: 'dep-11',
  version: '1.3.0',
  commit: 'fedcba9876543210fedcba9876543210fedcba98',
  finishedAt: hoursAgo(50),
  pipelineUrl: 'https://ci.example.com/acme/shop/-/pipelines/77',
  leadTimeMedian: 20000,
});

export const firstDeployment = fact({
  id: 'dep-10',
  commit: '89abcdef0123456789abcdef0123456789abcdef',
  finishedAt: hoursAgo(200),
  pipelineUrl: undefined,
});

export const openIncident: Incident = {
  id: 'inc-1',
  service: 'component:default/shop',
  environment: 'production',
  title: 'Checkout returns 500',
  severity: 'critical',
  status: 'open',
  openedAt: hoursAgo(2.5),
  deploymentId: 'dep-12',
  source: 'portal',
  createdBy: 'user:default/sofia-marin',
};

const figure = (patch: Partial<Figure>): Figure => ({
  value: null,
  unit: 'ratio',
  numerator: { value: 1, label: 'failed deployments' },
  denominator: { value: 4, label: 'deployments' },
  notes: [],
  deploymentIds: [],
  ...patch,
});

export const shopMetrics: MetricsResponse = {
  scope: {
    kind: 'service',
    entityRef: 'component:default/shop',
    services: ['component:default/shop'],
  },
  environment: 'production',
  window: {
    days: 30,
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-01-31T00:00:00.000Z',
    timeZone: 'Europe/Berlin',
  },
  bands: { source: BANDS_SOURCE },
  figures: {
    deploymentFrequency: {
      ...figure({
        value: 3.5,
        unit: 'per_week',
        numerator: { value: 15, label: 'successful deployments' },
        denominator: { value: 4.3, label: 'weeks' },
        band: 'high',
        deploymentIds: ['dep-13', 'dep-11', 'dep-10'],
      }),
      perDay: 0.5,
      deployDaysPerWeek: 2.5,
    },
    leadTime: {
      ...figure({
        value: 12000,
        unit: 'seconds',
        numerator: { value: 3, label: 'commits' },
        denominator: { value: 3, label: 'deployments' },
        band: 'elite',
        deploymentIds: ['dep-13', 'dep-12', 'dep-11'],
      }),
      p90: 216000,
    },
    changeFailureRate: figure({
      value: 0.25,
      band: 'medium',
      notes: ['Incidents count when they name a deployment or a commit'],
      deploymentIds: ['dep-12'],
    }),
    recoveryTime: {
      ...figure({
        unit: 'seconds',
        numerator: { value: 0, label: 'recovered failures' },
        denominator: { value: 1, label: 'failed deployments' },
        reason: 'No failed deployment has recovered yet',
        deploymentIds: ['dep-12'],
      }),
      unrecovered: 1,
    },
    reworkRate: figure({
      value: 0.25,
      numerator: { value: 1, label: 'rework deployments' },
      band: 'low',
      deploymentIds: ['dep-13'],
    }),
  },
  weeks: [
    {
      week: '2026-W03',
      start: '2026-01-12T00:00:00.000Z',
      deployments: 1,
      successful: 1,
      failed: 0,
      deployDays: 1,
      leadTimeMedian: 20000,
      changeFailureRate: 0,
      recoveryTimeMedian: null,
      reworkRate: 0,
    },
    {
      week: '2026-W04',
      start: '2026-01-19T00:00:00.000Z',
      deployments: 3,
      successful: 2,
      failed: 1,
      deployDays: 2,
      leadTimeMedian: 6900,
      changeFailureRate: 1 / 3,
      recoveryTimeMedian: null,
      reworkRate: 1 / 3,
    },
  ],
  deployments: [
    hotfixDeployment,
    rolledBackDeployment,
    earlierDeployment,
    firstDeployment,
  ],
  incidents: [openIncident],
};

/** No deployment in the window: every figure says why it has no value. */
export const emptyMetrics: MetricsResponse = {
  ...shopMetrics,
  figures: Object.fromEntries(
    Object.entries(shopMetrics.figures).map(([key, value]) => [
      key,
      {
        ...value,
        value: null,
        band: undefined,
        reason: 'No production deployments in 30 days',
        deploymentIds: [],
      },
    ]),
  ) as unknown as MetricsResponse['figures'],
  weeks: [],
  deployments: [],
  incidents: [],
};

const summary = (
  patch: Partial<InsightsResponse['teams'][number]['figures']>,
) => ({
  deploymentsPerWeek: null,
  leadTimeMedian: null,
  changeFailureRate: null,
  recoveryTimeMedian: null,
  reworkRate: null,
  deployments: 0,
  failed: 0,
  bands: {},
  ...patch,
});

export const insights: InsightsResponse = {
  environment: 'production',
  window: shopMetrics.window,
  bands: { source: BANDS_SOURCE },
  teams: [
    {
      entityRef: 'group:default/payments',
      title: 'Payments',
      services: 2,
      figures: summary({
        deploymentsPerWeek: 3.5,
        leadTimeMedian: 12000,
        changeFailureRate: 0.25,
        recoveryTimeMedian: 5400,
        reworkRate: 0.25,
        deployments: 4,
        failed: 1,
        bands: { deploymentFrequency: 'high', changeFailureRate: 'medium' },
      }),
    },
    {
      entityRef: 'group:default/checkout',
      services: 1,
      figures: summary({
        deploymentsPerWeek: 1,
        changeFailureRate: 0.5,
        deployments: 2,
        failed: 1,
      }),
    },
    {
      entityRef: 'group:default/search',
      services: 1,
      figures: summary({}),
    },
  ],
  goldenPaths: [
    {
      template: 'template:default/typescript-service',
      version: 'v2',
      latestVersion: 'v3',
      services: ['component:default/shop', 'component:default/cart'],
      timeToFirstDeployMedian: 725,
      firstDeploys: 2,
      figures: summary({ deploymentsPerWeek: 3.5, deployments: 4, failed: 1 }),
    },
    {
      services: [
        'component:default/legacy-billing',
        'component:default/ledger',
        'component:default/reports',
        'component:default/batch',
        'component:default/ftp-gateway',
      ],
      timeToFirstDeployMedian: null,
      firstDeploys: 0,
      figures: summary({ deploymentsPerWeek: 0.5, deployments: 2 }),
    },
  ],
  adoption: {
    components: 4,
    fromGoldenPath: 3,
    share: 0.75,
    templates: [
      {
        template: 'template:default/typescript-service',
        latestVersion: 'v3',
        services: 3,
        onLatest: 1,
        share: 1 / 3,
      },
    ],
  },
};

/** Every method a jest mock; the defaults answer for shop. */
export function fakeDeliveryApi(
  overrides: Partial<DeliveryApi> = {},
): jest.Mocked<DeliveryApi> {
  return {
    getMetrics: jest.fn(async () => shopMetrics),
    getInsights: jest.fn(async () => insights),
    listIncidents: jest.fn(async () => [openIncident]),
    recordIncident: jest.fn(async (deploymentId, incident) => ({
      ...openIncident,
      id: 'inc-2',
      severity: incident.severity ?? 'medium',
      title: incident.title,
      deploymentId,
    })),
    resolveIncident: jest.fn(async id => ({
      ...openIncident,
      id,
      status: 'resolved' as const,
      resolvedAt: new Date().toISOString(),
    })),
    ...overrides,
  } as jest.Mocked<DeliveryApi>;
}
