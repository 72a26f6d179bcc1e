import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { gitHostApiRef } from './api';
import { fakeGitHostApi } from './__testUtils__/fakeGitHostApi';
import gitHostPlugin from './index';

function renderAt(path: string) {
  const api = fakeGitHostApi();
  renderTestApp({
    features: [gitHostPlugin],
    initialRouteEntries: [path],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [[gitHostApiRef, api]],
  });
  return api;
}

describe('git-host plugin', () => {
  it('is the default export, with its API and the page the sidebar places', () => {
    expect(gitHostPlugin.id).toBe('git-host');
    expect(gitHostPlugin.getExtension('api:git-host')).toBeDefined();
    expect(gitHostPlugin.getExtension('page:git-host')).toBeDefined();
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
