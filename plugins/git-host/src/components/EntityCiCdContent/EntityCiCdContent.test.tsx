import { act, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeGitHostApi,
  responseError,
} from '../../__testUtils__/fakeGitHostApi';
import { EntityCiCdContent } from './EntityCiCdContent';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default', annotations },
  spec: { type: 'service', owner: 'group:default/payments' },
});

const onGitHost = component({
  'backstage.io/managed-by-location':
    'url:http://localhost:7007/api/git-host/payments/shop/src/branch/main/catalog-info.yaml',
});

async function renderContent(
  entity: Entity,
  api: GitHostApi = fakeGitHostApi(),
) {
  await act(async () => {
    await renderInTestApp(
      <EntityProvider entity={entity}>
        <EntityCiCdContent />
      </EntityProvider>,
      {
        apis: [[gitHostApiRef, api]],
        mountedRoutes: {
          '/repositories': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
  });
  return api;
}

describe('EntityCiCdContent', () => {
  it("lists the latest pipelines of the component's repository, with their jobs", async () => {
    const api = await renderContent(onGitHost);

    const table = await screen.findByRole('table', {
      name: 'Latest pipelines of payments/shop',
    });
    const [latest] = within(table).getAllByTestId('pipeline-row');
    expect(within(latest).getByTestId('pipeline-status')).toHaveTextContent(
      'running',
    );
    expect(within(latest).getByRole('link', { name: '#12' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop/pipelines/12',
    );
    expect(
      within(latest)
        .getAllByTestId('job')
        .map(job => job.getAttribute('title')),
    ).toEqual([
      'build: success',
      'unit-tests: running',
      'deploy-dev: created',
      'deploy-prod: manual',
    ]);
    expect(screen.getByRole('link', { name: 'payments/shop' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop',
    );
    expect(api.listPipelines).toHaveBeenCalledWith(
      { namespace: 'payments', name: 'shop' },
      { limit: 10 },
    );
  });

  it('says how to get a first pipeline', async () => {
    await renderContent(
      onGitHost,
      fakeGitHostApi({
        listPipelines: jest.fn(async () => ({ runner: true, items: [] })),
      }),
    );

    expect(
      await screen.findByText('No pipeline yet: push a .gitlab-ci.yml'),
    ).toBeInTheDocument();
  });

  it('says when the repository is not there for the reader', async () => {
    await renderContent(
      onGitHost,
      fakeGitHostApi({
        listPipelines: jest.fn(async () => {
          throw await responseError(404, 'NotFoundError', 'No payments/shop');
        }),
      }),
    );

    expect(
      await screen.findByText('There is no repository payments/shop'),
    ).toBeInTheDocument();
  });

  it('says so for a component whose source is elsewhere', async () => {
    const api = await renderContent(
      component({
        'backstage.io/source-location': 'url:https://github.com/acme/shop/',
      }),
    );

    expect(
      screen.getByText(
        "This component's source is not on the portal's git host",
      ),
    ).toBeInTheDocument();
    expect(api.listPipelines).not.toHaveBeenCalled();
  });
});
