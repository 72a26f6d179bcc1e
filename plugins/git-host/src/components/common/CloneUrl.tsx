import { CopyTextButton } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import { HostedRepository } from '../../api';

const useStyles = makeStyles(theme => ({
  cloneUrl: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
  },
  url: { fontFamily: 'monospace', wordBreak: 'break-all' },
}));

/** The URL git clones the repository from, with a copy button. */
export function CloneUrl({ repository }: { repository: HostedRepository }) {
  const classes = useStyles();
  return (
    <span className={classes.cloneUrl}>
      <span className={classes.url}>{repository.cloneUrl}</span>
      <CopyTextButton
        text={repository.cloneUrl}
        tooltipText="Clone URL copied"
        aria-label={`Copy the clone URL of ${repository.fullName}`}
      />
    </span>
  );
}
