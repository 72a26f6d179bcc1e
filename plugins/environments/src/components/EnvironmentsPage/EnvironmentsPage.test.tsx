import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { fakeEnvironmentsApi } from '../../__testUtils__/fakeEnvironmentsApi';
import { EnvironmentsPage } from './EnvironmentsPage';

async function renderPage(api: EnvironmentsApi) {
  await act(async () => {
    await renderInTestApp(<EnvironmentsPage />, {
      apis: [[environmentsApiRef, api]],
      mountedRoutes: {
        '/environments': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
}

const rowOf = async (name: string) =>
  (await screen.findByRole('link', { name })).closest('tr')!;

describe('EnvironmentsPage', () => {
  it('lists environments with service, owner, status, drift, expiry and last run', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);

    const dev = await rowOf('dev');
    expect(within(dev).getByRole('link', { name: 'dev' })).toHaveAttribute(
      'href',
      '/environments/env-1',
    );
    expect(
      within(dev).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(
      within(dev).getByRole('link', { name: /payments$/ }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(within(dev).getByText('ready')).toBeInTheDocument();
    expect(within(dev).getByText('in sync')).toBeInTheDocument();
    expect(within(dev).getByText('25.00')).toBeInTheDocument();
    expect(within(dev).getByText('yesterday')).toBeInTheDocument();
    expect(within(dev).getByText('in 3 days')).toBeInTheDocument();
    expect(within(dev).getByText('Plan')).toBeInTheDocument();
    expect(within(dev).getByText('succeeded')).toBeInTheDocument();

    const staging = await rowOf('staging');
    const cells = within(staging)
      .getAllByRole('cell')
      .map(cell => cell.textContent);
    expect(cells).toEqual([
      'staging',
      'checkout-web',
      'web',
      'failed',
      'drifted',
      // No price known for it: the backend sends none.
      '—',
      'last week',
      'expired',
      'Applyfailed 3 hours ago',
    ]);

    expect(api.listEnvironments).toHaveBeenCalledWith({});
  });

  it('filters by owner and status', async () => {
    await renderPage(fakeEnvironmentsApi());
    await rowOf('dev');

    await userEvent.selectOptions(
      screen.getByLabelText('Owner'),
      'group:default/web',
    );
    expect(await rowOf('staging')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'dev' })).not.toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'ready');
    expect(
      await screen.findByText('No environments match these filters.'),
    ).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Owner'), '');
    expect(await rowOf('dev')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'staging' }),
    ).not.toBeInTheDocument();
  });

  it('asks the backend for destroyed environments only when they are filtered for', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);
    await rowOf('dev');
    expect(
      screen.queryByRole('link', { name: 'pr-42' }),
    ).not.toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Status'), 'destroyed');

    const row = await rowOf('pr-42');
    expect(within(row).getByText('destroyed')).toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenLastCalledWith({
      status: 'destroyed',
    });
    expect(screen.queryByRole('link', { name: 'dev' })).not.toBeInTheDocument();
  });

  it('explains how to get an environment when there is none', async () => {
    await renderPage(
      fakeEnvironmentsApi({ listEnvironments: jest.fn(async () => []) }),
    );

    expect(await screen.findByText('No environments yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        "Create one from a golden path, or with the 'Add an environment to an existing service' template on the Create page.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Add an environment' }),
    ).toHaveAttribute('href', '/create/templates/default/add-environment');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows why the environments could not be loaded', async () => {
    await renderPage(
      fakeEnvironmentsApi({
        listEnvironments: jest.fn(async () => {
          throw new Error('The environments backend is down');
        }),
      }),
    );

    await waitFor(() =>
      expect(
        screen.getByText('Error: The environments backend is down', {
          selector: 'h6',
        }),
      ).toBeVisible(),
    );
  });
});
