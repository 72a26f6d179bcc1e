import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeGitHostApi,
  responseError,
  shop,
} from '../../__testUtils__/fakeGitHostApi';
import { GitHostRouter } from '../GitHostRouter';

async function renderAt(path: string, api: GitHostApi = fakeGitHostApi()) {
  await act(async () => {
    await renderInTestApp(<GitHostRouter />, {
      apis: [[gitHostApiRef, api]],
      mountPath: '/repositories',
      initialRouteEntries: [path],
      mountedRoutes: {
        '/repositories': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
  return api;
}

const shopLocator = { namespace: 'payments', name: 'shop' };
const files = () => screen.findByRole('table', { name: 'Files' });
const breadcrumbs = () => screen.getByRole('navigation', { name: 'Path' });

describe('RepositoryPage', () => {
  it('shows what the repository is, who owns it and how to clone it', async () => {
    await renderAt('/repositories/payments/shop');

    expect(
      await screen.findByRole('heading', { name: 'payments/shop' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Takes the money')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /payments$/ })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(
      screen.getByText('Internal: every signed-in user may read it'),
    ).toBeInTheDocument();
    expect(screen.getByText(shop.cloneUrl)).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Copy the clone URL of payments/shop',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Files' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(
      screen.getByRole('link', { name: 'Change requests' }),
    ).toHaveAttribute('href', '/repositories/payments/shop/pulls');
  });

  it('lists the root folder of the default branch, folders first', async () => {
    const api = await renderAt('/repositories/payments/shop');

    const rows = within(await files()).getAllByRole('link');
    expect(rows.map(row => row.textContent)).toEqual(['src', 'README.md']);
    expect(rows[0]).toHaveAttribute(
      'href',
      '/repositories/payments/shop/src/main/src',
    );
    expect(api.getContents).toHaveBeenCalledWith(shop, {
      ref: 'main',
      path: '',
    });
    expect(screen.getByRole('combobox', { name: 'Branch' })).toHaveValue(
      'main',
    );
  });

  it('goes into a folder and opens a file with line numbers', async () => {
    const api = await renderAt('/repositories/payments/shop');

    await userEvent.click(
      within(await files()).getByRole('link', { name: 'src' }),
    );
    await userEvent.click(await screen.findByRole('link', { name: 'pay.ts' }));

    const content = await screen.findByRole('table', {
      name: 'Content of src/pay.ts',
    });
    const lines = within(content).getAllByRole('row');
    expect(lines.map(row => row.textContent)).toEqual([
      '1export function pay() {',
      '2  return 42;',
      '3}',
    ]);
    expect(api.getContents).toHaveBeenLastCalledWith(shop, {
      ref: 'main',
      path: 'src/pay.ts',
    });
    const crumbs = breadcrumbs();
    expect(within(crumbs).getByRole('link', { name: 'shop' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop/src/main',
    );
    expect(within(crumbs).getByRole('link', { name: 'src' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop/src/main/src',
    );
    expect(within(crumbs).getByText('pay.ts')).toHaveAttribute(
      'aria-current',
      'page',
    );
  });

  it('says a binary file is not shown instead of showing it', async () => {
    await renderAt('/repositories/payments/shop/src/main/src/logo.png');

    expect(
      await screen.findByText('logo.png is a binary file (2.0 KB), not shown.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says a file too large for the git host is not shown', async () => {
    const api = fakeGitHostApi({
      getContents: jest.fn(async () => ({
        type: 'file' as const,
        name: 'dump.sql',
        path: 'dump.sql',
        sha: 'e5',
        size: 5 * 1024 * 1024,
        too_large: true,
      })),
    });
    await renderAt('/repositories/payments/shop/src/main/dump.sql', api);

    expect(
      await screen.findByText(
        'dump.sql is too large to show here (5.0 MB). Clone the repository to read it.',
      ),
    ).toBeInTheDocument();
  });

  it('switches branch with the branch selector, keeping the path', async () => {
    const api = await renderAt('/repositories/payments/shop/src/main/src');
    await files();

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Branch' }),
      'feature/receipts',
    );

    await waitFor(() =>
      expect(api.getContents).toHaveBeenLastCalledWith(shop, {
        ref: 'feature/receipts',
        path: 'src',
      }),
    );
    expect(screen.getByRole('combobox', { name: 'Branch' })).toHaveValue(
      'feature/receipts',
    );
  });

  it('reads a link that spells out the slashes of a branch name', async () => {
    const api = await renderAt(
      '/repositories/payments/shop/src/feature/receipts/src',
    );

    await files();
    expect(api.getContents).toHaveBeenCalledWith(shop, {
      ref: 'feature/receipts',
      path: 'src',
    });
    expect(screen.getByRole('combobox', { name: 'Branch' })).toHaveValue(
      'feature/receipts',
    );
  });

  it('says when a path is not on the branch', async () => {
    await renderAt('/repositories/payments/shop/src/main/gone.txt');

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'There is no gone.txt on main',
    );
  });

  it('tells how to push the first commit to an empty repository', async () => {
    const api = await renderAt('/repositories/payments/empty');

    expect(
      await screen.findByText(
        'This repository has no commits yet — push with: git push http://localhost:7007/api/git-host/payments/empty.git main',
      ),
    ).toBeInTheDocument();
    expect(api.getContents).not.toHaveBeenCalled();
  });

  it('says when there is no such repository', async () => {
    await renderAt(
      '/repositories/payments/nope',
      fakeGitHostApi({
        getRepository: jest.fn(async () => {
          throw await responseError(404, 'NotFoundError', 'No payments/nope');
        }),
      }),
    );

    expect(
      await screen.findByText('There is no repository payments/nope'),
    ).toBeInTheDocument();
  });

  it('lists the recent commits of the selected branch', async () => {
    const api = await renderAt('/repositories/payments/shop/commits');

    const list = await screen.findByRole('list', { name: 'Commits on main' });
    const first = within(list).getAllByRole('listitem')[0];
    expect(first).toHaveTextContent('Add refunds');
    expect(first).not.toHaveTextContent('With a test.');
    expect(first).toHaveTextContent('Alice committed 3 hours ago');
    expect(first).toHaveTextContent('0123456');
    expect(api.listCommits).toHaveBeenCalledWith(shopLocator, {
      ref: 'main',
      limit: 30,
      page: 1,
    });

    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Branch' }),
      'feature/receipts',
    );
    expect(
      await screen.findByRole('list', { name: 'Commits on feature/receipts' }),
    ).toBeInTheDocument();
    expect(api.listCommits).toHaveBeenLastCalledWith(shopLocator, {
      ref: 'feature/receipts',
      limit: 30,
      page: 1,
    });
  });

  it('lists the branches, the default one first', async () => {
    await renderAt('/repositories/payments/shop/branches');

    const table = await screen.findByRole('table', { name: 'Branches' });
    const [, main, feature] = within(table).getAllByRole('row');
    expect(main).toHaveTextContent('maindefault');
    expect(
      within(feature).getByRole('link', { name: 'feature/receipts' }),
    ).toHaveAttribute(
      'href',
      '/repositories/payments/shop/src/feature%2Freceipts',
    );
    expect(feature).toHaveTextContent('Send receipts');
  });
});

describe('change requests of a repository', () => {
  it('lists open and closed change requests', async () => {
    await renderAt('/repositories/payments/shop/pulls');

    const open = await screen.findByRole('list', {
      name: 'Open change requests',
    });
    const link = within(open).getByRole('link', { name: 'Send receipts' });
    expect(link).toHaveAttribute('href', '/repositories/payments/shop/pulls/3');
    expect(open).toHaveTextContent('#3 · feature/receipts → main');

    const closed = screen.getByRole('list', { name: 'Closed change requests' });
    expect(within(closed).getByText('Add refunds')).toBeInTheDocument();
    expect(within(closed).getByText('Merged')).toBeInTheDocument();
  });

  it('says there are none, and how to make one', async () => {
    await renderAt(
      '/repositories/payments/shop/pulls',
      fakeGitHostApi({ listChangeRequests: jest.fn(async () => []) }),
    );

    expect(await screen.findByText('No change requests')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'New change request' }),
    ).toBeInTheDocument();
  });

  it('opens a new change request from another branch and goes to it', async () => {
    const api = await renderAt('/repositories/payments/shop/pulls');

    await userEvent.click(
      await screen.findByRole('button', { name: 'New change request' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'New change request',
    });
    const from = within(dialog).getByRole('combobox', { name: 'From branch' });
    expect(
      within(from)
        .getAllByRole('option')
        .map(option => option.textContent),
    ).toEqual(['feature/receipts']);
    expect(
      within(dialog).getByRole('combobox', { name: 'Into branch' }),
    ).toHaveValue('main');

    await userEvent.type(
      within(dialog).getByLabelText(/Title/),
      'Send receipts',
    );
    await userEvent.type(
      within(dialog).getByLabelText(/Description/),
      'After every payment',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open change request' }),
    );

    expect(api.createChangeRequest).toHaveBeenCalledWith(shop, {
      title: 'Send receipts',
      body: 'After every payment',
      head: 'feature/receipts',
      base: 'main',
    });
    await waitFor(() =>
      expect(api.getChangeRequest).toHaveBeenCalledWith(shop, 4),
    );
  });
});
