import { makeStyles, Typography } from '@material-ui/core';
import { PlanSummary as Plan } from '@internal/plugin-environments-common';

const useStyles = makeStyles(theme => ({
  counts: { display: 'flex', gap: theme.spacing(2), fontWeight: 600 },
  add: { color: theme.palette.success.main },
  change: { color: theme.palette.warning.main },
  remove: { color: theme.palette.error.main },
  replaced: { color: theme.palette.error.main, fontWeight: 600 },
  warning: { color: theme.palette.error.main, marginTop: theme.spacing(1) },
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
  const replaced = changes.filter(change => change.action === 'replace');
  const databases = replaced.filter(change => /database/.test(change.address));
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
            <li
              key={`${change.address} ${change.action}`}
              className={
                change.action === 'replace' ? classes.replaced : undefined
              }
            >
              {change.action} {change.address}
              {change.action === 'replace' && ' (destroyed and created again)'}
            </li>
          ))}
        </ul>
      ) : null}
      {databases.length > 0 && (
        <Typography variant="body2" role="alert" className={classes.warning}>
          This would destroy and recreate{' '}
          {databases.length === 1
            ? 'a database'
            : `${databases.length} databases`}
          : what {databases.length === 1 ? 'it holds' : 'they hold'} is lost. Do
          not apply unless the data can go.
        </Typography>
      )}
      {changes.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No changes: the infrastructure matches the configuration.
        </Typography>
      )}
    </div>
  );
}
