import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { PlanSummary } from './PlanSummary';

describe('PlanSummary', () => {
  it('marks what would be destroyed and created again, and warns in red before a database is', async () => {
    await renderInTestApp(
      <PlanSummary
        plan={{
          add: 1,
          change: 0,
          remove: 1,
          changes: [
            {
              address: 'module.mariadb.terraform_data.database',
              action: 'replace',
            },
            {
              address: 'module.redis.terraform_data.acl_user',
              action: 'update',
            },
          ],
        }}
      />,
    );
    expect(
      screen.getByText(
        /replace module\.mariadb\.terraform_data\.database \(destroyed and created again\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This would destroy and recreate a database: what it holds is lost.',
    );
  });

  it('gives no warning when nothing is replaced', async () => {
    await renderInTestApp(
      <PlanSummary
        plan={{
          add: 0,
          change: 1,
          remove: 0,
          changes: [
            {
              address: 'module.mariadb.terraform_data.user_settings',
              action: 'update',
            },
          ],
        }}
      />,
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.queryByText(/destroyed and created again/)).toBeNull();
  });
});
