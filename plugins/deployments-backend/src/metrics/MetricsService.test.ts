import path from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import {
  DEPLOYMENTS,
  EXPECTED,
  INCIDENTS,
  SERVICE,
  TIME_ZONE,
  TO,
} from '../__fixtures__/deliveryHistory';
import { DeploymentStore } from '../service/DeploymentStore';
import { IncidentStore } from '../service/IncidentStore';
import { DORA_2023_BANDS } from './bands';
import { FactStore } from './FactStore';
import { MetricsService } from './MetricsService';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const BILLING = 'component:default/billing';
const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'orders',
      namespace: 'default',
      annotations: {
        'backstage.io/source-template': 'template:default/typescript-service',
        'backstage.io/template-version': '1.0.0',
      },
    },
    spec: { type: 'service', owner: 'payments' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'billing', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/billing' },
  },
  ...['payments', 'billing'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
  })),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'finance', namespace: 'default' },
    spec: { type: 'department', children: ['payments', 'billing'] },
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'typescript-service',
      namespace: 'default',
      annotations: { 'backstage.io/template-version': '1.1.0' },
    },
    spec: {},
  },
];

/**
 * The hand-computed history in the database, read back by the figures'
 * queries: the same numbers on PostgreSQL and SQLite, a re-sent report and
 * a re-sent incident counted once.
 */
