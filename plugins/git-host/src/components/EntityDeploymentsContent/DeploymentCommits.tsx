import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  List,
  ListItem,
  ListItemText,
  makeStyles,
  Typography,
} from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { Deployment, deploymentsApiRef } from '../../api';
import { commitSubject, ErrorAlert, RelativeTime } from '../common';
import { ciSha } from '../pipelines';

const useStyles = makeStyles(theme => ({
  sha: { fontFamily: 'monospace', marginRight: theme.spacing(1) },
}));

function noCommitsText(deployment: Deployment): string {
  if (!deployment.previousId) {
    return `The first deployment to ${
      deployment.environment
    }: it brought everything up to ${ciSha(deployment.commit)}.`;
  }
  if (deployment.commitCount === 0) {
    return 'The same commit as the deployment before it: a redeploy.';
  }
  return `${deployment.commitCount} commits, not listed: the git host did not know them when the deployment was reported.`;
}

/** The commits a deployment brought since the one before it. */
export function DeploymentCommits({ deployment }: { deployment: Deployment }) {
  const classes = useStyles();
  const deploymentsApi = useApi(deploymentsApiRef);
  const { value, loading, error } = useAsync(
    () => deploymentsApi.getDeployment(deployment.id),
    [deploymentsApi, deployment.id],
  );
  const label = `Commits deployed to ${deployment.environment} with ${ciSha(
    deployment.commit,
  )}`;

  if (loading) return <Progress />;
  if (error) {
    return (
      <ErrorAlert
        title="The deployment's commits could not be loaded"
        error={error}
      />
    );
  }
  if (!value?.commits.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        {noCommitsText(deployment)}
      </Typography>
    );
  }
  return (
    <List dense aria-label={label}>
      {value.commits.map(commit => (
        <ListItem key={commit.sha} divider>
          <ListItemText
            primary={
              <>
                <span className={classes.sha} title={commit.sha}>
                  {ciSha(commit.sha)}
                </span>
                {commitSubject(commit.message ?? '')}
              </>
            }
            secondary={
              <>
                {commit.author ?? commit.authorEmail ?? 'someone'}
                {commit.committedAt && (
                  <>
                    {' committed '}
                    <RelativeTime date={commit.committedAt} />
                  </>
                )}
              </>
            }
          />
        </ListItem>
      ))}
    </List>
  );
}
