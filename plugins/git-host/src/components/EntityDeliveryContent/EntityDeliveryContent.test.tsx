import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  DeliveryApi,
  deliveryApiRef,
  DeploymentsApi,
  deploymentsApiRef,
} from '../../api';
import { rootRouteRef } from '../../routes';
import { fakeDeploymentsApi } from '../../__testUtils__/fakeDeploymentsApi';
import {
  emptyMetrics,
  fakeDeliveryApi,
} from '../../__testUtils__/fakeDeliveryApi';
import { responseError } from '../../__testUtils__/fakeGitHostApi';
import { EntityDeliveryContent } from './EntityDeliveryContent';

// The delivery API is a jest mock answering what the deployments backend
// answers (its own tests compute the figures); these tests are about what
// the tab shows and sends.

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
};

async function renderTab(
  deliveryApi: DeliveryApi = fakeDeliveryApi(),
  deploymentsApi: DeploymentsApi = fakeDeploymentsApi(),
) {
  await act(async () => {
    await renderInTestApp(
      <EntityProvider entity={service}>
        <EntityDeliveryContent />
      </EntityProvider>,
      {
        apis: [
          [deliveryApiRef, deliveryApi],
          [deploymentsApiRef, deploymentsApi],
        ],
        mountedRoutes: {
          '/repositories': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );
  });
  return deliveryApi;
}

const figure = (name: string) => screen.findByRole('region', { name });

const deploymentRows = () =>
  within(
    screen.getByRole('table', { name: 'Deployments in the window' }),
  ).getAllByTestId('delivery-deployment');

describe('EntityDeliveryContent', () => {
  it("shows the service's five figures with what they were computed from", async () => {
    const api = await renderTab();

    const frequency = await figure('Deployment frequency');
    expect(within(frequency).getByTestId('delivery-value')).toHaveTextContent(
      '3.5 per week',
    );
    expect(frequency).toHaveTextContent('0.5 per day');
    expect(frequency).toHaveTextContent('2.5 deploy days per week');
    expect(frequency).toHaveTextContent(
      '15 successful deployments / 4.3 weeks, last 30 days',
    );
    expect(within(frequency).getByTestId('delivery-band')).toHaveTextContent(
      'High',
    );
    expect(
      within(frequency).getByRole('img', {
        name: 'Deployments per week, by week',
      }),
    ).toBeInTheDocument();

    const leadTime = await figure('Lead time for changes');
    expect(within(leadTime).getByTestId('delivery-value')).toHaveTextContent(
      '3 h 20 min',
    );
    expect(leadTime).toHaveTextContent('p90 2.5 d');

    const failures = await figure('Change failure rate');
    expect(within(failures).getByTestId('delivery-value')).toHaveTextContent(
      '25%',
    );
    expect(failures).toHaveTextContent('failed 1 of 4');
    expect(failures).toHaveTextContent(
      'Incidents count when they name a deployment or a commit',
    );
    expect(within(failures).getByTestId('delivery-band')).toHaveTextContent(
      'Medium',
    );

    const rework = await figure('Rework rate');
    expect(rework).toHaveTextContent('1 of 4');
    expect(within(rework).getByTestId('delivery-band')).toHaveTextContent(
      'Low',
    );

    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'component:default/shop',
      days: 30,
      environment: 'production',
    });
  });

  it("tells the bands' source on a band", async () => {
    await renderTab();

    const frequency = await figure('Deployment frequency');
    await userEvent.hover(within(frequency).getByTestId('delivery-band'));
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Bands: DORA State of DevOps 2024',
    );
  });

  it('says why a figure has no value instead of a number', async () => {
    await renderTab();

    const recovery = await figure('Time to recover');
    expect(recovery).toHaveTextContent(
      'No failed deployment has recovered yet',
    );
    expect(recovery).toHaveTextContent('1 not yet recovered');
    expect(
      within(recovery).queryByTestId('delivery-value'),
    ).not.toBeInTheDocument();
    expect(
      within(recovery).queryByTestId('delivery-band'),
    ).not.toBeInTheDocument();
  });

  it('lists the deployments with why they count, and those behind a figure', async () => {
    await renderTab();

    await figure('Change failure rate');
    const rows = deploymentRows();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toHaveTextContent('1.4.1');
    expect(rows[0]).toHaveTextContent('aaaabbbb');
    expect(within(rows[0]).getByTestId('rework-kind')).toHaveTextContent(
      'hotfix',
    );
    expect(rows[0]).toHaveTextContent('30 min');
    expect(
      within(rows[1])
        .getAllByTestId('failure-reason')
        .map(chip => chip.textContent),
    ).toEqual(['rolled back', 'incident']);
    expect(rows[1]).toHaveTextContent('not recovered yet');
    expect(
      within(rows[2]).getByRole('link', { name: /Pipeline/ }),
    ).toHaveAttribute(
      'href',
      'https://ci.example.com/acme/shop/-/pipelines/77',
    );

    await userEvent.click(
      within(await figure('Change failure rate')).getByRole('button', {
        name: 'Show deployments (1)',
      }),
    );
    expect(deploymentRows()).toHaveLength(1);
    expect(deploymentRows()[0]).toHaveTextContent('1.4.0');
    expect(
      screen.getByText('The deployment behind change failure rate'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(deploymentRows()).toHaveLength(4);
  });

  it("offers the service's environments and the windows", async () => {
    const api = await renderTab();

    await figure('Deployment frequency');
    const environment = screen.getByRole('combobox', { name: 'Environment' });
    expect(
      within(environment)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['production', 'dev', 'prod']);

    await userEvent.selectOptions(environment, 'dev');
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Window' }),
      '7',
    );
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenLastCalledWith({
        entity: 'component:default/shop',
        days: 7,
        environment: 'dev',
      }),
    );
  });

  it('records that a deployment caused an incident, and loads the figures again', async () => {
    const api = await renderTab();

    await figure('Deployment frequency');
    await userEvent.click(
      within(deploymentRows()[2]).getByRole('button', {
        name: 'Caused an incident',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'The deployment of 1.3.0 to production caused an incident',
    });
    const record = within(dialog).getByRole('button', {
      name: 'Record incident',
    });
    expect(record).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      '  Payments time out ',
    );
    await userEvent.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Severity' }),
      'critical',
    );
    await userEvent.click(record);

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.recordIncident).toHaveBeenCalledWith('dep-11', {
      title: 'Payments time out',
      severity: 'critical',
    });
    await waitFor(() => expect(api.getMetrics).toHaveBeenCalledTimes(2));
  });

  it("shows the backend's message when the incident is refused", async () => {
    const refusal = await responseError(
      403,
      'NotAllowedError',
      'Only the owners of component:default/shop may record its incidents',
    );
    const api = await renderTab(
      fakeDeliveryApi({ recordIncident: jest.fn().mockRejectedValue(refusal) }),
    );

    await figure('Deployment frequency');
    await userEvent.click(
      within(deploymentRows()[0]).getByRole('button', {
        name: 'Caused an incident',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Down',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Record incident' }),
    );

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Only the owners of component:default/shop may record its incidents',
    );
    expect(api.recordIncident).toHaveBeenCalledWith('dep-13', {
      title: 'Down',
      severity: 'medium',
    });
    expect(api.getMetrics).toHaveBeenCalledTimes(1);
  });

  it('lists the incidents and resolves an open one', async () => {
    const api = await renderTab();

    const incidents = await screen.findByRole('table', { name: 'Incidents' });
    const [incident] = within(incidents).getAllByTestId('delivery-incident');
    expect(incident).toHaveTextContent('Checkout returns 500');
    expect(incident).toHaveTextContent('critical');
    expect(incident).toHaveTextContent('open');
    expect(incident).toHaveTextContent('1.4.0 to production');

    await userEvent.click(
      within(incident).getByRole('button', { name: 'Resolve' }),
    );
    expect(api.resolveIncident).toHaveBeenCalledWith('inc-1');
    await waitFor(() => expect(api.getMetrics).toHaveBeenCalledTimes(2));
  });

  it('says what to do when there is no deployment in the window', async () => {
    await renderTab(
      fakeDeliveryApi({ getMetrics: jest.fn(async () => emptyMetrics) }),
    );

    expect(
      await screen.findByRole('heading', {
        name: 'No production deployments in 30 days',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "Deployments appear here when a pipeline's deploy job reports to Paved — see the CI/CD tab.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Deployments in the window' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'No incidents recorded' }),
    ).toBeInTheDocument();
    expect(
      within(await figure('Change failure rate')).getByRole('button', {
        name: 'Show deployments (0)',
      }),
    ).toBeDisabled();
  });
});
