import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { gitHostApiRef } from './api';
import gitHostPlugin from './index';

describe('git-host plugin', () => {
  it('is the default export, with its API and the page the sidebar places', () => {
    expect(gitHostPlugin.id).toBe('git-host');
    expect(gitHostPlugin.getExtension('api:git-host')).toBeDefined();
    expect(gitHostPlugin.getExtension('page:git-host')).toBeDefined();
  });

  it('serves the Repositories page at /repositories', async () => {
    renderTestApp({
      features: [gitHostPlugin],
      initialRouteEntries: ['/repositories'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          gitHostApiRef,
          {
            listRepositories: async () => [],
            issueToken: async () => ({ token: 'unused' }),
          },
        ],
      ],
    });

    expect(
      await screen.findByText(
        'No repositories yet — create one from a golden path on the Create page',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Repositories' }),
    ).toBeInTheDocument();
    for (const link of screen.getAllByRole('link', { name: 'Repositories' })) {
      expect(link).toHaveAttribute('href', '/repositories');
    }
  });
});
