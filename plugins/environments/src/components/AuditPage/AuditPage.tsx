import {
  Content,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { AuditEntry } from '@internal/plugin-environments-common';
import { Header } from '@backstage/ui';
import { Button, makeStyles, TextField } from '@material-ui/core';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { AuditFilter, environmentsApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { EntityRefText, RelativeTime } from '../common';

const PAGE = 100;

const useStyles = makeStyles(theme => ({
  filters: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(2, 0),
  },
  outcome: { fontWeight: 600 },
}));

const FILTERS = [
  ['owner', 'Team', 'group:default/payments'],
  ['environment', 'Environment (id or name)', 'prod'],
  ['actor', 'User', 'user:default/alice'],
] as const;

/**
 * The platform team's audit trail: who did what to which environment, when,
 * and how it ended, from the database. Filters live in the URL.
 */
export function AuditPage() {
  const classes = useStyles();
  const environmentsApi = useApi(environmentsApiRef);
  const environmentsLink = useRouteRef(rootRouteRef);
  const [params, setParams] = useSearchParams();
  const filter: AuditFilter = Object.fromEntries(
    FILTERS.map(([key]) => [key, params.get(key) ?? undefined]),
  );
  const [before, setBefore] = useState<number[]>([]);
  const page = before[before.length - 1];
  const entries = useAsync(
    () => environmentsApi.listAudit({ ...filter, before: page, limit: PAGE }),
    [environmentsApi, params.toString(), page],
  );

  const columns: TableColumn<AuditEntry>[] = [
    { title: 'When', field: 'at', render: e => <RelativeTime date={e.at} /> },
    {
      title: 'Who',
      field: 'actor',
      render: e => <EntityRefText entityRef={e.actor} />,
    },
    { title: 'Action', field: 'action' },
    {
      title: 'Outcome',
      field: 'outcome',
      render: e => <span className={classes.outcome}>{e.outcome}</span>,
    },
    {
      title: 'Environment',
      field: 'environment',
      render: e =>
        e.environmentId ? (
          <Link to={`../${e.environmentId}`}>
            {e.environment} of {e.service?.split('/').pop()}
          </Link>
        ) : (
          e.environment ?? '—'
        ),
    },
    {
      title: 'Team',
      field: 'owner',
      render: e => (e.owner ? <EntityRefText entityRef={e.owner} /> : '—'),
    },
    { title: 'Detail', field: 'detail' },
  ];

  let body;
  if (entries.error) {
    body = <ResponseErrorPanel error={entries.error} />;
  } else if (!entries.value) {
    body = <Progress />;
  } else {
    body = (
      <>
        <Table<AuditEntry>
          title={`${entries.value.length} entr${
            entries.value.length === 1 ? 'y' : 'ies'
          }${page ? ' (older)' : ''}`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={columns}
          data={entries.value}
        />
        <div className={classes.filters}>
          <Button
            disabled={before.length === 0}
            onClick={() => setBefore(b => b.slice(0, -1))}
          >
            Newer
          </Button>
          <Button
            disabled={entries.value.length < PAGE}
            onClick={() =>
              setBefore(b => [
                ...b,
                entries.value![entries.value!.length - 1].id,
              ])
            }
          >
            Older
          </Button>
        </div>
      </>
    );
  }

  return (
    <>
      <Header
        title="Environments audit trail"
        description="Who asked for, approved, rejected, overrode, extended or read the credentials of which environment, and how each run ended. For the platform team."
      />
      <Content>
        {environmentsLink && (
          <Link to={environmentsLink()}>← All environments</Link>
        )}
        <div className={classes.filters}>
          {FILTERS.map(([key, label, example]) => (
            <TextField
              key={key}
              id={`audit-filter-${key}`}
              label={label}
              placeholder={example}
              size="small"
              variant="outlined"
              defaultValue={params.get(key) ?? ''}
              onKeyDown={event => {
                if (event.key !== 'Enter') return;
                const value = (event.target as HTMLInputElement).value.trim();
                setBefore([]);
                setParams(
                  current => {
                    const next = new URLSearchParams(current);
                    if (value) next.set(key, value);
                    else next.delete(key);
                    return next;
                  },
                  { replace: true },
                );
              }}
              helperText="Enter to filter"
            />
          ))}
        </div>
        {body}
      </Content>
    </>
  );
}
