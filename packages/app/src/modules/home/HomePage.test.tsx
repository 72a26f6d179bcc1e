import { screen, within } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { searchApiRef } from '@backstage/plugin-search-react';
import {
  catalogApiRef,
  entityRouteRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { environmentsApiRef } from '@internal/plugin-environments';
import {
  Deployment,
  deploymentsApiRef,
  gitHostApiRef,
  Pipeline,
} from '@internal/plugin-git-host';
import { Environment } from '@internal/plugin-environments-common';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import { searchPlugin } from '@backstage/plugin-search';
import { HomePage } from './HomePage';
import { expiresIn } from './MyEnvironmentsCard';
import { deploymentText, timeAgo } from './deliveryText';

const entity = (
  kind: string,
  name: string,
  owner?: string,
  spec: object = {},
  annotations: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: { ...spec, ...(owner && { owner }) },
  relations: owner ? [{ type: 'ownedBy', targetRef: owner }] : [],
});

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3_600_000).toISOString();

const lastPipeline = {
  number: 12,
  repository: 'checkout/cart-service',
  status: 'failed',
} as Pipeline;

const lastDeployment = {
  id: 'dep-1',
  service: 'component:default/cart-service',
  environment: 'prod',
  commit: '0123456789abcdef0123456789abcdef01234567',
  outcome: 'success',
  finishedAt: hoursAgo(3),
} as Deployment;

const environment = (patch: Partial<Environment>): Environment => ({
  id: 'env-1',
  name: 'dev',
  service: 'component:default/cart-service',
  owner: 'group:default/checkout',
  size: 'small',
  resources: ['postgres'],
  status: 'ready',
  drift: 'in-sync',
  createdBy: 'user:default/sofia-marin',
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 5 * 3_600_000).toISOString(),
  entityRef: 'resource:default/cart-service.dev',
  outputs: {},
  sensitiveOutputs: [],
  ...patch,
});

