import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  fakeEnvironmentsApi,
  responseError,
} from '../../__testUtils__/fakeEnvironmentsApi';
import { AuditPage } from './AuditPage';

async function renderPage(api: EnvironmentsApi) {
  await act(async () => {
    await renderInTestApp(<AuditPage />, {
      apis: [[environmentsApiRef, api]],
      mountPath: '/environments/audit',
      initialRouteEntries: ['/environments/audit'],
      mountedRoutes: {
        '/environments': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
  });
}

describe('AuditPage', () => {
  it('lists who did what, and filters by user', async () => {
    const api = fakeEnvironmentsApi();
    await renderPage(api);
    expect(await screen.findByText('run-approve')).toBeInTheDocument();
    expect(screen.getByText('succeeded')).toBeInTheDocument();
    expect(screen.getByText('dev of payments-api')).toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText('User'),
      'user:default/bob{enter}',
    );
    await waitFor(() =>
      expect(api.listAudit).toHaveBeenLastCalledWith(
        expect.objectContaining({ actor: 'user:default/bob', limit: 100 }),
      ),
    );
  });

  it('says so when the user is not in the platform team', async () => {
    await renderPage(
      fakeEnvironmentsApi({
        listAudit: jest.fn(async () => {
          throw await responseError(
            403,
            'NotAllowedError',
            'Only the platform team may read the audit trail',
          );
        }),
      }),
    );
    // The error panel shows the backend's message (and its response body).
    expect(
      (
        await screen.findAllByText(
          /Only the platform team may read the audit trail/,
        )
      )[0],
    ).toBeInTheDocument();
  });
});
