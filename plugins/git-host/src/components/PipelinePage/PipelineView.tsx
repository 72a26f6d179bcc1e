import {
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Alert } from '@backstage/ui';
import { Grid, makeStyles, Typography } from '@material-ui/core';
import { useRef } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { HostedRepository, PipelineDetails } from '../../api';
import { ErrorAlert, statusOf, useRepositoryPaths } from '../common';
import { JobLog } from './JobLog';
import { PipelineActions } from './PipelineActions';
import { PipelineStages } from './PipelineStages';
import { PipelineSummary } from './PipelineSummary';
import { usePipeline } from './usePipeline';
import { usePipelineActions } from './usePipelineActions';

const useStyles = makeStyles(theme => ({
  back: { display: 'inline-block', margin: theme.spacing(2, 0) },
}));

const errorTitles: Partial<Record<PipelineDetails['status'], string>> = {
  invalid: 'The pipeline file could not be run',
  failed: 'The pipeline failed',
  interrupted: 'The pipeline was interrupted',
};

// The job to show before one is picked: the one running, else the first
// that failed.
function defaultJob(pipeline: PipelineDetails): string | undefined {
  return (
    pipeline.jobs.find(job => job.status === 'running') ??
    pipeline.jobs.find(job => job.status === 'failed' && !job.allowFailure)
  )?.name;
}

function PipelineDetailsView({
  repository,
  pipeline,
  refresh,
}: {
  repository: HostedRepository;
  pipeline: PipelineDetails;
  refresh: () => void;
}) {
  const paths = useRepositoryPaths(repository);
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { run, busy, failed, refusal } = usePipelineActions(
    repository,
    pipeline,
    {
      onChange: refresh,
      onRerun: rerun => navigate(paths.pipeline(rerun.number)),
    },
  );
  // The job followed stays open when it finishes and no other runs.
  const shown = useRef<string>();
  const selectedName =
    params.get('job') ?? defaultJob(pipeline) ?? shown.current;
  shown.current = selectedName;
  const selected = pipeline.jobs.find(job => job.name === selectedName);

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <PipelineSummary pipeline={pipeline} paths={paths} />
        {pipeline.error && (
          <Alert
            status="danger"
            icon
            title={errorTitles[pipeline.status] ?? 'The pipeline has an error'}
            description={pipeline.error}
            mt="2"
          />
        )}
        {failed && <ErrorAlert title={failed.title} error={failed.error} />}
        <PipelineActions
          pipeline={pipeline}
          busy={busy}
          refusal={refusal}
          onAction={run}
        />
      </Grid>
      {pipeline.jobs.length > 0 && (
        <>
          <Grid item xs={12} md={4}>
            <PipelineStages
              pipeline={pipeline}
              paths={paths}
              selected={selected?.name}
              starting={busy !== undefined}
              refusal={refusal}
              onStart={job => run({ kind: 'play', job })}
            />
          </Grid>
          <Grid item xs={12} md={8}>
            {selected ? (
              <JobLog
                repository={repository}
                number={pipeline.number}
                job={selected}
              />
            ) : (
              <Typography variant="body2" color="textSecondary">
                Pick a job to read its log.
              </Typography>
            )}
          </Grid>
        </>
      )}
    </Grid>
  );
}

/**
 * One pipeline at `pipelines/:number`: its jobs by stage, the log of the one
 * picked, followed live while the pipeline runs, and Cancel, Re-run and
 * ▶ Start for those who may.
 */
export function PipelineView({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  const { number: param = '' } = useParams();
  const number = Number(param);
  const paths = useRepositoryPaths(repository);
  const { pipeline, error, refresh } = usePipeline(repository, number);

  let body;
  if (pipeline && pipeline.number === number) {
    body = (
      <>
        {error && (
          <ErrorAlert
            title="The pipeline could not be refreshed"
            error={error}
          />
        )}
        <PipelineDetailsView
          repository={repository}
          pipeline={pipeline}
          refresh={refresh}
        />
      </>
    );
  } else if (error && statusOf(error) === 404) {
    body = (
      <EmptyState
        missing="data"
        title={`There is no pipeline #${param} in ${repository.fullName}`}
        description="Pick one from the list of pipelines."
      />
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    body = <Progress />;
  }

  return (
    <>
      <Link to={paths.pipelines} className={classes.back}>
        ← All pipelines
      </Link>
      {body}
    </>
  );
}
