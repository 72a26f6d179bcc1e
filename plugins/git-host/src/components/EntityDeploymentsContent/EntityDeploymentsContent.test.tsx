import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { DeploymentsApi, deploymentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { fakeDeploymentsApi } from '../../__testUtils__/fakeDeploymentsApi';
import { EntityDeploymentsContent } from './EntityDeploymentsContent';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'shop',
    namespace: 'default',
    annotations: {
      'backstage.io/source-location':
        'url:http://localhost:7007/api/git-host/payments/shop/src/branch/main/',
    },
  },
  spec: { type: 'service', owner: 'group:default/payments' },
};

async function renderContent(api: DeploymentsApi = fakeDeploymentsApi()) {
  await act(async () => {
    await renderInTestApp(
      <EntityProvider entity={service}>
        <EntityDeploymentsContent />
      </EntityProvider>,
      {
        apis: [[deploymentsApiRef, api]],
        mountedRoutes: {
          '/repositories': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
  });
  return api;
}

const rowOf = (table: HTMLElement, testId: string, environment: string) =>
  within(table)
    .getAllByTestId(testId)
    .find(row => within(row).queryByText(environment, { exact: true }))!;

describe('EntityDeploymentsContent', () => {
  it('shows what each environment runs now, and a later failed attempt', async () => {
    const api = await renderContent();

    const now = await screen.findByRole('table', { name: 'Deployed now' });
    const dev = rowOf(now, 'current-deployment', 'dev');
    expect(dev).toHaveTextContent('01234567');
    expect(dev).not.toHaveTextContent('012345678');
    expect(dev).toHaveTextContent('1.4.0');
    expect(within(dev).getByTestId('deployment-outcome')).toHaveTextContent(
      'success',
    );
    expect(
      within(dev).getByRole('link', { name: 'Pipeline #12' }),
    ).toHaveAttribute('href', '/repositories/payments/shop/pipelines/12');

    const prod = rowOf(now, 'current-deployment', 'prod');
    expect(prod).toHaveTextContent('fedcba98');
    expect(prod).toHaveTextContent('1.3.0');
    expect(prod).toHaveTextContent(
      /Since then, the latest attempt \(01234567, .+\) ended in a failure/,
    );
    expect(
      within(prod).getByRole('link', {
        name: 'Pipeline, Opens in a new window',
      }),
    ).toHaveAttribute(
      'href',
      'https://ci.example.com/acme/shop/-/pipelines/77',
    );
    expect(api.getCurrentDeployments).toHaveBeenCalledWith(
      'component:default/shop',
    );
  });

  it('tells the time to first deploy', async () => {
    await renderContent();

    const first = await screen.findByRole('list', {
      name: 'Time to first deploy',
    });
    expect(first).toHaveTextContent(
      'dev: 12m 05s after the service was created from typescript-service v2',
    );
    expect(
      within(first).getByRole('link', { name: /typescript-service/ }),
    ).toHaveAttribute('href', '/catalog/default/template/typescript-service');
  });

  it('lists the history, by environment if asked, each opening to its commits', async () => {
    const api = await renderContent();

    const history = await screen.findByRole('table', {
      name: 'Deployment history',
    });
    const rows = within(history).getAllByTestId('deployment-row');
    expect(
      rows.map(row => within(row).getAllByRole('cell')[1].textContent),
    ).toEqual(['prod', 'dev', 'prod', 'dev']);
    expect(rows[1]).toHaveTextContent('01234567');
    expect(within(rows[0]).getByTestId('deployment-outcome')).toHaveTextContent(
      'failure',
    );
    expect(rows[2]).toHaveTextContent('github-actionsanother CI');
    expect(api.listDeployments).toHaveBeenCalledWith({
      service: 'component:default/shop',
      environment: undefined,
      limit: 50,
    });

    await userEvent.click(
      within(rows[1]).getByRole('button', {
        name: 'Show the commits of 01234567 to dev',
      }),
    );
    const commits = await screen.findByRole('list', {
      name: 'Commits deployed to dev with 01234567',
    });
    expect(
      within(commits)
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual([
      expect.stringMatching(/^01234567Add refundsAlice committed /),
      expect.stringMatching(/^aaaabbbbSend receiptsBob committed /),
    ]);
    expect(api.getDeployment).toHaveBeenCalledWith('dep-3');

    await userEvent.click(
      within(rows[2]).getByRole('button', {
        name: 'Show the commits of fedcba98 to prod',
      }),
    );
    expect(
      await screen.findByText(
        'The first deployment to prod: it brought everything up to fedcba98.',
      ),
    ).toBeInTheDocument();

    // "All environments" is an empty value; the label stays above it
    // instead of being drawn over it.
    expect(
      screen.getByText('Environment', { selector: 'label' }),
    ).toHaveAttribute('data-shrink', 'true');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Environment' }),
      'prod',
    );
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'Deployment history' }),
        ).getAllByTestId('deployment-row'),
      ).toHaveLength(2),
    );
    expect(api.listDeployments).toHaveBeenLastCalledWith({
      service: 'component:default/shop',
      environment: 'prod',
      limit: 50,
    });
  });

  it('says where deployments come from before there is one', async () => {
    await renderContent(
      fakeDeploymentsApi({
        getCurrentDeployments: jest.fn(async () => ({
          service: 'component:default/shop',
          environments: [],
          firstDeploys: [],
        })),
      }),
    );

    expect(
      await screen.findByText(
        "No deployment recorded yet: the pipeline's deploy jobs report here",
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
