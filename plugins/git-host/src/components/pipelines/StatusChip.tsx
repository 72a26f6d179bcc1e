import { Chip, makeStyles } from '@material-ui/core';
import { DeploymentOutcome, JobStatus, PipelineStatus } from '../../api';

type Status = PipelineStatus | JobStatus | DeploymentOutcome;
type Tone = 'success' | 'danger' | 'active' | 'waiting' | 'neutral';

const colours: Record<Tone, string> = {
  success: '#1f883d',
  danger: '#cf222e',
  active: '#0969da',
  waiting: '#9a6700',
  neutral: '#6e7781',
};

const useStyles = makeStyles({
  chip: { fontWeight: 600, color: '#fff' },
});

const tones: Record<Status, Tone> = {
  success: 'success',
  failed: 'danger',
  failure: 'danger',
  invalid: 'danger',
  interrupted: 'danger',
  rolled_back: 'waiting',
  running: 'active',
  pending: 'active',
  queued: 'waiting',
  created: 'waiting',
  manual: 'waiting',
  canceled: 'neutral',
  skipped: 'neutral',
};

const labels: Partial<Record<string, string>> = { rolled_back: 'rolled back' };

/** The colour of a status: green success, red failure, blue running… */
export function statusColour(status: Status): string {
  return colours[tones[status] ?? 'neutral'];
}

/**
 * A pipeline's or job's status, or a deployment's outcome, in words ("success",
 * "failed") on the colour CI tools use for it.
 */
export function StatusChip({
  status,
  testId,
}: {
  status: Status;
  /** For end-to-end tests: pipeline-status, job-status, deployment-outcome. */
  testId?: string;
}) {
  const classes = useStyles();
  return (
    <Chip
      label={labels[status] ?? status}
      size="small"
      className={classes.chip}
      style={{ backgroundColor: statusColour(status) }}
      data-testid={testId}
    />
  );
}