async function renderHome(options: {
  environments?: Environment[];
  ownership?: string[];
}) {
  const environments = options.environments ?? [];
  const entities = [
    entity(
      'Component',
      'cart-service',
      'group:default/checkout',
      { type: 'service', lifecycle: 'production' },
      {
        'backstage.io/source-location':
          'url:http://localhost:7007/api/git-host/checkout/cart-service/src/branch/main/',
      },
    ),
    entity('Component', 'ledger', 'group:default/payments'),
    entity('API', 'cart-api', 'group:default/checkout'),
    entity('Group', 'checkout'),
  ];
  const catalogApi = catalogApiMock({ entities });
  // The mock knows no relation filters; the real catalog answers this one.
  const getEntities = catalogApi.getEntities.bind(catalogApi);
  catalogApi.getEntities = jest.fn(async request => {
    const owners = (request?.filter as any)?.['relations.ownedBy'];
    if (!owners) return getEntities(request);
    return {
      items: entities.filter(
        e =>
          e.kind === 'Component' &&
          e.relations.some(r => owners.includes(r.targetRef)),
      ),
    };
  });
  const gitHostApi = {
    listPipelines: jest.fn(async () => ({
      runner: true,
      items: [lastPipeline],
    })),
  };
  const deploymentsApi = {
    listDeployments: jest.fn(async () => [lastDeployment]),
  };
  await renderInTestApp(<HomePage />, {
    // The search bar leads to the search page.
    mountedRoutes: {
      '/search': searchPlugin.routes.root as any,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
    apis: [
      [catalogApiRef, catalogApi],
      [starredEntitiesApiRef, new MockStarredEntitiesApi()],
      [searchApiRef, { query: jest.fn(async () => ({ results: [] })) }],
      [
        environmentsApiRef,
        { listEnvironments: jest.fn(async () => environments) } as any,
      ],
      [gitHostApiRef, gitHostApi as any],
      [deploymentsApiRef, deploymentsApi as any],
      [
        identityApiRef,
        mockApis.identity({
          userEntityRef: 'user:default/sofia-marin',
          ownershipEntityRefs: options.ownership ?? [
            'user:default/sofia-marin',
            'group:default/checkout',
          ],
        }),
      ],
    ],
  });
  return { gitHostApi, deploymentsApi };
}

describe('HomePage', () => {
  it("lists the signed-in person's services and environments", async () => {
    const { gitHostApi, deploymentsApi } = await renderHome({
      environments: [
        environment({}),
        environment({
          id: 'env-2',
          name: 'preview',
          owner: 'group:default/payments',
          service: 'component:default/ledger',
        }),
      ],
    });

    const services = await screen.findByRole('list', { name: 'My services' });
    expect(within(services).getAllByRole('listitem')).toHaveLength(1);
    expect(services).toHaveTextContent('cart-service');
    expect(services).toHaveTextContent('service · production');
    expect(services).toHaveTextContent('dev: ready');
    // Its last pipeline and deployment, asked for once.
    const delivery = await within(services).findByTestId('service-delivery');
    expect(delivery).toHaveTextContent(
      'pipeline #12 failed · deployed 01234567 to prod 3 hours ago',
    );
    expect(
      within(delivery).getByRole('link', { name: 'pipeline #12' }),
    ).toHaveAttribute(
      'href',
      '/repositories/checkout/cart-service/pipelines/12',
    );
    expect(gitHostApi.listPipelines).toHaveBeenCalledTimes(1);
    expect(gitHostApi.listPipelines).toHaveBeenCalledWith(
      { namespace: 'checkout', name: 'cart-service' },
      { limit: 1 },
    );
    expect(deploymentsApi.listDeployments).toHaveBeenCalledTimes(1);
    expect(deploymentsApi.listDeployments).toHaveBeenCalledWith({
      service: 'component:default/cart-service',
      limit: 1,
    });

    const environments = await screen.findByRole('list', {
      name: 'My environments',
    });
    expect(within(environments).getAllByRole('listitem')).toHaveLength(1);
    expect(environments).toHaveTextContent('cart-service / dev');
    expect(environments).toHaveTextContent('expires in 5 hours');

    // Still there: the golden paths, the catalog and its counts, search.
    expect(
      screen.getByRole('link', { name: 'Create a service' }),
    ).toHaveAttribute('href', '/create');
    const counts = await screen.findByLabelText('Catalog size');
    expect(counts).toHaveTextContent('2Components');
    expect(counts).toHaveTextContent('1APIs');
    expect(screen.getByText('Starred')).toBeInTheDocument();
    expect(screen.getByText('Recently visited')).toBeInTheDocument();
  });

  it('says what to do when nothing is owned yet', async () => {
    await renderHome({ ownership: ['user:default/newcomer'] });
    expect(
      await screen.findByText('Your teams own no services yet'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Your teams have no environments'),
    ).toBeInTheDocument();
  });

  it('words deployments for people', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(timeAgo('2026-12-01T09:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-12-01T09:00:00Z', now)).toBe('1 hour ago');
    expect(timeAgo('2026-11-28T10:00:00Z', now)).toBe('3 days ago');
    const deployment = {
      ...lastDeployment,
      finishedAt: '2026-12-01T08:00:00Z',
    };
    expect(deploymentText(deployment, now)).toBe(
      'deployed 01234567 to prod 2 hours ago',
    );
    expect(deploymentText({ ...deployment, outcome: 'failure' }, now)).toBe(
      'deploy of 01234567 to prod failed 2 hours ago',
    );
  });

  it('words expiry for people', () => {
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(expiresIn('2026-12-01T09:00:00Z', now)).toBe('expired');
    expect(expiresIn('2026-12-01T11:00:00Z', now)).toBe('in 1 hour');
    expect(expiresIn('2026-12-04T10:00:00Z', now)).toBe('in 3 days');
  });
});
