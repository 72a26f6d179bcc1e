import { Chip, makeStyles } from '@material-ui/core';
import { ChangeRequest } from '../../api';

const useStyles = makeStyles({
  chip: { color: '#fff', fontWeight: 600 },
  open: { backgroundColor: '#1f883d' },
  merged: { backgroundColor: '#8250df' },
  closed: { backgroundColor: '#cf222e' },
});

/** "Open", "Merged" or "Closed", in the colours git hosts use for them. */
export function ChangeRequestStateChip({
  changeRequest,
}: {
  changeRequest: Pick<ChangeRequest, 'state' | 'merged'>;
}) {
  const classes = useStyles();
  let state: 'open' | 'merged' | 'closed' = 'closed';
  if (changeRequest.merged) state = 'merged';
  else if (changeRequest.state === 'open') state = 'open';
  const label = { open: 'Open', merged: 'Merged', closed: 'Closed' }[state];
  return (
    <Chip
      label={label}
      size="small"
      className={`${classes.chip} ${classes[state]}`}
    />
  );
}