describe.each(databases.eachSupportedId())('delivery figures, on %p', id => {
  let knex: Knex;
  let metrics: MetricsService;
  const ids = new Map<string, string>();
  let resent: Awaited<ReturnType<DeploymentStore['insert']>>;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({
      directory: path.resolve(__dirname, '../../migrations'),
      tableName: 'deployments__knex_migrations',
    });
    const store = new DeploymentStore(knex);
    const incidents = new IncidentStore(knex);
    const report = (d: (typeof DEPLOYMENTS)[number], service = SERVICE) =>
      store.insert(
        {
          idempotencyKey: `payments/orders:${d.key}`,
          service,
          environment: d.environment ?? 'production',
          commit: d.commit,
          version: d.version,
          outcome: d.outcome,
          finishedAt: new Date(d.finishedAt),
          reportedBy: 'ci',
          source: 'external',
        },
        { commits: d.commits },
      );
    for (const d of DEPLOYMENTS) {
      ids.set(d.key, (await report(d)).deployment.id);
    }
    // A re-sent report: the first one stands.
    resent = await report(DEPLOYMENTS[1]);
    await store.insert(
      {
        idempotencyKey: 'billing/billing:B1',
        service: BILLING,
        environment: 'production',
        commit: 'b'.repeat(40),
        outcome: 'success',
        finishedAt: new Date('2026-03-15T10:00:00Z'),
        reportedBy: 'ci',
        source: 'external',
      },
      { commits: [] },
    );
    for (const incident of [...INCIDENTS, INCIDENTS[0]]) {
      await incidents.record({
        dedupKey: `api:payments/orders:${incident.key}`,
        service: SERVICE,
        environment: 'production',
        title: incident.title,
        severity: 'high',
        openedAt: new Date(incident.openedAt),
        resolvedAt: incident.resolvedAt
          ? new Date(incident.resolvedAt)
          : undefined,
        deploymentId: incident.deployment && ids.get(incident.deployment),
        source: 'api',
        createdBy: 'test',
      });
    }
    await store.recordFirstDeploy({
      service: SERVICE,
      environment: 'production',
      deploymentId: ids.get('D0')!,
      template: 'template:default/typescript-service',
      templateVersion: '1.0.0',
      serviceCreatedAt: new Date('2026-02-19T00:00:00Z'),
      deployedAt: new Date(DEPLOYMENTS[0].finishedAt),
    });
    metrics = new MetricsService({
      db: knex,
      incidents,
      facts: new FactStore(knex, incidents),
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      bands: DORA_2023_BANDS,
    });
  });
  afterAll(async () => {
    await knex?.destroy();
  });

  const window = () =>
    metrics.window({ days: 30, to: new Date(TO), timeZone: TIME_ZONE });
  const key = (deploymentId: string) =>
    [...ids.entries()].find(([, v]) => v === deploymentId)?.[0];

  it('records a re-sent report once', () => {
    expect(resent).toMatchObject({
      created: false,
      deployment: { id: ids.get('D1') },
    });
    expect(ids.size).toBe(DEPLOYMENTS.length);
  });

  it("gives a service's figures as computed by hand", async () => {
    const result = await metrics.metrics({
      entity: 'orders',
      environment: 'production',
      window: window(),
    });
    const { figures } = result;
    expect(result.scope).toEqual({
      kind: 'service',
      entityRef: SERVICE,
      services: [SERVICE],
    });
    expect(figures.deploymentFrequency.numerator.value).toBe(
      EXPECTED.successful,
    );
    expect(figures.deploymentFrequency.value).toBeCloseTo(EXPECTED.perWeek, 10);
    expect(figures.deploymentFrequency.deployDaysPerWeek).toBeCloseTo(
      EXPECTED.deployDaysPerWeek,
      10,
    );
    expect(figures.leadTime).toMatchObject({
      value: EXPECTED.leadTimeMedian,
      p90: EXPECTED.leadTimeP90,
      numerator: { value: EXPECTED.leadTimeCommits },
    });
    expect(figures.changeFailureRate).toMatchObject({
      value: EXPECTED.changeFailureRate,
      numerator: { value: EXPECTED.failed.length },
      denominator: { value: EXPECTED.total },
    });
    expect(figures.changeFailureRate.deploymentIds.map(key).sort()).toEqual(
      EXPECTED.failed,
    );
    expect(figures.recoveryTime.value).toBe(EXPECTED.recoveryMedian);
    expect(figures.reworkRate.value).toBe(EXPECTED.reworkRate);
    expect(result.weeks.map(({ start: _start, ...week }) => week)).toEqual(
      EXPECTED.weeks,
    );
    // Each figure leads to its deployments, newest first, the staging one
    // and the one before the window left out.
    expect(result.deployments.map(d => key(d.id))).toEqual([
      'D10',
      'D9',
      'D8',
      'D7',
      'D6',
      'D5',
      'D4',
      'D3',
      'D2',
      'D1',
    ]);
    expect(result.incidents.map(i => i.title).sort()).toEqual(
      INCIDENTS.map(i => i.title).sort(),
    );
    expect(result.bands.source).toMatch(/2023/);
  });

  it('rolls a team up from its child groups, and counts golden paths and everyone', async () => {
    const payments = await metrics.metrics({
      entity: 'group:default/payments',
      environment: 'production',
      window: window(),
    });
    expect(payments.scope.services).toEqual([SERVICE]);
    expect(payments.figures.changeFailureRate.value).toBe(
      EXPECTED.changeFailureRate,
    );
    const finance = await metrics.metrics({
      entity: 'group:default/finance',
      environment: 'production',
      window: window(),
    });
    expect(finance.scope.services).toEqual([BILLING, SERVICE]);
    expect(finance.figures.changeFailureRate).toMatchObject({
      value: 3 / 11,
      numerator: { value: 3 },
      denominator: { value: 11 },
    });
    expect(finance.figures.deploymentFrequency.numerator.value).toBe(10);
    const template = await metrics.metrics({
      entity: 'template:default/typescript-service',
      templateVersion: '1.0.0',
      environment: 'production',
      window: window(),
    });
    expect(template.scope.services).toEqual([SERVICE]);
    expect(template.figures.leadTime.value).toBe(EXPECTED.leadTimeMedian);
    const everyone = await metrics.metrics({
      environment: 'production',
      window: window(),
    });
    expect(everyone.figures.changeFailureRate.denominator.value).toBe(11);
    const staging = await metrics.metrics({
      entity: 'orders',
      environment: 'staging',
      window: window(),
    });
    expect(staging.figures.changeFailureRate).toMatchObject({
      value: 1,
      numerator: { value: 1 },
      denominator: { value: 1 },
    });
    expect(staging.figures.changeFailureRate.notes).toContain(
      'No incidents recorded: change failure rate counts failed deployments, rollbacks, reverts and hotfixes only',
    );
  });

  it('shows teams and golden paths side by side, with time to first deploy and adoption', async () => {
    const insights = await metrics.insights({
      environment: 'production',
      window: window(),
    });
    expect(
      insights.teams.map(t => [t.entityRef, t.services, t.figures.deployments]),
    ).toEqual([
      ['group:default/billing', 1, 1],
      ['group:default/finance', 2, 11],
      ['group:default/payments', 1, 10],
    ]);
    expect(insights.goldenPaths).toEqual([
      expect.objectContaining({
        template: 'template:default/typescript-service',
        version: '1.0.0',
        latestVersion: '1.1.0',
        services: [SERVICE],
        timeToFirstDeployMedian: 34 * 3600,
        firstDeploys: 1,
        figures: expect.objectContaining({
          changeFailureRate: EXPECTED.changeFailureRate,
          failed: 3,
          deployments: 10,
        }),
      }),
      expect.objectContaining({
        template: undefined,
        services: [BILLING],
        timeToFirstDeployMedian: null,
      }),
    ]);
    expect(insights.adoption).toEqual({
      components: 2,
      fromGoldenPath: 1,
      share: 0.5,
      templates: [
        {
          template: 'template:default/typescript-service',
          latestVersion: '1.1.0',
          services: 1,
          onLatest: 0,
          share: 0,
        },
      ],
    });
  });

  it('refuses bad windows and unknown entities', async () => {
    expect(() => metrics.window({ days: 14, timeZone: 'UTC' })).toThrow(
      'days must be one of 7, 30, 90',
    );
    await expect(
      metrics.metrics({
        entity: 'component:default/nope',
        environment: 'production',
        window: window(),
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      metrics.metrics({
        entity: 'api:default/orders',
        environment: 'production',
        window: window(),
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });
});
