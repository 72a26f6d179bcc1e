import { act, screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { fakeGitHostApi } from '../../__testUtils__/fakeGitHostApi';
import { RepositoriesPage } from './RepositoriesPage';

// Renders the page and lets its requests settle inside act().
async function renderPage(api: GitHostApi) {
  await act(async () => {
    await renderInTestApp(<RepositoriesPage />, {
      apis: [[gitHostApiRef, api]],
      mountedRoutes: {
        '/repositories': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
}

describe('RepositoriesPage', () => {
  it('explains itself in the header', async () => {
    await renderPage(fakeGitHostApi());

    expect(await screen.findByText('payments/shop')).toBeInTheDocument();
    expect(
      screen.getByText(
        'The git repositories Paved hosts for your services, with their owners, latest commits and clone URLs.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Get a git token' }),
    ).toBeInTheDocument();
  });

  it('lists repositories by full name, each linked to its page', async () => {
    await renderPage(fakeGitHostApi());

    const name = await screen.findByRole('link', { name: 'payments/shop' });
    expect(name).toHaveAttribute('href', '/repositories/payments/shop');
    const row = name.closest('tr')!;
    expect(within(row).getByText('Takes the money')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: /payments$/ }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(within(row).getByText('Add refunds')).toBeInTheDocument();
    expect(within(row).getByText('0123456')).toBeInTheDocument();
    expect(within(row).getByText('3 hours ago')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'http://localhost:7007/api/git-host/payments/shop.git',
      ),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('button', {
        name: 'Copy the clone URL of payments/shop',
      }),
    ).toBeInTheDocument();
    expect(within(row).queryByText('Private')).not.toBeInTheDocument();

    const emptyRow = screen
      .getByRole('link', { name: 'payments/empty' })
      .closest('tr')!;
    expect(within(emptyRow).getByText('Private')).toBeInTheDocument();
    expect(within(emptyRow).getByText('not an entity ref')).toBeInTheDocument();
    expect(within(emptyRow).getAllByRole('link')).toHaveLength(1);
    expect(within(emptyRow).getByText('No commits yet')).toBeInTheDocument();
  });

  it('leads to the Create page when there are no repositories', async () => {
    await renderPage(
      fakeGitHostApi({ listRepositories: jest.fn(async () => []) }),
    );

    expect(
      await screen.findByText(
        'No repositories yet — create one from a golden path on the Create page',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create a service' }),
    ).toHaveAttribute('href', '/create');
    expect(
      screen.queryByRole('link', { name: 'payments/shop' }),
    ).not.toBeInTheDocument();
  });

  it('shows why the repositories could not be loaded', async () => {
    await renderPage(
      fakeGitHostApi({
        listRepositories: jest.fn(async () => {
          throw new Error('The git host is down');
        }),
      }),
    );

    expect(
      await screen.findByText('Error: The git host is down', {
        selector: 'h6',
      }),
    ).toBeVisible();
  });
});
