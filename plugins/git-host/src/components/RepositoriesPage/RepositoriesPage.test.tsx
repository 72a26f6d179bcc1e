import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef, HostedRepository } from '../../api';
import { RepositoriesPage } from './RepositoriesPage';

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 60 * 60 * 1000).toISOString();

const repositories: HostedRepository[] = [
  {
    name: 'payments-api',
    owner: 'group:default/payments',
    description: 'Takes the money',
    createdBy: 'user:default/alice',
    createdAt: hoursAgo(48),
    cloneUrl: 'http://localhost:7007/api/git-host/git/payments-api.git',
    lastCommit: {
      sha: '0123456789abcdef0123456789abcdef01234567',
      author: 'Alice',
      date: hoursAgo(3),
      message: 'Add refunds',
    },
  },
  {
    name: 'empty-repo',
    owner: 'not an entity ref',
    createdBy: 'user:default/bob',
    createdAt: hoursAgo(1),
    cloneUrl: 'http://localhost:7007/api/git-host/git/empty-repo.git',
  },
];

function mockGitHostApi(overrides: Partial<GitHostApi> = {}): GitHostApi {
  return {
    listRepositories: jest.fn(async () => repositories),
    issueToken: jest.fn(async () => ({ token: 'pgt_secret-token' })),
    ...overrides,
  };
}

// Renders the page and lets the repositories request settle inside act().
async function renderPage(api: GitHostApi) {
  await act(async () => {
    await renderInTestApp(<RepositoriesPage />, {
      apis: [[gitHostApiRef, api]],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
  });
}

describe('RepositoriesPage', () => {
  it('explains itself in the header', async () => {
    await renderPage(mockGitHostApi());

    expect(await screen.findByText('payments-api')).toBeInTheDocument();
    expect(
      screen.getByText(
        'The git repositories Paved hosts for your services, with their owners, latest commits and clone URLs.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Get a git token' }),
    ).toBeInTheDocument();
  });

  it('lists repositories with owner, last commit and clone URL', async () => {
    await renderPage(mockGitHostApi());

    const row = (await screen.findByText('payments-api')).closest('tr')!;
    expect(within(row).getByText('Takes the money')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: /payments/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(within(row).getByText('Add refunds')).toBeInTheDocument();
    expect(within(row).getByText('0123456')).toBeInTheDocument();
    expect(within(row).getByText('3 hours ago')).toBeInTheDocument();
    expect(
      within(row).getByText(
        'http://localhost:7007/api/git-host/git/payments-api.git',
      ),
    ).toBeInTheDocument();
    expect(
      within(row).getByRole('button', {
        name: 'Copy the clone URL of payments-api',
      }),
    ).toBeInTheDocument();

    const emptyRow = screen.getByText('empty-repo').closest('tr')!;
    expect(within(emptyRow).getByText('not an entity ref')).toBeInTheDocument();
    expect(within(emptyRow).queryByRole('link')).not.toBeInTheDocument();
    expect(within(emptyRow).getByText('No commits yet')).toBeInTheDocument();
  });

  it('leads to the Create page when there are no repositories', async () => {
    await renderPage(
      mockGitHostApi({ listRepositories: jest.fn(async () => []) }),
    );

    expect(
      await screen.findByText(
        'No repositories yet — create one from a golden path on the Create page',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Create a service' }),
    ).toHaveAttribute('href', '/create');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows why the repositories could not be loaded', async () => {
    await renderPage(
      mockGitHostApi({
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

  it('shows a new git token once, in a dialog', async () => {
    const api = mockGitHostApi();
    await renderPage(api);

    await screen.findByText('payments-api');
    await userEvent.click(
      screen.getByRole('button', { name: 'Get a git token' }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByText('pgt_secret-token')).toBeVisible();
    expect(dialog).toHaveTextContent(
      'Use it as the password when git asks, e.g. git clone <url>. It is shown only once.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Copy the git token' }),
    ).toBeInTheDocument();
    expect(api.issueToken).toHaveBeenCalledTimes(1);

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('pgt_secret-token')).not.toBeInTheDocument(),
    );
  });

  it('shows why a token could not be issued', async () => {
    await renderPage(
      mockGitHostApi({
        issueToken: jest.fn(async () => {
          throw new Error('Not allowed');
        }),
      }),
    );

    await screen.findByText('payments-api');
    await userEvent.click(
      screen.getByRole('button', { name: 'Get a git token' }),
    );

    const dialog = await screen.findByRole('dialog');
    expect(
      await within(dialog).findByText('Error: Not allowed', { selector: 'h6' }),
    ).toBeVisible();
  });
});
