import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeGitHostApi,
  openChangeRequest,
  responseError,
  shop,
} from '../../__testUtils__/fakeGitHostApi';
import { GitHostRouter } from '../GitHostRouter';

async function renderChangeRequest(
  index: number,
  api: GitHostApi = fakeGitHostApi(),
) {
  await act(async () => {
    await renderInTestApp(<GitHostRouter />, {
      apis: [[gitHostApiRef, api]],
      mountPath: '/repositories',
      initialRouteEntries: [`/repositories/payments/shop/pulls/${index}`],
      mountedRoutes: {
        '/repositories': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
  await screen.findByRole('heading', {
    name: index === 2 ? 'Add refunds' : 'Send receipts',
  });
  return api;
}

const diffRows = (filename: string) =>
  within(
    screen.getByRole('table', { name: `Diff of ${filename}` }),
  ).getAllByRole('row');

describe('ChangeRequestView', () => {
  it('shows what merges where, by whom, and why', async () => {
    await renderChangeRequest(3);

    expect(screen.getByText('#3')).toBeInTheDocument();
    expect(screen.getByText('Open')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(screen.getByText(/wants to merge/)).toHaveTextContent(
      'bob wants to merge feature/receipts → main',
    );
    // The description is Markdown.
    expect(screen.getByText('every').tagName).toBe('STRONG');
    expect(
      await screen.findByRole('list', { name: 'Commits of Send receipts' }),
    ).toHaveTextContent('Add refunds');
  });

  it('renders the diff of each changed file, added lines apart from removed ones', async () => {
    await renderChangeRequest(3);

    const pay = await screen.findByRole('region', { name: 'src/pay.ts' });
    expect(within(pay).getByText('Modified')).toBeInTheDocument();
    expect(
      within(pay).getByLabelText('2 added, 1 removed lines'),
    ).toHaveTextContent('+2 −1');
    const rows = diffRows('src/pay.ts');
    expect(rows.map(row => row.getAttribute('data-change'))).toEqual([
      'hunk',
      'context',
      'removed',
      'added',
      'added',
      'context',
    ]);
    // Old and new line numbers, then the line.
    expect(rows[2]).toHaveTextContent(/^2-\s+return 42;$/);
    expect(rows[3]).toHaveTextContent(/^2\+\s+sendReceipt\(\);$/);
    expect(rows[5]).toHaveTextContent(/^34\s}$/);
    expect(rows[2].className).not.toBe(rows[3].className);

    expect(
      within(screen.getByRole('region', { name: 'src/logo.png' })).getByText(
        'Binary file, not shown',
      ),
    ).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'package-lock.json' }),
      ).getByText('Large diff, not shown'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('3 files changed, 9002 additions, 8001 deletions'),
    ).toBeInTheDocument();
  });

  it('merges, then says so with the merge commit', async () => {
    const api = await renderChangeRequest(3);

    await userEvent.click(screen.getByRole('button', { name: 'Merge' }));

    expect(api.mergeChangeRequest).toHaveBeenCalledWith(shop, 3, {
      headSha: expect.any(String),
    });
    expect(await screen.findByText('Merged')).toBeInTheDocument();
    expect(screen.getByText('Merged into main')).toBeInTheDocument();
    expect(screen.getByText('abcdef1')).toHaveAttribute(
      'title',
      'abcdef1234567890abcdef1234567890abcdef12',
    );
    expect(
      screen.getByRole('button', { name: 'Copy the merge commit sha' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Merge' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Close' }),
    ).not.toBeInTheDocument();
  });

  it('shows why a merge was refused and stays usable', async () => {
    const api = fakeGitHostApi({
      mergeChangeRequest: jest.fn(async () => {
        throw await responseError(
          409,
          'ConflictError',
          'main moved: update the branch',
        );
      }),
    });
    await renderChangeRequest(3, api);

    await userEvent.click(screen.getByRole('button', { name: 'Merge' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The change request was not merged');
    expect(alert).toHaveTextContent('main moved: update the branch');
    expect(screen.getByText('Open')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Merge' })).toBeEnabled(),
    );
    expect(
      screen.getByRole('region', { name: 'src/pay.ts' }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Merge' }));
    expect(api.mergeChangeRequest).toHaveBeenCalledTimes(2);
  });

  it('closes and reopens', async () => {
    const api = await renderChangeRequest(3);

    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    expect(api.updateChangeRequest).toHaveBeenCalledWith(shop, 3, {
      state: 'closed',
    });
    expect(await screen.findByText('Closed')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Merge' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Reopen' }));
    expect(api.updateChangeRequest).toHaveBeenLastCalledWith(shop, 3, {
      state: 'open',
    });
    expect(await screen.findByText('Open')).toBeInTheDocument();
  });

  it('offers no Merge to those who may not push', async () => {
    await renderChangeRequest(
      3,
      fakeGitHostApi({
        getRepository: jest.fn(async () => ({
          ...shop,
          permissions: { read: true, write: false, admin: false },
        })),
      }),
    );

    expect(
      screen.queryByRole('button', { name: 'Merge' }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(
        'Only those who may push to payments/shop can merge it.',
      ),
    ).toBeInTheDocument();
  });

  it('says what the git host found when it cannot be merged', async () => {
    await renderChangeRequest(
      3,
      fakeGitHostApi({
        getChangeRequest: jest.fn(async () => ({
          ...openChangeRequest,
          mergeable: false,
          conflict: 'src/pay.ts conflicts with main',
        })),
      }),
    );

    expect(
      screen.getByText('This change request cannot be merged as it is'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('src/pay.ts conflicts with main'),
    ).toBeInTheDocument();
  });

  it('shows a merged change request as merged, with its commit', async () => {
    await renderChangeRequest(2);

    expect(screen.getByText('Merged')).toBeInTheDocument();
    expect(screen.getByText('Merged into main')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy the merge commit sha' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Reopen' }),
    ).not.toBeInTheDocument();
  });
});
