import { CurrentDeployments, Deployment, DeploymentsApi } from '../api';
import { hoursAgo } from './fakeGitHostApi';

// Deployments of component:default/shop: dev runs what pipeline #12
// deployed; prod runs an older commit, and its latest attempt failed.

const deployment = (
  patch: Partial<Deployment> & { id: string },
): Deployment => ({
  service: 'component:default/shop',
  environment: 'dev',
  commit: '0123456789abcdef0123456789abcdef01234567',
  outcome: 'success',
  finishedAt: hoursAgo(1),
  pipelineUrl: 'http://localhost:7007/repositories/payments/shop/pipelines/12',
  repository: 'payments/shop',
  reportedBy: 'pipeline-deploy',
  source: 'paved-runner',
  commitCount: 2,
  createdAt: hoursAgo(1),
  ...patch,
});

export const devDeployment = deployment({
  id: 'dep-3',
  version: '1.4.0',
  previousId: 'dep-1',
});

export const failedProdDeployment = deployment({
  id: 'dep-4',
  environment: 'prod',
  outcome: 'failure',
  finishedAt: hoursAgo(0.5),
  createdAt: hoursAgo(0.5),
  previousId: 'dep-2',
});

export const prodDeployment = deployment({
  id: 'dep-2',
  environment: 'prod',
  commit: 'fedcba9876543210fedcba9876543210fedcba98',
  version: '1.3.0',
  finishedAt: hoursAgo(30),
  createdAt: hoursAgo(30),
  pipelineUrl: 'https://ci.example.com/acme/shop/-/pipelines/77',
  reportedBy: 'github-actions',
  source: 'external',
  commitCount: 0,
});

export const firstDevDeployment = deployment({
  id: 'dep-1',
  commit: '89abcdef0123456789abcdef0123456789abcdef',
  finishedAt: hoursAgo(48),
  createdAt: hoursAgo(48),
  commitCount: 1,
});

export const currentDeployments: CurrentDeployments = {
  service: 'component:default/shop',
  environments: [
    {
      environment: 'dev',
      current: devDeployment,
      latest: devDeployment,
      count: 2,
    },
    {
      environment: 'prod',
      current: prodDeployment,
      latest: failedProdDeployment,
      count: 2,
    },
  ],
  firstDeploys: [
    {
      environment: 'dev',
      deploymentId: 'dep-1',
      template: 'template:default/typescript-service',
      templateVersion: 'v2',
      serviceCreatedAt: hoursAgo(48.2),
      deployedAt: hoursAgo(48),
      secondsFromCreation: 725,
    },
  ],
};

export const deploymentHistory = [
  failedProdDeployment,
  devDeployment,
  prodDeployment,
  firstDevDeployment,
];

/** Every method a jest mock; the defaults answer for shop. */
export function fakeDeploymentsApi(
  overrides: Partial<DeploymentsApi> = {},
): jest.Mocked<DeploymentsApi> {
  return {
    getCurrentDeployments: jest.fn(async () => currentDeployments),
    listDeployments: jest.fn(async ({ environment }) =>
      deploymentHistory.filter(
        d => !environment || d.environment === environment,
      ),
    ),
    getDeployment: jest.fn(async id => ({
      ...deploymentHistory.find(d => d.id === id)!,
      commits:
        id === 'dep-3'
          ? [
              {
                sha: '0123456789abcdef0123456789abcdef01234567',
                author: 'Alice',
                committedAt: hoursAgo(2),
                message: 'Add refunds\n\nWith a test.',
              },
              {
                sha: 'aaaabbbbccccddddeeeeffff0000111122223333',
                author: 'Bob',
                committedAt: hoursAgo(3),
                message: 'Send receipts',
              },
            ]
          : [],
    })),
    ...overrides,
  } as jest.Mocked<DeploymentsApi>;
}
