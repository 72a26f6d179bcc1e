import {
  CopyTextButton,
  EmptyState,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Typography, makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { gitHostApiRef, HostedRepository } from '../../api';
import { relativeTime } from './relativeTime';

const useStyles = makeStyles(theme => ({
  name: { fontWeight: 600 },
  commitMeta: { display: 'block', marginTop: theme.spacing(0.5) },
  sha: { fontFamily: 'monospace' },
  cloneUrl: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  url: { fontFamily: 'monospace', wordBreak: 'break-all' },
}));

function Name({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2" className={classes.name}>
        {repository.name}
      </Typography>
      {repository.description && (
        <Typography variant="caption" color="textSecondary">
          {repository.description}
        </Typography>
      )}
    </>
  );
}

function Owner({ owner }: { owner: string }) {
  let entityRef;
  try {
    entityRef = parseEntityRef(owner);
  } catch {
    return <>{owner}</>;
  }
  return <EntityRefLink entityRef={entityRef} />;
}

function LastCommit({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  const commit = repository.lastCommit;
  if (!commit) {
    return (
      <Typography variant="body2" color="textSecondary">
        No commits yet
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">{commit.message}</Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.commitMeta}
      >
        <span className={classes.sha}>{commit.sha.slice(0, 7)}</span>
        {' · '}
        {commit.author}
        {' · '}
        <time dateTime={commit.date} title={commit.date}>
          {relativeTime(commit.date)}
        </time>
      </Typography>
    </>
  );
}

function CloneUrl({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  return (
    <div className={classes.cloneUrl}>
      <span className={classes.url}>{repository.cloneUrl}</span>
      <CopyTextButton
        text={repository.cloneUrl}
        tooltipText="Clone URL copied"
        aria-label={`Copy the clone URL of ${repository.name}`}
      />
    </div>
  );
}

const columns: TableColumn<HostedRepository>[] = [
  {
    title: 'Name',
    field: 'name',
    highlight: true,
    render: repository => <Name repository={repository} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: repository => <Owner owner={repository.owner} />,
  },
  {
    title: 'Last commit',
    field: 'lastCommit.message',
    customSort: (a, b) =>
      (b.lastCommit?.date ?? '').localeCompare(a.lastCommit?.date ?? ''),
    render: repository => <LastCommit repository={repository} />,
  },
  {
    title: 'Clone URL',
    field: 'cloneUrl',
    sorting: false,
    render: repository => <CloneUrl repository={repository} />,
  },
];

/** Every hosted repository, or why there is none to show. */
export function RepositoriesTable() {
  const gitHostApi = useApi(gitHostApiRef);
  const {
    value: repositories,
    loading,
    error,
  } = useAsync(() => gitHostApi.listRepositories(), [gitHostApi]);

  if (loading) {
    return <Progress />;
  }
  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!repositories?.length) {
    return (
      <EmptyState
        missing="content"
        title="No repositories yet — create one from a golden path on the Create page"
        description="A golden-path template creates the repository, pushes its first commit and registers it in the catalog."
        action={
          <LinkButton to="/create" color="primary" variant="contained">
            Create a service
          </LinkButton>
        }
      />
    );
  }
  return (
    <Table<HostedRepository>
      columns={columns}
      data={repositories}
      options={{
        paging: repositories.length > 20,
        pageSize: 20,
        padding: 'dense',
      }}
    />
  );
}
