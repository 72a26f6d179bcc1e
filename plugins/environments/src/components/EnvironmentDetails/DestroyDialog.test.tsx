import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentRun } from '@internal/plugin-environments-common';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeEnvironmentsApi,
  responseError,
} from '../../__testUtils__/fakeEnvironmentsApi';
import { EnvironmentDetailsPage } from './EnvironmentDetailsPage';

const preview: EnvironmentRun = {
  id: 'run-preview',
  environmentId: 'env-1',
  kind: 'plan-destroy',
  status: 'queued',
  requestedBy: 'user:default/alice',
  createdAt: new Date().toISOString(),
};

const finishedPreview: EnvironmentRun = {
  ...preview,
  status: 'succeeded',
  finishedAt: new Date().toISOString(),
  plan: {
    add: 0,
    change: 0,
    remove: 2,
    changes: [
      { address: 'module.postgres.docker_container.db', action: 'delete' },
      { address: 'module.redis.docker_container.cache', action: 'delete' },
    ],
  },
};

const line = (seq: number, message: string) => ({
  seq,
  at: new Date().toISOString(),
  level: 'info' as const,
  message,
});

async function openDestroyDialog(api: EnvironmentsApi) {
  await act(async () => {
    await renderInTestApp(<EnvironmentDetailsPage />, {
      apis: [[environmentsApiRef, api]],
      mountPath: '/environments/:id',
      initialRouteEntries: ['/environments/env-1'],
      mountedRoutes: {
        '/environments': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
  await userEvent.click(await screen.findByRole('button', { name: 'Destroy' }));
  return screen.findByRole('dialog', { name: 'Destroy dev?' });
}

describe('DestroyDialog', () => {
  it('previews the destroy and enables it only once the plan is shown', async () => {
    const api = fakeEnvironmentsApi();
    api.requestRun.mockImplementation(async (_id, kind) =>
      kind === 'plan-destroy'
        ? preview
        : { ...preview, id: 'run-destroy', kind: 'destroy' },
    );
    api.getRunEvents.mockImplementation(async runId =>
      runId === 'run-preview'
        ? { items: [], finished: false }
        : { items: [], finished: true },
    );
    api.getRun.mockResolvedValue(finishedPreview);

    const dialog = await openDestroyDialog(api);
    const confirm = within(dialog).getByRole('button', { name: 'Destroy' });

    await waitFor(() =>
      expect(api.requestRun).toHaveBeenCalledWith('env-1', 'plan-destroy'),
    );
    const log = await within(dialog).findByRole('log', {
      name: 'Log of the destroy preview',
    });
    expect(
      within(dialog).getByLabelText('Log of the destroy preview is running'),
    ).toBeInTheDocument();
    expect(confirm).toBeDisabled();
    expect(api.getRun).not.toHaveBeenCalled();

    // The preview runs: its log grows, then it finishes.
    api.getRunEvents
      .mockResolvedValueOnce({
        items: [line(1, 'module.postgres.docker_container.db: Refreshing')],
        finished: false,
      })
      .mockResolvedValueOnce({
        items: [line(2, 'Plan: 0 to add, 0 to change, 2 to destroy.')],
        finished: true,
      });
    expect(await within(log).findByText(/Refreshing/)).toBeInTheDocument();
    expect(confirm).toBeDisabled();

    expect(
      await within(dialog).findByText('Destroying removes 2 resources:'),
    ).toBeInTheDocument();
    expect(api.getRun).toHaveBeenCalledWith('run-preview');
    expect(within(dialog).getByText('-2 to remove')).toBeInTheDocument();
    expect(
      within(dialog).getByText('delete module.postgres.docker_container.db'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('delete module.redis.docker_container.cache'),
    ).toBeInTheDocument();
    expect(api.requestRun).not.toHaveBeenCalledWith('env-1', 'destroy');
    // The plan replaces the log, so each address shows once.
    expect(
      within(dialog).getAllByText(/module\.postgres\.docker_container\.db/),
    ).toHaveLength(1);
    await userEvent.click(
      within(dialog).getByRole('button', { name: "Show the preview's log" }),
    );
    expect(
      within(dialog).getByRole('log', { name: 'Log of the destroy preview' }),
    ).toHaveTextContent(/Refreshing.*2 to destroy/);

    await waitFor(() => expect(confirm).toBeEnabled());
    await userEvent.click(confirm);

    expect(api.requestRun).toHaveBeenLastCalledWith('env-1', 'destroy');
    expect(api.requestRun).toHaveBeenCalledTimes(2);
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the destroy disabled when the preview fails', async () => {
    const api = fakeEnvironmentsApi();
    api.requestRun.mockResolvedValue(preview);
    api.getRunEvents.mockResolvedValue({
      items: [line(1, 'Error: state lock held')],
      finished: true,
    });
    api.getRun.mockResolvedValue({
      ...preview,
      status: 'failed',
      error: 'Error acquiring the state lock',
    });

    const dialog = await openDestroyDialog(api);

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The destroy preview failed');
    expect(alert).toHaveTextContent('Error acquiring the state lock');
    expect(
      within(dialog).getByRole('button', { name: 'Destroy' }),
    ).toBeDisabled();
  });

  it('shows a refusal to preview the destroy', async () => {
    const api = fakeEnvironmentsApi();
    api.requestRun.mockRejectedValue(
      await responseError(
        403,
        'NotAllowedError',
        'only group:default/payments or the platform team may destroy dev',
      ),
    );

    const dialog = await openDestroyDialog(api);

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The destroy preview could not be started');
    expect(alert).toHaveTextContent(
      'Not allowed: only group:default/payments or the platform team may destroy dev',
    );
    expect(
      within(dialog).getByRole('button', { name: 'Destroy' }),
    ).toBeDisabled();
    expect(api.requestRun).toHaveBeenCalledTimes(1);
  });
});
