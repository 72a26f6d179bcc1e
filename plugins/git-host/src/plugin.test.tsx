import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { deliveryApiRef, gitHostApiRef } from './api';
import {
  entityCiCdContent,
  entityDeliveryContent,
  entityDeploymentsContent,
  groupDeliveryContent,
} from './plugin';
import { fakeDeliveryApi } from './__testUtils__/fakeDeliveryApi';
import { fakeGitHostApi } from './__testUtils__/fakeGitHostApi';
import gitHostPlugin from './index';

const entity = (kind: string, location: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: {
    name: 'shop',
    annotations: { 'backstage.io/managed-by-location': location },
  },
});
const onGitHost =
  'url:http://localhost:7007/api/git-host/payments/shop/src/branch/main/catalog-info.yaml';

function renderAt(path: string) {
  const api = fakeGitHostApi();
  renderTestApp({
    features: [gitHostPlugin],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      [gitHostApiRef, api],
      [deliveryApiRef, fakeDeliveryApi()],
    ],
  });
  return api;
}

describe('git-host plugin', () => {
  it('is the default export, with its API and the page the sidebar places', () => {
    expect(gitHostPlugin.id).toBe('git-host');
    expect(gitHostPlugin.getExtension('api:git-host')).toBeDefined();
    expect(gitHostPlugin.getExtension('page:git-host')).toBeDefined();
  });

  // Both tabs: only components whose source is on the git host have them.
  function expectGitHostComponentsOnly(filter: (entity: Entity) => boolean) {
    expect(filter(entity('Component', onGitHost))).toBe(true);
    expect(filter(entity('API', onGitHost))).toBe(false);
    expect(
      filter(entity('Component', 'url:https://github.com/acme/shop/')),
    ).toBe(false);
    expect(filter(entity('Component', 'file:/catalog/components.yaml'))).toBe(
      false,
    );
  }

  it('adds a CI/CD tab to components whose source is on the git host', () => {
    expect(
      gitHostPlugin.getExtension('entity-content:git-host/ci-cd'),
    ).toBeDefined();
    const tester = createExtensionTester(entityCiCdContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('ci-cd');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('CI/CD');
    expectGitHostComponentsOnly(
      tester.get(EntityContentBlueprint.dataRefs.filterFunction)!,
    );
  });

  it('adds a Deployments tab to the same components, with its API', () => {
    expect(
      gitHostPlugin.getExtension('entity-content:git-host/deployments'),
    ).toBeDefined();
    expect(
      gitHostPlugin.getExtension('api:git-host/deployments'),
    ).toBeDefined();
    const tester = createExtensionTester(entityDeploymentsContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('deployments');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
      'Deployments',
    );
    expectGitHostComponentsOnly(
      tester.get(EntityContentBlueprint.dataRefs.filterFunction)!,
    );
  });

  it('adds a Delivery tab to every component, with its API', () => {
    expect(
      gitHostPlugin.getExtension('entity-content:git-host/delivery'),
    ).toBeDefined();
    expect(gitHostPlugin.getExtension('api:git-host/delivery')).toBeDefined();
    const tester = createExtensionTester(entityDeliveryContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('delivery');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Delivery');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Component', onGitHost))).toBe(true);
    // Deployments reported from another CI count too.
    expect(
      filter(entity('Component', 'url:https://github.com/acme/shop/')),
    ).toBe(true);
    expect(filter(entity('Group', onGitHost))).toBe(false);
    expect(filter(entity('API', onGitHost))).toBe(false);
  });

  it("adds a Delivery tab to groups, a team's figures", () => {
    expect(
      gitHostPlugin.getExtension('entity-content:git-host/group-delivery'),
    ).toBeDefined();
    const tester = createExtensionTester(groupDeliveryContent);

    expect(tester.get(coreExtensionData.routePath)).toBe('delivery');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Delivery');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Group', 'file:/catalog/org.yaml'))).toBe(true);
    expect(filter(entity('Component', onGitHost))).toBe(false);
    expect(filter(entity('User', 'file:/catalog/org.yaml'))).toBe(false);
  });

  it('serves Delivery insights at /delivery-insights, with a sidebar item', async () => {
    expect(
      gitHostPlugin.getExtension('page:git-host/delivery-insights'),
    ).toBeDefined();
    renderAt('/delivery-insights');

    expect(
      await screen.findByRole('link', { name: 'Payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/delivery');
    expect(
      screen.getByRole('link', { name: 'Delivery insights' }),
    ).toHaveAttribute('href', '/delivery-insights');
  });

  it('serves the Repositories page at /repositories', async () => {
    renderAt('/repositories');

    expect(
      await screen.findByRole('link', { name: 'payments/shop' }),
    ).toHaveAttribute('href', '/repositories/payments/shop');
    expect(
      screen.getByRole('heading', { level: 1, name: 'Repositories' }),
    ).toBeInTheDocument();
    for (const link of screen.getAllByRole('link', { name: 'Repositories' })) {
      expect(link).toHaveAttribute('href', '/repositories');
    }
  });

  it('serves a pipeline at /repositories/:owner/:name/pipelines/:number', async () => {
    const api = renderAt('/repositories/payments/shop/pipelines/12');

    expect(
      await screen.findByRole('heading', { name: 'Pipeline #12' }),
    ).toBeInTheDocument();
    expect(api.getPipeline).toHaveBeenCalledWith(expect.anything(), 12);
  });

  // The git host redirects browsers to these three.
  it('serves a repository at /repositories/:owner/:name', async () => {
    const api = renderAt('/repositories/payments/shop');

    expect(
      await screen.findByRole('link', { name: 'README.md' }),
    ).toBeInTheDocument();
    expect(api.getRepository).toHaveBeenCalledWith({
      namespace: 'payments',
      name: 'shop',
    });
    expect(api.getContents).toHaveBeenCalledWith(expect.anything(), {
      ref: 'main',
      path: '',
    });
  });

  it('serves a file at /repositories/:owner/:name/src/:ref/<path>', async () => {
    const api = renderAt('/repositories/payments/shop/src/main/src/pay.ts');

    expect(
      await screen.findByRole('table', { name: 'Content of src/pay.ts' }),
    ).toBeInTheDocument();
    expect(api.getContents).toHaveBeenCalledWith(expect.anything(), {
      ref: 'main',
      path: 'src/pay.ts',
    });
  });

  it('serves a change request at /repositories/:owner/:name/pulls/:index', async () => {
    const api = renderAt('/repositories/payments/shop/pulls/3');

    expect(
      await screen.findByRole('heading', { name: 'Send receipts' }),
    ).toBeInTheDocument();
    expect(api.getChangeRequest).toHaveBeenCalledWith(expect.anything(), 3);
  });
});
