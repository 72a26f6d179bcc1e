import { InfoCard } from '@backstage/core-components';
import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Deployment, EnvironmentDeployments } from '../../api';
import { RelativeTime } from '../common';
import { ciSha, StatusChip } from '../pipelines';
import { DeploymentRow } from './DeploymentRow';
import { PipelineLink } from './PipelineLink';

const useStyles = makeStyles(theme => ({
  environment: { fontWeight: 600 },
  sha: { fontFamily: 'monospace' },
  note: { display: 'block', marginTop: theme.spacing(0.5) },
}));

/** A commit as deployments show it: 8 characters, the whole sha on hover. */
export function DeployedCommit({ deployment }: { deployment: Deployment }) {
  const classes = useStyles();
  return (
    <span className={classes.sha} title={deployment.commit}>
      {ciSha(deployment.commit)}
    </span>
  );
}

function LatestAttemptNote({
  environment,
}: {
  environment: EnvironmentDeployments;
}) {
  const classes = useStyles();
  const { current, latest } = environment;
  if (current && current.id === latest.id) return null;
  return (
    <Typography variant="caption" color="error" className={classes.note}>
      {current ? 'Since then, ' : 'Nothing deployed successfully yet: '}
      the latest attempt ({ciSha(latest.commit)},{' '}
      <RelativeTime date={latest.finishedAt} />) ended in{' '}
      {latest.outcome === 'rolled_back' ? 'a rollback' : 'a failure'}.
    </Typography>
  );
}

/**
 * What each environment runs now: the last successful deployment's commit,
 * version, time and pipeline, and a word when a later attempt failed.
 */
export function CurrentDeployments({
  environments,
}: {
  environments: EnvironmentDeployments[];
}) {
  const classes = useStyles();
  return (
    <InfoCard title="Deployed now" noPadding>
      <Table size="small" aria-label="Deployed now">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Environment</TableCell>
            <TableCell>Commit</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Deployed</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Pipeline</TableCell>
            <TableCell align="right">Deployments</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {environments.map(environment => {
            const shown = environment.current ?? environment.latest;
            return (
              <DeploymentRow
                key={environment.environment}
                deployment={shown}
                columns={7}
                testId="current-deployment"
              >
                <TableCell className={classes.environment}>
                  {environment.environment}
                </TableCell>
                <TableCell>
                  <DeployedCommit deployment={shown} />
                  <LatestAttemptNote environment={environment} />
                </TableCell>
                <TableCell>{shown.version ?? '—'}</TableCell>
                <TableCell>
                  <RelativeTime date={shown.finishedAt} />
                </TableCell>
                <TableCell>
                  <StatusChip
                    status={shown.outcome}
                    testId="deployment-outcome"
                  />
                </TableCell>
                <TableCell>
                  <PipelineLink deployment={shown} />
                </TableCell>
                <TableCell align="right">{environment.count}</TableCell>
              </DeploymentRow>
            );
          })}
        </TableBody>
      </Table>
    </InfoCard>
  );
}
