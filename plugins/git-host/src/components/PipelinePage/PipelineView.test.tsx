import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { GitHostApi, gitHostApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  failedPipeline,
  fakeGitHostApi,
  invalidPipeline,
  jobLogPage,
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
const jobRow = (name: string) =>
  screen.getByRole('link', { name }).closest('[data-testid="job-row"]')!;

describe('PipelineView', () => {
  it('shows the jobs by stage, with their status, and follows the running job’s log', async () => {
    // The running job writes one more line, then finishes.
    const api = fakeGitHostApi({
      getJobLog: jest.fn(async (_repository, number, name, options) => {
        const page = jobLogPage(number, name, options?.after);
        if (name !== 'unit-tests' || !options?.after) return page;
        return {
          job: { ...page.job, status: 'success' as const },
          chunks: [{ seq: 3, text: 'Tests: 12 passed\n' }],
        };
      }),
    });
    await renderAt('/repositories/payments/shop/pipelines/12', api);

    expect(
      await screen.findByRole('heading', { name: 'Pipeline #12' }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('pipeline-status')[0]).toHaveTextContent(
      'running',
    );
    expect(screen.getByTestId('pipeline-commit')).toHaveTextContent('01234567');
    expect(screen.getByText(/pushed by/)).toHaveTextContent('main at commit');
    expect(screen.getByRole('link', { name: 'Pipelines' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    const stages = screen
      .getAllByRole('list', { name: /^Stage / })
      .map(list => [
        list.getAttribute('aria-label'),
        within(list)
          .getAllByTestId('job-row')
          .map(row => within(row).getByRole('link').textContent),
      ]);
    expect(stages).toEqual([
      ['Stage build', ['build']],
      ['Stage test', ['unit-tests']],
      ['Stage deploy', ['deploy-dev', 'deploy-prod']],
    ]);
    expect(jobRow('build')).toHaveTextContent('success');
    expect(jobRow('build')).toHaveTextContent('1m 05s');
    expect(jobRow('deploy-dev')).toHaveTextContent('created');
    expect(jobRow('deploy-dev')).toHaveTextContent('deploys to dev');
    expect(jobRow('deploy-prod')).toHaveTextContent('manual');

    // The running job's log is open, and grows until the job finishes.
    expect(jobRow('unit-tests')).toHaveAttribute('aria-current', 'true');
    const log = await screen.findByRole('log', { name: 'Log of unit-tests' });
    await waitFor(() =>
      expect(log).toHaveTextContent(
        '$ yarn test PASS src/pay.test.ts Tests: 12 passed',
      ),
    );
    expect(api.getJobLog).toHaveBeenCalledWith(shopLocator, 12, 'unit-tests', {
      after: undefined,
    });
    expect(api.getJobLog).toHaveBeenLastCalledWith(
      shopLocator,
      12,
      'unit-tests',
      { after: 2 },
    );
    expect(log.textContent).toBe(
      '$ yarn test\nPASS src/pay.test.ts\nTests: 12 passed\n',
    );
  });

  it('opens the log of the job clicked, and says when it was cut off', async () => {
    await renderAt('/repositories/payments/shop/pipelines/11');

    expect(
      await screen.findByRole('heading', { name: 'Pipeline #11' }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('pipeline-status')[0]).toHaveTextContent(
      'failed',
    );
    expect(
      screen.getByRole('link', { name: 'change request #3' }),
    ).toHaveAttribute('href', '/repositories/payments/shop/pulls/3');
    // The failed job is open first.
    const log = await screen.findByRole('log', { name: 'Log of lint' });
    await waitFor(() =>
      expect(log).toHaveTextContent('error token=[MASKED] is unused'),
    );
    expect(screen.getByText(/exit code 1/)).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent(
      'Log truncated: the job wrote more than the portal keeps, so only the first 2.0 MB are shown.',
    );

    await userEvent.click(screen.getByRole('link', { name: 'deploy-dev' }));
    expect(
      await screen.findByRole('log', { name: 'Log of deploy-dev' }),
    ).toHaveTextContent('This job was skipped');
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('shows why the pipeline file could not run', async () => {
    await renderAt('/repositories/payments/shop/pipelines/10');

    expect(await screen.findByText(invalidPipeline.error!)).toBeInTheDocument();
    expect(
      screen.getByText('The pipeline file could not be run'),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('pipeline-status')[0]).toHaveTextContent(
      'invalid',
    );
  });

  it('cancels a running pipeline and starts a manual job', async () => {
    const api = await renderAt('/repositories/payments/shop/pipelines/12');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    expect(api.cancelPipeline).toHaveBeenCalledWith(shop, 12);

    await userEvent.click(
      screen.getByRole('button', { name: 'Start deploy-prod' }),
    );
    expect(api.playJob).toHaveBeenCalledWith(shop, 12, 'deploy-prod');
    expect(screen.queryByRole('button', { name: 'Re-run' })).toBeNull();
  });

  it('re-runs a finished pipeline and goes to the new one', async () => {
    const api = await renderAt('/repositories/payments/shop/pipelines/11');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-run' }),
    );

    expect(api.rerunPipeline).toHaveBeenCalledWith(shop, 11);
    await waitFor(() =>
      expect(api.getPipeline).toHaveBeenLastCalledWith(shopLocator, 13),
    );
  });

  it('shows the backend’s reason when an action is refused', async () => {
    const api = fakeGitHostApi({
      cancelPipeline: jest.fn(async () => {
        throw await responseError(
          409,
          'ConflictError',
          'The pipeline runner is off on this portal (gitHost.pipelines.runner)',
        );
      }),
    });
    await renderAt('/repositories/payments/shop/pipelines/12', api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The pipeline was not canceled');
    expect(alert).toHaveTextContent(
      'The pipeline runner is off on this portal',
    );
  });

  it('disables the buttons, and says why, for those who may not push', async () => {
    const api = fakeGitHostApi({
      getRepository: jest.fn(async () => ({
        ...shop,
        permissions: { read: true, write: false, admin: false },
      })),
    });
    await renderAt('/repositories/payments/shop/pipelines/12', api);

    const cancel = await screen.findByRole('button', { name: 'Cancel' });
    expect(cancel).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Start deploy-prod' }),
    ).toBeDisabled();

    await userEvent.hover(cancel.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Only the owners of payments/shop (group:default/payments) and the platform team may cancel, re-run or start',
    );
    await userEvent.click(cancel.parentElement!);
    expect(api.cancelPipeline).not.toHaveBeenCalled();
  });

  it('disables the buttons where the portal runs no pipelines', async () => {
    const api = fakeGitHostApi({
      getPipeline: jest.fn(async () => ({ ...failedPipeline, runner: false })),
    });
    await renderAt('/repositories/payments/shop/pipelines/11', api);

    expect(
      await screen.findByRole('button', { name: 'Re-run' }),
    ).toBeDisabled();
  });

  it('says when there is no such pipeline', async () => {
    await renderAt('/repositories/payments/shop/pipelines/99');

    expect(
      await screen.findByText('There is no pipeline #99 in payments/shop'),
    ).toBeInTheDocument();
  });
});

describe('the Pipelines tab', () => {
  it('lists the pipelines newest first, each leading to its page', async () => {
    await renderAt('/repositories/payments/shop/pipelines');

    const table = await screen.findByRole('table', {
      name: 'Pipelines of payments/shop',
    });
    const rows = within(table).getAllByTestId('pipeline-row');
    expect(
      rows.map(row => within(row).getByTestId('pipeline-status').textContent),
    ).toEqual(['running', 'failed', 'invalid']);
    expect(within(rows[0]).getByRole('link', { name: '#12' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop/pipelines/12',
    );
    expect(rows[0]).toHaveTextContent('01234567');
    expect(within(rows[1]).getByRole('link', { name: 'lint' })).toHaveAttribute(
      'href',
      '/repositories/payments/shop/pipelines/11?job=lint',
    );
    expect(rows[2]).toHaveTextContent(invalidPipeline.error!);
  });

  it('says how to get a first pipeline', async () => {
    await renderAt(
      '/repositories/payments/shop/pipelines',
      fakeGitHostApi({
        listPipelines: jest.fn(async () => ({ runner: true, items: [] })),
      }),
    );

    expect(
      await screen.findByText('No pipeline yet: push a .gitlab-ci.yml'),
    ).toBeInTheDocument();
  });

  it('says where pipelines run when the portal runs none', async () => {
    await renderAt(
      '/repositories/payments/shop/pipelines',
      fakeGitHostApi({
        listPipelines: jest.fn(async () => ({ runner: false, items: [] })),
      }),
    );

    expect(
      await screen.findByText(
        'Pipelines run in your own CI on this portal; deployments are reported to /api/deployments/report',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No pipeline yet: push a .gitlab-ci.yml'),
    ).not.toBeInTheDocument();
  });
});
