import { ResponseError } from '@backstage/errors';
import {
  Environment,
  EnvironmentRun,
} from '@internal/plugin-environments-common';
import { EnvironmentsApi } from '../api';

// Test data and a stand-in for the backend: the components under test talk
// to the EnvironmentsApi interface, whose HTTP side EnvironmentsClient.test
// covers.

const hoursFromNow = (n: number) =>
  new Date(Date.now() + n * 60 * 60 * 1000).toISOString();

export const applyRun: EnvironmentRun = {
  id: 'run-1',
  environmentId: 'env-1',
  kind: 'apply',
  status: 'succeeded',
  requestedBy: 'user:default/alice',
  createdAt: hoursFromNow(-26),
  startedAt: hoursFromNow(-26),
  finishedAt: hoursFromNow(-25),
  plan: {
    add: 3,
    change: 0,
    remove: 0,
    changes: [
      { address: 'module.postgres.docker_container.db', action: 'create' },
      { address: 'module.postgres.random_password.db', action: 'create' },
      { address: 'module.redis.docker_container.cache', action: 'create' },
    ],
  },
};

export const planRun: EnvironmentRun = {
  id: 'run-2',
  environmentId: 'env-1',
  kind: 'plan',
  status: 'succeeded',
  requestedBy: 'user:default/bob',
  reason: 'checking a module upgrade',
  createdAt: hoursFromNow(-2),
  startedAt: hoursFromNow(-2),
  finishedAt: hoursFromNow(-2),
  plan: {
    add: 0,
    change: 1,
    remove: 0,
    changes: [
      { address: 'module.redis.docker_container.cache', action: 'update' },
    ],
  },
};

/** A prod apply that waits for one approval from payments or platform. */
export const waitingRun: EnvironmentRun = {
  id: 'run-7',
  environmentId: 'env-1',
  kind: 'apply',
  status: 'awaiting-approval',
  requestedBy: 'user:default/alice',
  createdAt: hoursFromNow(-1),
  startedAt: hoursFromNow(-1),
  finishedAt: hoursFromNow(-1),
  plan: {
    add: 1,
    change: 0,
    remove: 0,
    changes: [
      { address: 'module.postgres.terraform_data.database', action: 'create' },
    ],
  },
  gate: {
    protected: true,
    approvalsRequired: 1,
    approverGroups: ['group:default/payments', 'group:default/platform'],
    approvals: [],
    planHash: 'ab'.repeat(32),
    expiresAt: hoursFromNow(23),
    policy: [
      {
        rule: 'large-only-in-production',
        level: 'hard',
        passed: true,
        explanation: 'Size large is for production only.',
      },
      {
        rule: 'team-over-budget',
        level: 'advisory',
        passed: false,
        explanation: 'The team is over its budget.',
      },
    ],
    overrideRequired: false,
    cost: {
      currency: 'USD',
      before: 0,
      after: 15,
      delta: 15,
      teamMonthly: 315,
      budget: 300,
    },
  },
};

export const devEnvironment: Environment = {
  id: 'env-1',
  name: 'dev',
  service: 'component:default/payments-api',
  owner: 'group:default/payments',
  size: 'small',
  resources: ['postgres', 'redis'],
  status: 'ready',
  drift: 'in-sync',
  createdBy: 'user:default/alice',
  createdAt: hoursFromNow(-26),
  expiresAt: hoursFromNow(73),
  entityRef: 'resource:default/payments-api.dev',
  lastRun: planRun,
  outputs: { postgres_host: 'payments-api-dev-db', postgres_port: 5432 },
  sensitiveOutputs: ['postgres_password'],
  monthlyCost: 25,
  protected: false,
};

export const stagingEnvironment: Environment = {
  id: 'env-2',
  name: 'staging',
  service: 'component:default/checkout-web',
  owner: 'group:default/web',
  size: 'medium',
  resources: ['rabbitmq'],
  status: 'failed',
  drift: 'drifted',
  createdBy: 'user:default/carol',
  createdAt: hoursFromNow(-24 * 10),
  expiresAt: hoursFromNow(-1),
  entityRef: 'resource:default/checkout-web.staging',
  lastRun: {
    id: 'run-9',
    environmentId: 'env-2',
    kind: 'apply',
    status: 'failed',
    requestedBy: 'user:default/carol',
    createdAt: hoursFromNow(-3),
    error: 'rabbitmq: port already allocated',
  },
  outputs: {},
  sensitiveOutputs: [],
};

export const destroyedEnvironment: Environment = {
  ...devEnvironment,
  id: 'env-3',
  name: 'pr-42',
  status: 'destroyed',
  destroyedAt: hoursFromNow(-5),
  destroyedBy: 'system:ttl-sweeper',
  lastRun: undefined,
};

/** A backend error as EnvironmentsClient throws it. */
export function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name, message }, response: { statusCode } }),
      { status: statusCode, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}

/** Every method a jest mock; the defaults answer for dev (env-1). */
export function fakeEnvironmentsApi(
  overrides: Partial<EnvironmentsApi> = {},
): jest.Mocked<EnvironmentsApi> {
  return {
    getOptions: jest.fn(async () => ({
      resources: [],
      sizes: ['small', 'medium', 'large'],
      defaultTtlHours: 72,
      maxTtlHours: 168,
    })),
    listEnvironments: jest.fn(async filter =>
      filter?.status === 'destroyed'
        ? [destroyedEnvironment]
        : [devEnvironment, stagingEnvironment],
    ),
    createEnvironment: jest.fn(),
    getEnvironment: jest.fn(async () => devEnvironment),
    listRuns: jest.fn(async () => [planRun, applyRun]),
    requestRun: jest.fn(async (environmentId, kind) => ({
      id: `run-${kind}`,
      environmentId,
      kind,
      status: 'queued' as const,
      requestedBy: 'user:default/alice',
      createdAt: new Date().toISOString(),
    })),
    extendEnvironment: jest.fn(async (_id, ttlHours) => ({
      ...devEnvironment,
      expiresAt: hoursFromNow(ttlHours),
    })),
    getSecrets: jest.fn(async () => ({ postgres_password: 's3cr3t-pw' })),
    getRun: jest.fn(
      async runId => [planRun, applyRun].find(run => run.id === runId)!,
    ),
    getRunEvents: jest.fn(async runId => ({
      items: [
        {
          seq: 1,
          at: hoursFromNow(-2),
          level: 'info' as const,
          message: `terraform plan for ${runId}`,
        },
      ],
      finished: true,
    })),
    approveRun: jest.fn(async runId => ({
      ...waitingRun,
      id: runId,
      status: 'queued' as const,
    })),
    rejectRun: jest.fn(async runId => ({
      ...waitingRun,
      id: runId,
      status: 'rejected' as const,
    })),
    overrideRun: jest.fn(async runId => ({ ...waitingRun, id: runId })),
    getTeamCosts: jest.fn(async () => [
      {
        owner: 'group:default/payments',
        currency: 'USD',
        monthly: 25,
        monthSoFar: 10.5,
        projected: 22,
        budget: 300,
      },
    ]),
    estimateCost: jest.fn(),
    listAudit: jest.fn(async () => [
      {
        id: 2,
        at: hoursFromNow(-1),
        actor: 'user:default/aisha',
        action: 'run-approve',
        outcome: 'succeeded' as const,
        environmentId: 'env-1',
        service: 'component:default/payments-api',
        environment: 'dev',
        owner: 'group:default/payments',
        runId: 'run-7',
        detail: 'approval 1',
      },
    ]),
    ...overrides,
  } as jest.Mocked<EnvironmentsApi>;
}
