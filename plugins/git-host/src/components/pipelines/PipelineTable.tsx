import { Link } from '@backstage/core-components';
import {
  makeStyles,
  Paper,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Pipeline, RepositoryLocator } from '../../api';
import { RelativeTime, useRepositoryPaths } from '../common';
import { PipelineTrigger } from './PipelineTrigger';
import { ciSha, durationText, jobsByStage } from './pipelineText';
import { StatusChip, statusColour } from './StatusChip';

const useStyles = makeStyles(theme => ({
  number: { fontWeight: 600, whiteSpace: 'nowrap' },
  sha: { fontFamily: 'monospace' },
  stages: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5, 2) },
  stage: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(0.5, 1),
  },
  job: { display: 'inline-flex', alignItems: 'center', whiteSpace: 'nowrap' },
  dot: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: '50%',
    marginRight: theme.spacing(0.5),
  },
}));

/** A pipeline's jobs stage by stage, each a coloured dot linking to its log. */
function JobsSummary({
  pipeline,
  pipelinePath,
}: {
  pipeline: Pipeline;
  pipelinePath: (number: number, job?: string) => string;
}) {
  const classes = useStyles();
  if (!pipeline.jobs.length) return null;
  return (
    <div className={classes.stages}>
      {jobsByStage(pipeline.jobs).map(({ stage, jobs }) => (
        <div key={stage} className={classes.stage}>
          <Typography variant="caption" color="textSecondary">
            {stage}:
          </Typography>
          {jobs.map(job => (
            <Link
              key={job.id}
              to={pipelinePath(pipeline.number, job.name)}
              className={classes.job}
              title={`${job.name}: ${job.status}`}
              data-testid="job"
            >
              <span
                className={classes.dot}
                style={{ backgroundColor: statusColour(job.status) }}
              />
              {job.name}
            </Link>
          ))}
        </div>
      ))}
    </div>
  );
}

/**
 * Pipelines newest first: status, number, commit, who triggered it, its
 * jobs and how long it took. Each links to the pipeline's page.
 */
export function PipelineTable({
  repository,
  pipelines,
  label,
}: {
  repository: RepositoryLocator;
  pipelines: Pipeline[];
  /** The table's accessible name, e.g. "Pipelines of payments/shop". */
  label: string;
}) {
  const classes = useStyles();
  const paths = useRepositoryPaths(repository);
  return (
    <Paper variant="outlined">
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell>Status</TableCell>
            <TableCell>Pipeline</TableCell>
            <TableCell>Commit</TableCell>
            <TableCell>Jobs</TableCell>
            <TableCell>Duration</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {pipelines.map(pipeline => (
            <TableRow key={pipeline.id} data-testid="pipeline-row">
              <TableCell>
                <StatusChip status={pipeline.status} testId="pipeline-status" />
              </TableCell>
              <TableCell>
                <Link
                  to={paths.pipeline(pipeline.number)}
                  className={classes.number}
                >
                  #{pipeline.number}
                </Link>
                <Typography variant="caption" component="div">
                  <PipelineTrigger pipeline={pipeline} paths={paths} />,{' '}
                  <RelativeTime date={pipeline.createdAt} />
                </Typography>
              </TableCell>
              <TableCell>
                <Typography variant="body2">{pipeline.ref}</Typography>
                <Typography
                  variant="caption"
                  className={classes.sha}
                  title={pipeline.sha}
                >
                  {ciSha(pipeline.sha)}
                </Typography>
              </TableCell>
              <TableCell>
                <JobsSummary
                  pipeline={pipeline}
                  pipelinePath={paths.pipeline}
                />
                {pipeline.error && (
                  <Typography variant="caption" color="error">
                    {pipeline.error}
                  </Typography>
                )}
              </TableCell>
              <TableCell>{durationText(pipeline) ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Paper>
  );
}
