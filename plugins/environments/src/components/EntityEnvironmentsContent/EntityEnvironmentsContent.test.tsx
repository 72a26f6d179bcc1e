import { act, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  devEnvironment,
  fakeEnvironmentsApi,
} from '../../__testUtils__/fakeEnvironmentsApi';
import { EntityEnvironmentsContent } from './EntityEnvironmentsContent';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
};

async function renderContent(api: EnvironmentsApi) {
  await act(async () => {
    await renderInTestApp(
      <EntityProvider entity={service}>
        <EntityEnvironmentsContent />
      </EntityProvider>,
      {
        apis: [[environmentsApiRef, api]],
        mountedRoutes: {
          '/environments': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
  });
}

describe('EntityEnvironmentsContent', () => {
  it("lists the service's environments, linked to their pages", async () => {
    const api = fakeEnvironmentsApi({
      listEnvironments: jest.fn(async () => [devEnvironment]),
    });
    await renderContent(api);

    const link = await screen.findByRole('link', { name: 'dev' });
    expect(link).toHaveAttribute('href', '/environments/env-1');
    expect(within(link.closest('tr')!).getByText('ready')).toBeInTheDocument();
    expect(api.listEnvironments).toHaveBeenCalledWith({
      service: 'component:default/payments-api',
    });
    expect(
      screen.getByRole('link', {
        name: 'Add an environment to an existing service',
      }),
    ).toHaveAttribute('href', '/create/templates/default/add-environment');
  });

  it('points to the template when the service has no environment', async () => {
    await renderContent(
      fakeEnvironmentsApi({ listEnvironments: jest.fn(async () => []) }),
    );

    expect(
      await screen.findByText(/This service has no environments yet/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'Add an environment to an existing service',
      }),
    ).toHaveAttribute('href', '/create/templates/default/add-environment');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
