import {
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { Commit } from '../../api';
import { commitSubject, shortSha } from './commitText';
import { RelativeTime } from './RelativeTime';

const useStyles = makeStyles(theme => ({
  sha: {
    fontFamily: 'monospace',
    marginLeft: theme.spacing(2),
    whiteSpace: 'nowrap',
  },
}));

/** Commits newest first: subject, author, when, and the short sha. */
export function CommitList({
  commits,
  label,
}: {
  commits: Commit[];
  /** Names the list for assistive technology, e.g. "Commits on main". */
  label: string;
}) {
  const classes = useStyles();
  return (
    <List dense aria-label={label}>
      {commits.map(({ sha, commit }) => (
        <ListItem key={sha} divider>
          <ListItemText
            primary={commitSubject(commit.message)}
            secondary={
              <>
                {commit.author.name} committed{' '}
                <RelativeTime date={commit.author.date} />
              </>
            }
          />
          <Typography
            variant="body2"
            component="span"
            className={classes.sha}
            title={sha}
          >
            {shortSha(sha)}
          </Typography>
        </ListItem>
      ))}
    </List>
  );
}
