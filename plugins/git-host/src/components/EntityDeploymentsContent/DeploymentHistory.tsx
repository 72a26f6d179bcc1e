import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api';
import { ErrorAlert, RelativeTime } from '../common';
import { StatusChip } from '../pipelines';
import { DeployedCommit } from './CurrentDeployments';
import { DeploymentRow } from './DeploymentRow';
import { PipelineLink } from './PipelineLink';

/** How many deployments the history shows. */
export const HISTORY_LIMIT = 50;

const ALL = '';

const useStyles = makeStyles(theme => ({
  toolbar: { padding: theme.spacing(0, 2, 1) },
  select: { minWidth: 200 },
  none: { padding: theme.spacing(2) },
}));

const sources: Record<string, string> = {
  'paved-runner': "the portal's pipelines",
  external: 'another CI',
};

/**
 * A service's deployments, newest first, of every environment or one; each
 * opens to the commits it brought.
 */
export function DeploymentHistory({
  service,
  environments,
}: {
  service: string;
  /** The environments to filter by. */
  environments: string[];
}) {
  const classes = useStyles();
  const deploymentsApi = useApi(deploymentsApiRef);
  const [environment, setEnvironment] = useState(ALL);
  const { value, loading, error } = useAsync(
    () =>
      deploymentsApi.listDeployments({
        service,
        environment: environment || undefined,
        limit: HISTORY_LIMIT,
      }),
    [deploymentsApi, service, environment],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <ErrorAlert title="The deployments could not be loaded" error={error} />
    );
  } else if (!value?.length) {
    body = (
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.none}
      >
        No deployments to {environment || 'any environment'} yet.
      </Typography>
    );
  } else {
    body = (
      <Table size="small" aria-label="Deployment history">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox" />
            <TableCell>Environment</TableCell>
            <TableCell>Commit</TableCell>
            <TableCell>Version</TableCell>
            <TableCell>Finished</TableCell>
            <TableCell>Outcome</TableCell>
            <TableCell>Commits</TableCell>
            <TableCell>Reported by</TableCell>
            <TableCell>Pipeline</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.map(deployment => (
            <DeploymentRow
              key={deployment.id}
              deployment={deployment}
              columns={8}
              testId="deployment-row"
            >
              <TableCell>{deployment.environment}</TableCell>
              <TableCell>
                <DeployedCommit deployment={deployment} />
              </TableCell>
              <TableCell>{deployment.version ?? '—'}</TableCell>
              <TableCell>
                <RelativeTime date={deployment.finishedAt} />
              </TableCell>
              <TableCell>
                <StatusChip
                  status={deployment.outcome}
                  testId="deployment-outcome"
                />
              </TableCell>
              <TableCell>{deployment.commitCount}</TableCell>
              <TableCell>
                {deployment.reportedBy}
                <Typography variant="caption" component="div">
                  {sources[deployment.source] ?? deployment.source}
                </Typography>
              </TableCell>
              <TableCell>
                <PipelineLink deployment={deployment} />
              </TableCell>
            </DeploymentRow>
          ))}
        </TableBody>
      </Table>
    );
  }

  return (
    <InfoCard title="History" subheader="Newest first" noPadding>
      <div className={classes.toolbar}>
        <TextField
          id="deployments-environment"
          select
          label="Environment"
          value={environment}
          onChange={event => setEnvironment(event.target.value)}
          SelectProps={{ native: true }}
          // "All environments" is an empty value: keep the label above it.
          InputLabelProps={{ shrink: true }}
          variant="outlined"
          size="small"
          className={classes.select}
        >
          <option value={ALL}>All environments</option>
          {environments.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </TextField>
      </div>
      {body}
    </InfoCard>
  );
}
