import { makeStyles, Typography } from '@material-ui/core';
import { PlanSummary as Plan } from '@internal/plugin-environments-common';

const useStyles = makeStyles(theme => ({
  counts: { display: 'flex', gap: theme.spacing(2), fontWeight: 600 },
  add: { color: theme.palette.success.main },
  change: { color: theme.palette.warning.main },
  remove: { color: theme.palette.error.main },
  changes: {
    margin: theme.spacing(1, 0, 0),
    paddingLeft: theme.spacing(2),
    fontFamily: 'monospace',
    fontSize: '0.8rem',
  },
}));

/** What a plan would do: the counts, then each address and its action. */
export function PlanSummary({ plan }: { plan: Plan }) {
  const classes = useStyles();
  const changes = plan.changes.filter(change => change.action !== 'noop');
  return (
    <div>
      <Typography variant="body2" component="div" className={classes.counts}>
        <span className={classes.add}>+{plan.add} to add</span>
        <span className={classes.change}>~{plan.change} to change</span>
        <span className={classes.remove}>-{plan.remove} to remove</span>
      </Typography>
      {changes.length > 0 ? (
        <ul className={classes.changes} aria-label="Planned changes">
          {changes.map(change => (
            <li key={`${change.address} ${change.action}`}>
              {change.action} {change.address}
            </li>
          ))}
        </ul>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No changes: the infrastructure matches the configuration.
        </Typography>
      )}
    </div>
  );
}
