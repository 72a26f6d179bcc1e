import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { deliveryApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeDeliveryApi,
  shopMetrics,
} from '../../__testUtils__/fakeDeliveryApi';
import { GroupDeliveryContent } from './GroupDeliveryContent';

// A mock delivery API, as in the service tab's tests.
const team: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

describe('GroupDeliveryContent', () => {
  it("shows the team's figures and its services' deployments", async () => {
    const api = fakeDeliveryApi({
      getMetrics: jest.fn(async () => ({
        ...shopMetrics,
        scope: {
          kind: 'team' as const,
          entityRef: 'group:default/payments',
          services: ['component:default/shop', 'component:default/cart'],
        },
      })),
    });
    await act(async () => {
      await renderInTestApp(
        <EntityProvider entity={team}>
          <GroupDeliveryContent />
        </EntityProvider>,
        {
          apis: [[deliveryApiRef, api]],
          mountedRoutes: {
            '/repositories': rootRouteRef,
            '/catalog/:namespace/:kind/:name': entityRouteRef,
          },
        },
      );
    });

    const frequency = await screen.findByRole('region', {
      name: 'Deployment frequency',
    });
    expect(frequency).toHaveTextContent('3.5 per week');
    expect(
      screen.getByText(
        'production deployments of 2 services, 2026-01-01 to 2026-01-31 (Europe/Berlin)',
      ),
    ).toBeInTheDocument();
    const [first] = within(
      screen.getByRole('table', { name: 'Deployments in the window' }),
    ).getAllByTestId('delivery-deployment');
    expect(within(first).getByRole('link', { name: 'shop' })).toHaveAttribute(
      'href',
      '/catalog/default/component/shop',
    );
    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'group:default/payments',
      days: 30,
      environment: 'production',
    });

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Window' }),
      '90',
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith({
        entity: 'group:default/payments',
        days: 90,
        environment: 'production',
      }),
    );
  });
});
