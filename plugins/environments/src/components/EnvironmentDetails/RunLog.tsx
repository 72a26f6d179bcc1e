import { LinearProgress, makeStyles, Typography } from '@material-ui/core';
import { RunEvent } from '@internal/plugin-environments-common';
import { ErrorAlert } from '../common';
import { useRunEvents } from './useRunEvents';

const useStyles = makeStyles(theme => ({
  log: {
    margin: 0,
    padding: theme.spacing(1, 2),
    maxHeight: 400,
    overflow: 'auto',
    fontFamily: 'monospace',
    fontSize: '0.8rem',
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
  },
}));

// One text node for the whole log: it copies as plain text, and a page
// search (or a browser test) finds an address once, not once per line.
function logText(events: RunEvent[]) {
  return events
    .map(event => {
      const time = new Date(event.at).toLocaleTimeString('en-GB');
      const level = event.level === 'info' ? '' : ` [${event.level}]`;
      return `${time}${level} ${event.message}`;
    })
    .join('\n');
}

/** Log lines as {@link useRunEvents} returns them. */
export function RunLogView({
  title,
  events,
  finished,
  error,
}: {
  /** The log's accessible name, e.g. "Log of the Apply". */
  title: string;
  events: RunEvent[];
  finished: boolean;
  error?: Error;
}) {
  const classes = useStyles();
  return (
    <div>
      {!finished && !error && (
        <LinearProgress aria-label={`${title} is running`} />
      )}
      <div role="log" aria-label={title} className={classes.log}>
        {events.length > 0 ? (
          logText(events)
        ) : (
          <Typography variant="body2" color="textSecondary">
            {finished ? 'No log lines.' : 'Waiting for the run to start…'}
          </Typography>
        )}
      </div>
      {error && (
        <ErrorAlert title="The log could not be loaded" error={error} />
      )}
    </div>
  );
}

/** A run's log, followed while the run is not finished. */
export function RunLog({ runId, title }: { runId: string; title: string }) {
  return <RunLogView title={title} {...useRunEvents(runId)} />;
}
