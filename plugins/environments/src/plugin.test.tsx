import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { environmentsApiRef } from './api';
import { entityEnvironmentsContent } from './plugin';
import {
  devEnvironment,
  fakeEnvironmentsApi,
} from './__testUtils__/fakeEnvironmentsApi';
import environmentsPlugin from './index';

const entityOfKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'payments-api' },
});

describe('environments plugin', () => {
  it('is the default export, with its API, page and entity tab', () => {
    expect(environmentsPlugin.id).toBe('environments');
    expect(environmentsPlugin.getExtension('api:environments')).toBeDefined();
    expect(environmentsPlugin.getExtension('page:environments')).toBeDefined();
    expect(
      environmentsPlugin.getExtension('entity-content:environments'),
    ).toBeDefined();
  });

  it('adds an Environments tab to components only', () => {
    const tester = createExtensionTester(entityEnvironmentsContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('environments');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Environments',
    );
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entityOfKind('Component'))).toBe(true);
    expect(filter(entityOfKind('API'))).toBe(false);
    expect(filter(entityOfKind('Resource'))).toBe(false);
  });

  it('serves the list at /environments and an environment below it', async () => {
    const api = fakeEnvironmentsApi();
    renderTestApp({
      features: [environmentsPlugin],
      initialRouteEntries: ['/environments/env-1'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[environmentsApiRef, api]],
    });

    expect(
      await screen.findByRole('heading', { name: 'dev of payments-api' }),
    ).toBeInTheDocument();
    expect(api.getEnvironment).toHaveBeenCalledWith(devEnvironment.id);
    expect(
      screen.getByRole('heading', { level: 1, name: 'Environments' }),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('link', { name: '← All environments' }),
    );
    const staging = await screen.findByRole('link', { name: 'staging' });
    expect(staging).toHaveAttribute('href', '/environments/env-2');

    // A click anywhere else on the row opens the environment too.
    await userEvent.click(within(staging.closest('tr')!).getByText('drifted'));
    await waitFor(() =>
      expect(api.getEnvironment).toHaveBeenLastCalledWith('env-2'),
    );
  });

  it('leaves a click on a link in a row to the link', async () => {
    const api = fakeEnvironmentsApi();
    renderTestApp({
      features: [environmentsPlugin],
      initialRouteEntries: ['/environments'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[environmentsApiRef, api]],
    });

    const staging = await screen.findByRole('link', { name: 'staging' });
    await userEvent.click(
      within(staging.closest('tr')!).getByRole('link', { name: 'web' }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('link', { name: 'staging' }),
      ).not.toBeInTheDocument(),
    );
    // material-table reports a single click only after 200 ms.
    await act(() => new Promise(resolve => setTimeout(resolve, 500)));
    expect(api.getEnvironment).not.toHaveBeenCalled();
  });
});
