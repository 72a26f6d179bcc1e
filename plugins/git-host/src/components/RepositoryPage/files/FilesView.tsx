import { Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { makeStyles, Paper } from '@material-ui/core';
import { useNavigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { Branch, gitHostApiRef, HostedRepository } from '../../../api';
import {
  BranchSelect,
  EmptyRepository,
  ErrorAlert,
  statusOf,
  useRepositoryPaths,
} from '../../common';
import { DirectoryListing } from './DirectoryListing';
import { FileView } from './FileView';
import { PathBreadcrumbs } from './PathBreadcrumbs';
import { refAndPath } from './refAndPath';

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    margin: theme.spacing(2, 0),
  },
  content: { padding: theme.spacing(2) },
}));

/**
 * The Files tab: a folder or a file at a branch (`src/:ref/<path>`; the
 * default branch's root without). What the path is, a folder or a file, is
 * what the git host answers.
 */
export function FilesView({
  repository,
  branches,
}: {
  repository: HostedRepository;
  branches: Branch[];
}) {
  const classes = useStyles();
  const params = useParams();
  const { ref: gitRef, path } = refAndPath(
    branches.map(branch => branch.name),
    params.ref ?? repository.defaultBranch,
    params['*'] ?? '',
  );
  const gitHostApi = useApi(gitHostApiRef);
  const navigate = useNavigate();
  const paths = useRepositoryPaths(repository);
  const empty = branches.length === 0;

  const contents = useAsync(
    async () =>
      empty
        ? undefined
        : gitHostApi.getContents(repository, { ref: gitRef, path }),
    [gitHostApi, repository, gitRef, path, empty],
  );

  if (empty) {
    return <EmptyRepository repository={repository} />;
  }

  let body;
  if (contents.loading) {
    body = <Progress />;
  } else if (contents.error && statusOf(contents.error) === 404) {
    body = (
      <Alert
        status="warning"
        role="alert"
        title={`There is no ${path || 'folder'} on ${gitRef}`}
        description={
          <>
            It may be on another branch.{' '}
            <Link to={paths.src(repository.defaultBranch)}>
              Go to the root of {repository.defaultBranch}
            </Link>
          </>
        }
      />
    );
  } else if (contents.error) {
    body = (
      <ErrorAlert
        title="The files could not be loaded"
        error={contents.error}
      />
    );
  } else if (Array.isArray(contents.value)) {
    body = (
      <DirectoryListing
        entries={contents.value}
        paths={paths}
        gitRef={gitRef}
        path={path}
      />
    );
  } else if (contents.value) {
    body = <FileView file={contents.value} />;
  }

  return (
    <>
      <div className={classes.toolbar}>
        <BranchSelect
          branches={branches}
          value={gitRef}
          onChange={branch => navigate(paths.src(branch, path))}
        />
        <PathBreadcrumbs
          repository={repository}
          paths={paths}
          gitRef={gitRef}
          path={path}
        />
      </div>
      <Paper variant="outlined" className={classes.content}>
        {body}
      </Paper>
    </>
  );
}
