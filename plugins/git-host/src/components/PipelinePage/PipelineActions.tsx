import { makeStyles } from '@material-ui/core';
import { PipelineDetails } from '../../api';
import { isPipelineFinished } from '../pipelines';
import { ActionButton } from './ActionButton';
import { PipelineAction } from './usePipelineActions';

const useStyles = makeStyles(theme => ({
  buttons: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: theme.spacing(2, 0),
  },
}));

/** Cancel while the pipeline is queued or running, Re-run once it finished. */
export function PipelineActions({
  pipeline,
  busy,
  refusal,
  onAction,
}: {
  pipeline: PipelineDetails;
  busy?: PipelineAction;
  /** Why the signed-in user may not act here, if they may not. */
  refusal?: string;
  onAction: (action: PipelineAction) => void;
}) {
  const classes = useStyles();
  const finished = isPipelineFinished(pipeline);
  return (
    <div className={classes.buttons}>
      {!finished && (
        <ActionButton
          variant="outlined"
          refusal={refusal}
          disabled={busy !== undefined || pipeline.cancelRequested}
          onClick={() => onAction({ kind: 'cancel' })}
        >
          {busy?.kind === 'cancel' ? 'Canceling…' : 'Cancel'}
        </ActionButton>
      )}
      {finished && (
        <ActionButton
          variant="contained"
          color="primary"
          refusal={refusal}
          disabled={busy !== undefined}
          onClick={() => onAction({ kind: 'rerun' })}
        >
          {busy?.kind === 'rerun' ? 'Starting…' : 'Re-run'}
        </ActionButton>
      )}
    </div>
  );
}
