import { InfoCard, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { TeamCost } from '@internal/plugin-environments-common';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { EntityRefText, ErrorAlert } from '../common';

const money = (n: number, currency: string) => `${n.toFixed(2)} ${currency}`;

const columns: TableColumn<TeamCost>[] = [
  {
    title: 'Team',
    field: 'owner',
    render: c => <EntityRefText entityRef={c.owner} />,
  },
  {
    title: 'Live environments, a month',
    field: 'monthly',
    render: c => money(c.monthly, c.currency),
  },
  {
    title: 'This month so far',
    field: 'monthSoFar',
    render: c => money(c.monthSoFar, c.currency),
  },
  {
    title: 'Projected for the month',
    field: 'projected',
    render: c => (
      <>
        {money(c.projected, c.currency)}
        {c.budget !== undefined && c.projected > c.budget && (
          <strong> (over budget)</strong>
        )}
      </>
    ),
  },
  {
    title: 'Budget',
    field: 'budget',
    render: c => (c.budget === undefined ? '—' : money(c.budget, c.currency)),
  },
];

/**
 * What each team's environments cost this calendar month (UTC), from the
 * platform's price table: so far, and projected if each live environment
 * runs until it expires.
 */
export function TeamCosts({ owner }: { owner?: string }) {
  const environmentsApi = useApi(environmentsApiRef);
  const costs = useAsync(
    () => environmentsApi.getTeamCosts(owner ? [owner] : []),
    [environmentsApi, owner],
  );
  if (costs.error) {
    return <ErrorAlert title="Costs could not be loaded" error={costs.error} />;
  }
  if (!costs.value?.length) return null;
  return (
    <InfoCard title="Cost by team, this month">
      <Typography variant="body2" color="textSecondary" paragraph>
        From the platform team's price table per module and size; an environment
        counts for the days it lives this month.
      </Typography>
      <Table<TeamCost>
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          toolbar: false,
        }}
        columns={columns}
        data={costs.value}
      />
    </InfoCard>
  );
}
