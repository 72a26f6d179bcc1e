import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { identityApiRef } from '@backstage/frontend-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EnvironmentsApi, environmentsApiRef } from '../../api';
import {
  fakeEnvironmentsApi,
  responseError,
  waitingRun,
} from '../../__testUtils__/fakeEnvironmentsApi';
import { ApprovalPanel } from './ApprovalPanel';

async function renderPanel(
  api: EnvironmentsApi,
  user: string,
  groups: string[],
  onDecided = jest.fn(),
) {
  await act(async () => {
    await renderInTestApp(
      <ApprovalPanel run={waitingRun} onDecided={onDecided} />,
      {
        apis: [
          [environmentsApiRef, api],
          [
            identityApiRef,
            mockApis.identity({
              userEntityRef: user,
              ownershipEntityRefs: [user, ...groups],
            }),
          ],
        ],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
  });
  return onDecided;
}

describe('ApprovalPanel', () => {
  it('shows the plan, its cost change and the policy results', async () => {
    await renderPanel(fakeEnvironmentsApi(), 'user:default/aisha', [
      'group:default/payments',
    ]);
    expect(
      await screen.findByText('Apply waits for approval'),
    ).toBeInTheDocument();
    expect(screen.getByText('+1 to add')).toBeInTheDocument();
    expect(screen.getByTestId('cost-change')).toHaveTextContent(
      "Monthly cost: 0.00 USD → 15.00 USD (+15.00 USD a month). The team's environments come to 315.00 USD a month of its budget of 300.00 USD (over budget).",
    );
    expect(screen.getByText('Policies: 1 of 2 passed')).toBeInTheDocument();
    expect(
      screen.getByText('The team is over its budget.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Needs 1 approval\(s\)/)).toBeInTheDocument();
  });

  it('lets a member of the owning group approve exactly the plan shown', async () => {
    const api = fakeEnvironmentsApi();
    const onDecided = await renderPanel(api, 'user:default/aisha', [
      'group:default/payments',
    ]);
    const approve = await screen.findByRole('button', {
      name: 'Approve this plan',
    });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.type(
      screen.getByLabelText(/Comment, or the reason/),
      'looks right',
    );
    await userEvent.click(approve);
    await waitFor(() => expect(onDecided).toHaveBeenCalled());
    expect(api.approveRun).toHaveBeenCalledWith(
      'run-7',
      'ab'.repeat(32),
      'looks right',
    );
  });

  it('does not offer the requester their own approval, and says why', async () => {
    await renderPanel(fakeEnvironmentsApi(), 'user:default/alice', [
      'group:default/payments',
    ]);
    expect(
      await screen.findByText(
        /You asked for this, so someone else must approve it/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Approve this plan' }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Withdraw' }),
    ).toBeInTheDocument();
  });

  it("shows the backend's refusal, e.g. for a plan a re-plan replaced", async () => {
    const api = fakeEnvironmentsApi({
      approveRun: jest.fn(async () => {
        throw await responseError(
          409,
          'ConflictError',
          'This plan was replaced (replaced by a new apply); a newer plan waits instead, approve that one',
        );
      }),
    });
    const onDecided = await renderPanel(api, 'user:default/pat', [
      'group:default/platform',
    ]);
    const approve = await screen.findByRole('button', {
      name: 'Approve this plan',
    });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    expect(
      await screen.findByText(/This plan was replaced/),
    ).toBeInTheDocument();
    expect(onDecided).not.toHaveBeenCalled();
  });

  it('rejects only with a reason', async () => {
    const api = fakeEnvironmentsApi();
    await renderPanel(api, 'user:default/aisha', ['group:default/payments']);
    const reject = await screen.findByRole('button', { name: 'Reject' });
    expect(reject).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText(/Comment, or the reason/),
      'Not during the freeze',
    );
    await userEvent.click(reject);
    await waitFor(() =>
      expect(api.rejectRun).toHaveBeenCalledWith(
        'run-7',
        'Not during the freeze',
      ),
    );
  });
});
