import { makeStyles, Typography } from '@material-ui/core';
import { PipelineDetails } from '../../api';
import { RelativeTime, RepositoryPaths } from '../common';
import { ciSha, durationText, PipelineTrigger, StatusChip } from '../pipelines';

const useStyles = makeStyles(theme => ({
  title: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
  meta: { marginTop: theme.spacing(1) },
  mono: { fontFamily: 'monospace' },
}));

/** "Pipeline #12 success": which commit of which branch, who, when, how long. */
export function PipelineSummary({
  pipeline,
  paths,
}: {
  pipeline: PipelineDetails;
  paths: RepositoryPaths;
}) {
  const classes = useStyles();
  const duration = durationText(pipeline);
  return (
    <div>
      <div className={classes.title}>
        <Typography variant="h4" component="h3">
          Pipeline #{pipeline.number}
        </Typography>
        <StatusChip status={pipeline.status} testId="pipeline-status" />
        {pipeline.cancelRequested && pipeline.status === 'running' && (
          <Typography variant="body2" color="textSecondary">
            canceling…
          </Typography>
        )}
      </div>
      <Typography variant="body2" className={classes.meta}>
        <span className={classes.mono}>{pipeline.ref}</span> at commit{' '}
        <span
          className={classes.mono}
          title={pipeline.sha}
          data-testid="pipeline-commit"
        >
          {ciSha(pipeline.sha)}
        </span>
        {' · '}
        <PipelineTrigger pipeline={pipeline} paths={paths} />{' '}
        <RelativeTime date={pipeline.createdAt} />
        {duration && ` · took ${duration}`}
      </Typography>
    </div>
  );
}
