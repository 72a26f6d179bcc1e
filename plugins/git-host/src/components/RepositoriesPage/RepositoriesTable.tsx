import {
  EmptyState,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Chip, Typography, makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { gitHostApiRef, HostedRepository } from '../../api';
import {
  CloneUrl,
  commitSubject,
  EntityRefText,
  RelativeTime,
  shortSha,
  useRepositoryPaths,
} from '../common';

const useStyles = makeStyles(theme => ({
  name: { fontWeight: 600 },
  private: { marginLeft: theme.spacing(1) },
  commitMeta: { display: 'block', marginTop: theme.spacing(0.5) },
  sha: { fontFamily: 'monospace' },
}));

function Name({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  const paths = useRepositoryPaths(repository);
  return (
    <>
      <Typography variant="body2" component="div" className={classes.name}>
        <Link to={paths.root}>{repository.fullName}</Link>
        {repository.visibility === 'private' && (
          <Chip label="Private" size="small" className={classes.private} />
        )}
      </Typography>
      {repository.description && (
        <Typography variant="caption" color="textSecondary">
          {repository.description}
        </Typography>
      )}
    </>
  );
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
      <Typography variant="body2">{commitSubject(commit.message)}</Typography>
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.commitMeta}
      >
        <span className={classes.sha}>{shortSha(commit.sha)}</span>
        {' · '}
        {commit.author}
        {' · '}
        <RelativeTime date={commit.date} />
      </Typography>
    </>
  );
}

const columns: TableColumn<HostedRepository>[] = [
  {
    title: 'Name',
    field: 'fullName',
    highlight: true,
    render: repository => <Name repository={repository} />,
  },
  {
    title: 'Owner',
    field: 'owner',
    render: repository => <EntityRefText entityRef={repository.owner} />,
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

/**
 * Every hosted repository the user may read, each linked to its page, or why
 * there is none to show.
 */
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
