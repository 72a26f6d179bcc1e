import { Progress } from '@backstage/core-components';
import { Button, makeStyles, Paper } from '@material-ui/core';
import { useNavigate, useParams } from 'react-router-dom';
import { Branch, HostedRepository } from '../../api';
import {
  BranchSelect,
  CommitList,
  EmptyRepository,
  ErrorAlert,
  useRepositoryPaths,
} from '../common';
import { useCommitPages } from './useCommitPages';

const useStyles = makeStyles(theme => ({
  toolbar: { margin: theme.spacing(2, 0) },
  more: { margin: theme.spacing(1, 2) },
}));

function CommitHistory({
  repository,
  gitRef,
}: {
  repository: HostedRepository;
  gitRef: string;
}) {
  const classes = useStyles();
  const { commits, more, loading, error, loadMore } = useCommitPages(
    repository,
    gitRef,
  );
  return (
    <>
      {error && (
        <ErrorAlert title="The commits could not be loaded" error={error} />
      )}
      <Paper variant="outlined">
        <CommitList commits={commits} label={`Commits on ${gitRef}`} />
        {loading && <Progress />}
        {more && !loading && (
          <Button className={classes.more} onClick={loadMore}>
            Older commits
          </Button>
        )}
      </Paper>
    </>
  );
}

/** The Commits tab: the newest commits on a branch (`commits/:ref`). */
export function CommitsView({
  repository,
  branches,
}: {
  repository: HostedRepository;
  branches: Branch[];
}) {
  const classes = useStyles();
  const { ref = repository.defaultBranch } = useParams();
  const navigate = useNavigate();
  const paths = useRepositoryPaths(repository);

  if (branches.length === 0) {
    return <EmptyRepository repository={repository} />;
  }
  return (
    <>
      <div className={classes.toolbar}>
        <BranchSelect
          branches={branches}
          value={ref}
          onChange={branch => navigate(paths.commits(branch))}
        />
      </div>
      <CommitHistory
        key={`${repository.fullName}@${ref}`}
        repository={repository}
        gitRef={ref}
      />
    </>
  );
}
