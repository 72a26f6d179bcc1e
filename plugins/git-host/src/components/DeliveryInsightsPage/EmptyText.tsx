import { makeStyles, Typography } from '@material-ui/core';

const useStyles = makeStyles(theme => ({
  text: { padding: theme.spacing(2) },
}));

/** What an empty table says instead of rows. */
export function EmptyText({ children }: { children: string }) {
  const classes = useStyles();
  return (
    <Typography variant="body2" color="textSecondary" className={classes.text}>
      {children}
    </Typography>
  );
}
