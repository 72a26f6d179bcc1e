import { Alert } from '@backstage/ui';
import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { useLayoutEffect, useRef } from 'react';
import { PipelineJob, RepositoryLocator } from '../../api';
import { EntityRefText, ErrorAlert } from '../common';
import { formatSize } from '../RepositoryPage/files/fileText';
import { durationText, isJobActive, StatusChip } from '../pipelines';
import { useJobLog } from './useJobLog';

const useStyles = makeStyles(theme => ({
  heading: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  log: {
    margin: 0,
    padding: theme.spacing(1, 2),
    minHeight: 120,
    maxHeight: 560,
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    lineHeight: 1.45,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    borderRadius: theme.shape.borderRadius,
    color: '#e6edf3',
    backgroundColor: '#0d1117',
  },
}));

// Where the log of a job that has not written anything stands.
function emptyLogText(job: PipelineJob): string {
  switch (job.status) {
    case 'manual':
      return 'This job waits to be started: press ▶ Start.';
    case 'skipped':
      return 'This job was skipped: a job it needs did not succeed, or its rules left it out.';
    case 'created':
    case 'pending':
      return 'Waiting for the job to start…';
    case 'running':
      return 'Waiting for output…';
    default:
      return 'This job wrote no output.';
  }
}

/**
 * A job's log as it runs: monospace, following the end unless the reader
 * scrolled up, with what was cut off said.
 */
export function JobLog({
  repository,
  number,
  job: pipelineJob,
}: {
  repository: RepositoryLocator;
  number: number;
  /** The job as the pipeline describes it. */
  job: PipelineJob;
}) {
  const classes = useStyles();
  const active = isJobActive(pipelineJob.status);
  const log = useJobLog(repository, number, pipelineJob.name, active);
  // The pipeline's answer says what the job is doing (it changes when the
  // job is started); the log's says how much of its output is kept.
  const job = pipelineJob;
  const truncated = job.logTruncated || log.job?.logTruncated;
  const keptBytes = Math.max(job.logBytes, log.job?.logBytes ?? 0);
  const title = `Log of ${job.name}`;

  const element = useRef<HTMLPreElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    following.current = true;
  }, [log.key]);
  useLayoutEffect(() => {
    const pre = element.current;
    if (pre && following.current) pre.scrollTop = pre.scrollHeight;
  }, [log.text]);
  const onScroll = () => {
    const pre = element.current;
    if (pre) {
      following.current =
        pre.scrollHeight - pre.scrollTop - pre.clientHeight < 24;
    }
  };

  const duration = durationText(job);
  return (
    <section aria-label={`Job ${job.name}`}>
      <div className={classes.heading}>
        <Typography variant="h6" component="h3">
          {job.name}
        </Typography>
        <StatusChip status={job.status} testId="job-log-status" />
        <Typography variant="body2" color="textSecondary">
          {[
            job.stage,
            duration,
            job.exitCode !== undefined && `exit code ${job.exitCode}`,
          ]
            .filter(Boolean)
            .join(' · ')}
          {job.startedBy && (
            <>
              {' · started by '}
              <EntityRefText entityRef={job.startedBy} />
            </>
          )}
        </Typography>
      </div>
      {job.error && (
        <Alert
          status="danger"
          icon
          title={`${job.name} failed`}
          description={job.error}
          mb="2"
        />
      )}
      {active && <LinearProgress aria-label={`${job.name} is running`} />}
      <pre
        ref={element}
        role="log"
        aria-label={title}
        data-testid="job-log"
        className={classes.log}
        onScroll={onScroll}
      >
        {log.text || emptyLogText(job)}
      </pre>
      {truncated && (
        <Typography variant="body2" color="textSecondary" role="note">
          Log truncated: the job wrote more than the portal keeps, so only the
          first {formatSize(keptBytes)} are shown.
        </Typography>
      )}
      {log.error && (
        <ErrorAlert title="The log could not be loaded" error={log.error} />
      )}
    </section>
  );
}
