import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  destroyedEnvironment,
  devEnvironment,
  fakeEnvironmentsApi,
  planRun,
  responseError,
} from '../../__testUtils__/fakeEnvironmentsApi';
import { EnvironmentDetailsPage } from './EnvironmentDetailsPage';

async function renderPage(api: EnvironmentsApi, id = 'env-1') {
  await act(async () => {
    await renderInTestApp(<EnvironmentDetailsPage />, {
      apis: [[environmentsApiRef, api]],
      mountPath: '/environments/:id',
      initialRouteEntries: [`/environments/${id}`],
      mountedRoutes: {
        '/environments': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
}

const outputRow = (name: string) =>
  screen.getByRole('cell', { name }).closest('tr')!;

describe('EnvironmentDetailsPage', () => {
  it('shows the facts of the environment', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);

    expect(
      await screen.findByRole('heading', { name: 'dev of payments-api' }),
    ).toBeInTheDocument();
    expect(api.getEnvironment).toHaveBeenCalledWith('env-1');
    const facts = screen.getByText('Service').closest('dl')!;
    expect(
      within(facts).getByRole('link', { name: 'payments-api' }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(facts).getByText('ready')).toBeInTheDocument();
    expect(within(facts).getByText('in sync')).toBeInTheDocument();
    expect(within(facts).getByText('small')).toBeInTheDocument();
    expect(within(facts).getByText('postgres, redis')).toBeInTheDocument();
    expect(within(facts).getByText('in 3 days')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '← All environments' }),
    ).toHaveAttribute('href', '/environments');
  });

  it('masks sensitive outputs until they are revealed', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Outputs' });

    expect(outputRow('postgres_host')).toHaveTextContent('payments-api-dev-db');
    expect(outputRow('postgres_port')).toHaveTextContent('5432');
    expect(outputRow('postgres_password')).toHaveTextContent('••••••');
    expect(screen.queryByText('s3cr3t-pw')).not.toBeInTheDocument();
    expect(api.getSecrets).not.toHaveBeenCalled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Reveal postgres_password' }),
    );

    expect(await screen.findByText('s3cr3t-pw')).toBeInTheDocument();
    expect(api.getSecrets).toHaveBeenCalledWith('env-1');

    await userEvent.click(
      screen.getByRole('button', { name: 'Hide postgres_password' }),
    );
    expect(screen.queryByText('s3cr3t-pw')).not.toBeInTheDocument();
    expect(outputRow('postgres_password')).toHaveTextContent('••••••');
  });

  it('says why secrets cannot be revealed to someone outside the owning group', async () => {
    const error = await responseError(
      403,
      'NotAllowedError',
      'user:default/eve is not in group:default/payments',
    );
    await renderPage(
      fakeEnvironmentsApi({ getSecrets: jest.fn().mockRejectedValue(error) }),
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Reveal postgres_password' }),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The secrets could not be revealed');
    expect(alert).toHaveTextContent(
      'Not allowed: user:default/eve is not in group:default/payments. Only members of the group that owns the environment, and the platform team, can reveal its secrets.',
    );
    expect(outputRow('postgres_password')).toHaveTextContent('••••••');
  });

  it('lists runs with their plans, the newest open with its log', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);

    const log = await screen.findByRole('log', { name: 'Log of the Plan' });
    expect(
      await within(log).findByText(/terraform plan for run-2/),
    ).toBeVisible();
    expect(
      screen.getByText('Reason: checking a module upgrade', { exact: false }),
    ).toBeInTheDocument();
    expect(screen.getByText('~1 to change')).toBeInTheDocument();
    expect(
      screen.getByText('update module.redis.docker_container.cache'),
    ).toBeInTheDocument();
    // The older apply is closed: no log fetched, no plan shown.
    expect(api.getRunEvents).toHaveBeenCalledTimes(1);
    expect(api.getRunEvents).toHaveBeenCalledWith('run-2', undefined);
    expect(
      screen.queryByRole('log', { name: 'Log of the Apply' }),
    ).not.toBeInTheDocument();

    await userEvent.click(screen.getByText('+3 ~0 -0'));

    expect(
      await screen.findByRole('log', { name: 'Log of the Apply' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('create module.postgres.random_password.db'),
    ).toBeInTheDocument();
    expect(api.getRunEvents).toHaveBeenCalledWith('run-1', undefined);
  });

  it('follows the log of an unfinished run', async () => {
    const line = (seq: number, message: string) => ({
      seq,
      at: new Date().toISOString(),
      level: 'info' as const,
      message,
    });
    const getRunEvents = jest
      .fn()
      .mockResolvedValueOnce({
        items: [line(1, 'Initializing'), line(2, 'Planning')],
        finished: false,
      })
      .mockResolvedValueOnce({
        items: [line(3, 'Plan: 0 to add')],
        finished: true,
      });
    await renderPage(fakeEnvironmentsApi({ getRunEvents }));

    const log = await screen.findByRole('log', { name: 'Log of the Plan' });
    expect(await within(log).findByText(/Planning/)).toBeInTheDocument();
    expect(
      screen.getByLabelText('Log of the Plan is running'),
    ).toBeInTheDocument();

    expect(await within(log).findByText(/Plan: 0 to add/)).toBeInTheDocument();
    expect(getRunEvents).toHaveBeenLastCalledWith('run-2', 2);
    expect(within(log).getByText(/Initializing/)).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Log of the Plan is running'),
    ).not.toBeInTheDocument();
    expect(getRunEvents).toHaveBeenCalledTimes(2);
  });

  it('re-plans and applies, and shows a refusal inline', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Re-plan' }),
    );
    expect(api.requestRun).toHaveBeenCalledWith('env-1', 'plan');
    await waitFor(() => expect(api.getEnvironment).toHaveBeenCalledTimes(2));

    api.requestRun.mockRejectedValueOnce(
      await responseError(
        403,
        'NotAllowedError',
        'only group:default/payments or the platform team may apply',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));

    expect(api.requestRun).toHaveBeenLastCalledWith('env-1', 'apply');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The apply was not started');
    expect(alert).toHaveTextContent(
      'Not allowed: only group:default/payments or the platform team may apply',
    );
  });

  it('waits while a run is active, refreshing until it is done', async () => {
    const queued = { ...planRun, id: 'run-3', status: 'queued' as const };
    const api = fakeEnvironmentsApi({
      getEnvironment: jest
        .fn()
        .mockResolvedValueOnce({ ...devEnvironment, lastRun: queued })
        .mockResolvedValue(devEnvironment),
      listRuns: jest
        .fn()
        .mockResolvedValueOnce([queued, planRun])
        .mockResolvedValue([planRun]),
    });
    await renderPage(api);

    for (const name of ['Re-plan', 'Apply', 'Extend', 'Destroy']) {
      expect(await screen.findByRole('button', { name })).toBeDisabled();
    }

    await waitFor(() => expect(api.getEnvironment).toHaveBeenCalledTimes(2));
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Apply' })).toBeEnabled(),
    );
  });

  it('offers nothing to do with a destroyed environment', async () => {
    await renderPage(
      fakeEnvironmentsApi({
        getEnvironment: jest.fn(async () => destroyedEnvironment),
      }),
      'env-3',
    );

    for (const name of ['Re-plan', 'Apply', 'Extend', 'Destroy']) {
      expect(await screen.findByRole('button', { name })).toBeDisabled();
    }
    expect(screen.getByText('Destroyed').nextSibling).toHaveTextContent(
      '5 hours ago by system:ttl-sweeper',
    );
  });

  it('offers only to resume a destroy that was interrupted', async () => {
    await renderPage(
      fakeEnvironmentsApi({
        getEnvironment: jest.fn(async () => ({
          ...devEnvironment,
          status: 'destroy-interrupted' as const,
        })),
      }),
    );

    expect(
      await screen.findByRole('button', { name: 'Resume destroy' }),
    ).toBeEnabled();
    for (const name of ['Re-plan', 'Apply', 'Extend']) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(
      screen.getByText(/Resume the destroy to finish/),
    ).toBeInTheDocument();
  });

  it('extends the environment by the hours asked for, at most the maximum', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Extend' }),
    );
    const dialog = await screen.findByRole('dialog');
    const hours = await within(dialog).findByLabelText('Hours');
    expect(hours).toHaveValue(72);
    expect(dialog).toHaveTextContent('(at most 168)');

    await userEvent.clear(hours);
    await userEvent.type(hours, '200');
    expect(
      within(dialog).getByText('Between 1 and 168 whole hours'),
    ).toBeVisible();
    expect(
      within(dialog).getByRole('button', { name: 'Extend' }),
    ).toBeDisabled();

    await userEvent.clear(hours);
    await userEvent.type(hours, '48');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Extend' }),
    );

    expect(api.extendEnvironment).toHaveBeenCalledWith('env-1', 48);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('shows why the environment could not be loaded', async () => {
    await renderPage(
      fakeEnvironmentsApi({
        getEnvironment: jest.fn(async () => {
          throw new Error('No environment with id env-9');
        }),
      }),
      'env-9',
    );

    expect(
      await screen.findByText('Error: No environment with id env-9', {
        selector: 'h6',
      }),
    ).toBeVisible();
  });
});
