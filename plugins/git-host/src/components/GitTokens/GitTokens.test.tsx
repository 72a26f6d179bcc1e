import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeGitHostApi,
  responseError,
  tokens,
} from '../../__testUtils__/fakeGitHostApi';
import { RepositoriesPage } from '../RepositoriesPage';

// The tokens live on the Repositories page: a button that issues one, and a
// card that lists them.
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

async function openIssueDialog() {
  await userEvent.click(
    screen.getByRole('button', { name: 'Get a git token' }),
  );
  const dialog = await screen.findByRole('dialog');
  // The lifetime field is filled once the token policy has loaded.
  await waitFor(() =>
    expect(within(dialog).getByLabelText(/Expires in \(days\)/)).toHaveValue(
      90,
    ),
  );
  return dialog;
}

const tokenRow = (name: string) =>
  within(screen.getByRole('table', { name: 'Your git tokens' }))
    .getByRole('cell', { name })
    .closest('tr')!;

describe('git tokens', () => {
  it('lists your tokens with when they were made, expire and were last used', async () => {
    await renderPage(fakeGitHostApi());

    await screen.findByRole('table', { name: 'Your git tokens' });
    const laptop = tokenRow('laptop');
    expect(laptop).toHaveTextContent('Personal (write)');
    expect(laptop).toHaveTextContent('last week');
    expect(laptop).toHaveTextContent('in 2 months');
    expect(laptop).toHaveTextContent('2 hours ago');
    expect(
      within(laptop).getByRole('button', { name: 'Revoke laptop' }),
    ).toBeInTheDocument();

    const ci = tokenRow('ci');
    expect(ci).toHaveTextContent('Deploy token of payments/shop (read)');
    expect(ci).toHaveTextContent('never');

    const old = tokenRow('old laptop');
    expect(old).toHaveTextContent('Revoked 2 weeks ago');
    expect(within(old).queryByRole('button')).not.toBeInTheDocument();
  });

  it('says how to get a token when there is none', async () => {
    await renderPage(fakeGitHostApi({ listTokens: jest.fn(async () => []) }));

    expect(
      await screen.findByText(/You have no git tokens\./),
    ).toBeInTheDocument();
  });

  it('issues a named token with an expiry and shows it once', async () => {
    const api = fakeGitHostApi();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Your git tokens' });

    const dialog = await openIssueDialog();
    const issue = within(dialog).getByRole('button', { name: 'Issue token' });
    expect(issue).toBeDisabled();

    await userEvent.type(within(dialog).getByLabelText(/Name/), 'laptop');
    const days = within(dialog).getByLabelText(/Expires in \(days\)/);
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    await userEvent.click(issue);

    expect(await within(dialog).findByText('pgt_secret-token')).toBeVisible();
    expect(api.issueToken).toHaveBeenCalledWith({
      name: 'laptop',
      expiresInDays: 30,
    });
    expect(dialog).toHaveTextContent(
      'Use it as the password when git asks, e.g. git clone <url>. It is shown only once.',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Copy the git token' }),
    ).toBeInTheDocument();
    // The list shows the new token too.
    await waitFor(() => expect(api.listTokens).toHaveBeenCalledTimes(2));

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByText('pgt_secret-token')).not.toBeInTheDocument(),
    );
  });

  it('refuses a lifetime above the maximum, and says why', async () => {
    const api = fakeGitHostApi();
    await renderPage(api);

    const dialog = await openIssueDialog();
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'forever');
    const days = within(dialog).getByLabelText(/Expires in \(days\)/);
    await userEvent.clear(days);
    await userEvent.type(days, '400');

    expect(
      within(dialog).getByText(
        'Tokens live at most 365 days; enter 365 or fewer',
      ),
    ).toBeVisible();
    expect(
      within(dialog).getByRole('button', { name: 'Issue token' }),
    ).toBeDisabled();
    expect(api.issueToken).not.toHaveBeenCalled();
  });

  it("shows the backend's reason when a token is not issued", async () => {
    await renderPage(
      fakeGitHostApi({
        issueToken: jest.fn(async () => {
          throw await responseError(
            400,
            'InputError',
            'expiresInDays must be at most 365',
          );
        }),
      }),
    );

    const dialog = await openIssueDialog();
    await userEvent.type(within(dialog).getByLabelText(/Name/), 'laptop');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Issue token' }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The token was not issued');
    expect(alert).toHaveTextContent('expiresInDays must be at most 365');
  });

  it('revokes a token after asking', async () => {
    const api = fakeGitHostApi();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Your git tokens' });

    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke laptop' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Revoke the token “laptop”?',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.revokeToken).not.toHaveBeenCalled();

    api.listTokens.mockResolvedValueOnce(tokens.slice(1));
    await userEvent.click(
      screen.getByRole('button', { name: 'Revoke laptop' }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Revoke',
      }),
    );

    expect(api.revokeToken).toHaveBeenCalledWith('token-1');
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Revoke laptop' }),
      ).not.toBeInTheDocument(),
    );
  });
});
