import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Typography } from '@material-ui/core';
import { Environment } from '@internal/plugin-environments-common';
import { useNavigate } from 'react-router-dom';
import { environmentRouteRef } from '../../routes';
import {
  DriftLabel,
  EntityRefText,
  EnvironmentStatusLabel,
  Expiry,
  RelativeTime,
  RunStatusLabel,
  runKindTitle,
} from '../common';

function LastRun({ environment }: { environment: Environment }) {
  const run = environment.lastRun;
  if (!run) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runs yet
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">{runKindTitle(run.kind)}</Typography>
      <RunStatusLabel status={run.status} />{' '}
      <Typography variant="caption" color="textSecondary">
        <RelativeTime date={run.finishedAt ?? run.startedAt ?? run.createdAt} />
      </Typography>
    </>
  );
}

const byDate =
  (field: 'createdAt' | 'expiresAt') => (a: Environment, b: Environment) =>
    a[field].localeCompare(b[field]);

/** Environments in a table; a row leads to the environment's page. */
export function EnvironmentsTable({
  environments,
  emptyContent,
  showService = true,
}: {
  environments: Environment[];
  emptyContent?: JSX.Element;
  /** Off on a service's own tab, where every row has the same one. */
  showService?: boolean;
}) {
  const environmentLink = useRouteRef(environmentRouteRef);
  const navigate = useNavigate();
  const linkTo = (environment: Environment) =>
    environmentLink?.({ id: environment.id }) ?? '';

  const columns: TableColumn<Environment>[] = [
    {
      title: 'Name',
      field: 'name',
      highlight: true,
      render: environment => (
        <Link to={linkTo(environment)}>{environment.name}</Link>
      ),
    },
    {
      title: 'Service',
      field: 'service',
      hidden: !showService,
      render: environment => <EntityRefText entityRef={environment.service} />,
    },
    {
      title: 'Owner',
      field: 'owner',
      render: environment => <EntityRefText entityRef={environment.owner} />,
    },
    {
      title: 'Status',
      field: 'status',
      render: environment => (
        <EnvironmentStatusLabel status={environment.status} />
      ),
    },
    {
      title: 'Drift',
      field: 'drift',
      render: environment => <DriftLabel drift={environment.drift} />,
    },
    {
      title: 'A month',
      field: 'monthlyCost',
      render: environment =>
        environment.monthlyCost === undefined ||
        environment.status === 'destroyed'
          ? '—'
          : environment.monthlyCost.toFixed(2),
    },
    {
      title: 'Age',
      field: 'createdAt',
      customSort: byDate('createdAt'),
      render: environment => <RelativeTime date={environment.createdAt} />,
    },
    {
      title: 'Expiry',
      field: 'expiresAt',
      customSort: byDate('expiresAt'),
      render: environment =>
        environment.status === 'destroyed' ? (
          '—'
        ) : (
          <Expiry expiresAt={environment.expiresAt} />
        ),
    },
    {
      title: 'Last run',
      field: 'lastRun.createdAt',
      sorting: false,
      render: environment => <LastRun environment={environment} />,
    },
  ];

  return (
    <Table<Environment>
      columns={columns}
      data={environments}
      onRowClick={(event, environment) => {
        // A click on a link in the row (service, owner) goes where it points.
        const target = event?.target as HTMLElement | undefined;
        if (environment && !target?.closest('a')) {
          navigate(linkTo(environment));
        }
      }}
      emptyContent={emptyContent}
      options={{
        paging: environments.length > 20,
        pageSize: 20,
        padding: 'dense',
        search: true,
      }}
    />
  );
}
