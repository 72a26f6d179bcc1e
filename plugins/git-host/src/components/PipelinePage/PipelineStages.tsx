import { Link } from '@backstage/core-components';
import {
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Paper,
  Typography,
} from '@material-ui/core';
import { PipelineDetails, PipelineJob } from '../../api';
import { RepositoryPaths } from '../common';
import { durationText, jobsByStage, StatusChip } from '../pipelines';
import { ActionButton } from './ActionButton';

const useStyles = makeStyles(theme => ({
  stage: { marginBottom: theme.spacing(2) },
  heading: { padding: theme.spacing(1, 2, 0) },
  selected: { backgroundColor: theme.palette.action.selected },
  row: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  name: { fontWeight: 600 },
}));

function jobFacts(job: PipelineJob): string {
  return [
    durationText(job),
    job.environment && `deploys to ${job.environment}`,
    job.allowFailure && 'allowed to fail',
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The pipeline's jobs stage by stage, each with its status and how long it
 * took; a job's name opens its log, ▶ Start runs a manual one.
 */
export function PipelineStages({
  pipeline,
  paths,
  selected,
  onStart,
  starting,
  refusal,
}: {
  pipeline: PipelineDetails;
  paths: RepositoryPaths;
  /** The job whose log is shown. */
  selected?: string;
  onStart: (job: string) => void;
  /** A job being started: the buttons wait. */
  starting: boolean;
  refusal?: string;
}) {
  const classes = useStyles();
  return (
    <>
      {jobsByStage(pipeline.jobs).map(({ stage, jobs }) => (
        <Paper key={stage} variant="outlined" className={classes.stage}>
          <Typography
            variant="subtitle2"
            component="h4"
            className={classes.heading}
          >
            Stage {stage}
          </Typography>
          <List dense aria-label={`Stage ${stage}`}>
            {jobs.map(job => (
              <ListItem
                key={job.id}
                divider
                data-testid="job-row"
                aria-current={job.name === selected ? 'true' : undefined}
                className={job.name === selected ? classes.selected : undefined}
              >
                <ListItemText
                  disableTypography
                  primary={
                    <div className={classes.row}>
                      <StatusChip status={job.status} testId="job-status" />
                      <Link
                        to={paths.pipeline(pipeline.number, job.name)}
                        className={classes.name}
                        replace
                      >
                        {job.name}
                      </Link>
                      {job.status === 'manual' && (
                        <ActionButton
                          size="small"
                          variant="outlined"
                          color="primary"
                          refusal={refusal}
                          disabled={starting}
                          onClick={() => onStart(job.name)}
                          aria-label={`Start ${job.name}`}
                        >
                          ▶ Start
                        </ActionButton>
                      )}
                    </div>
                  }
                  secondary={
                    <Typography variant="caption" color="textSecondary">
                      {jobFacts(job)}
                    </Typography>
                  }
                />
              </ListItem>
            ))}
          </List>
        </Paper>
      ))}
    </>
  );
}
