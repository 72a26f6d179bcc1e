import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { DeliveryApi, deliveryApiRef } from '../../api';
import { fakeDeliveryApi } from '../../__testUtils__/fakeDeliveryApi';
import { DeliveryInsightsPage } from './DeliveryInsightsPage';

// A mock delivery API answers what the deployments backend computes.
async function renderPage(api: DeliveryApi = fakeDeliveryApi()) {
  await act(async () => {
    await renderInTestApp(<DeliveryInsightsPage />, {
      apis: [[deliveryApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
  });
  return api;
}

/** The table's body rows, by their first cell's text. */
const firstCells = (region: HTMLElement) =>
  within(region)
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getAllByRole('cell')[0].textContent);

describe('DeliveryInsightsPage', () => {
  it("lists every team's figures, each team opening on its Delivery tab", async () => {
    const api = await renderPage();

    const teams = await screen.findByRole('region', { name: 'Teams' });
    expect(
      within(teams).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/delivery');
    const payments = within(teams)
      .getByRole('link', { name: 'Payments' })
      .closest('tr')!;
    expect(payments).toHaveTextContent('3.5High');
    expect(payments).toHaveTextContent('3 h 20 min');
    expect(payments).toHaveTextContent('25% (1 of 4)Medium');
    expect(payments).toHaveTextContent('1 h 30 min');
    expect(firstCells(teams)).toEqual(['Payments', 'checkout', 'search']);
    expect(api.getInsights).toHaveBeenCalledWith({
      days: 30,
      environment: 'production',
    });
  });

  it('sorts teams by a figure, those without one last', async () => {
    await renderPage();

    const teams = await screen.findByRole('region', { name: 'Teams' });
    const header = within(
      within(teams).getByRole('columnheader', {
        name: /Deployments per week/,
      }),
    ).getByText('Deployments per week');
    await userEvent.click(header);
    expect(firstCells(teams)).toEqual(['checkout', 'Payments', 'search']);
    await userEvent.click(header);
    expect(firstCells(teams)).toEqual(['Payments', 'checkout', 'search']);
  });

  it('lists golden paths by version, and services made from none', async () => {
    await renderPage();

    const paths = await screen.findByRole('region', { name: 'Golden paths' });
    const rows = within(paths).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('typescript-service v2latest is v3');
    expect(rows[0]).toHaveTextContent('2shop, cart');
    expect(rows[0]).toHaveTextContent('12 minmedian of 2');
    expect(rows[1]).toHaveTextContent('Not from a golden path');
    // A long list is summed up; all names are in its tooltip.
    expect(rows[1]).toHaveTextContent(
      '5legacy-billing, ledger, reports and 2 more',
    );
    expect(within(rows[1]).getByTitle(/ftp-gateway$/)).toBeInTheDocument();
  });

  it('tells how far golden paths are adopted', async () => {
    await renderPage();

    expect(await screen.findByTestId('adoption-summary')).toHaveTextContent(
      '3 of 4 components (75%) come from a golden path.',
    );
    expect(
      screen.getByRole('list', { name: 'Services on the latest version' }),
    ).toHaveTextContent('1 of 3 on the latest version (v3) (33.3%)');
  });

  it('asks again for another window and environment', async () => {
    const api = await renderPage();

    await screen.findByRole('region', { name: 'Teams' });
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Environment' }),
      'staging',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Window' }),
      '90',
    );
    await waitFor(() =>
      expect(api.getInsights).toHaveBeenLastCalledWith({
        days: 90,
        environment: 'staging',
      }),
    );
  });
});
