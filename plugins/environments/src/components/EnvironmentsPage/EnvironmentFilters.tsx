import { makeStyles, TextField } from '@material-ui/core';
import { EnvironmentStatus } from '@internal/plugin-environments-common';
import { entityRefTitle } from '../common';

const STATUSES: EnvironmentStatus[] = [
  'pending',
  'provisioning',
  'ready',
  'degraded',
  'failed',
  'interrupted',
  'destroy-interrupted',
  'destroying',
  'destroyed',
];

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  select: { minWidth: 220 },
}));

/** The owner and status selects above the environments table. */
export function EnvironmentFilters({
  owners,
  owner,
  status,
  onOwnerChange,
  onStatusChange,
}: {
  owners: string[];
  owner: string;
  status: string;
  onOwnerChange: (owner: string) => void;
  onStatusChange: (status: string) => void;
}) {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <TextField
        select
        id="environments-owner-filter"
        label="Owner"
        value={owner}
        onChange={event => onOwnerChange(event.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
        className={classes.select}
      >
        <option value="">All owners</option>
        {owners.map(ref => (
          <option key={ref} value={ref}>
            {entityRefTitle(ref)}
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="environments-status-filter"
        label="Status"
        value={status}
        onChange={event => onStatusChange(event.target.value)}
        SelectProps={{ native: true }}
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
        className={classes.select}
      >
        <option value="">All but destroyed</option>
        {STATUSES.map(value => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </TextField>
    </div>
  );
}
