import { Progress } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import { HostedRepository } from '../../api';
import { ErrorAlert } from '../common';
import {
  NoPipelineYet,
  PipelineTable,
  RunnerOffNote,
  usePipelines,
} from '../pipelines';

const useStyles = makeStyles(theme => ({
  root: { marginTop: theme.spacing(2) },
}));

/** The Pipelines tab: the repository's latest pipelines, live. */
export function PipelinesView({
  repository,
}: {
  repository: HostedRepository;
}) {
  const classes = useStyles();
  const { list, error, loading } = usePipelines(repository, 20);

  let body;
  if (loading) {
    body = <Progress />;
  } else if (!list) {
    body = error && (
      <ErrorAlert title="The pipelines could not be loaded" error={error} />
    );
  } else {
    body = (
      <>
        {error && (
          <ErrorAlert
            title="The pipelines could not be refreshed"
            error={error}
          />
        )}
        {!list.runner && <RunnerOffNote />}
        {list.items.length > 0 && (
          <PipelineTable
            repository={repository}
            pipelines={list.items}
            label={`Pipelines of ${repository.fullName}`}
          />
        )}
        {list.runner && list.items.length === 0 && (
          <NoPipelineYet fullName={repository.fullName} />
        )}
      </>
    );
  }
  return <div className={classes.root}>{body}</div>;
}
