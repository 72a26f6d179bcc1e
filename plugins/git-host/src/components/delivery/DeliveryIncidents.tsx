import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Chip,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import { deliveryApiRef, DeploymentFact, Incident } from '../../api';
import { EntityRefText, ErrorAlert, RelativeTime } from '../common';
import { ciSha } from '../pipelines';

const useStyles = makeStyles(theme => ({
  alert: { padding: theme.spacing(0, 2) },
  small: { display: 'block' },
}));

const sources: Record<Incident['source'], string> = {
  api: 'reported through the API',
  pagerduty: 'from PagerDuty',
  portal: 'recorded in the portal',
};

function TiedDeployment({
  incident,
  deployments,
}: {
  incident: Incident;
  deployments: Map<string, DeploymentFact>;
}) {
  if (!incident.deploymentId) {
    return <>{incident.commit ? ciSha(incident.commit) : '—'}</>;
  }
  const deployment = deployments.get(incident.deploymentId);
  if (!deployment) return <>{incident.deploymentId}</>;
  return (
    <>
      {deployment.version ?? ciSha(deployment.commit)} to{' '}
      {deployment.environment}
    </>
  );
}

/**
 * The incidents opened in the figures' window or still open, each with the
 * deployment it is tied to; an open one is resolved here.
 */
export function DeliveryIncidents({
  incidents,
  deployments,
  showService = false,
  onChange,
}: {
  incidents: Incident[];
  deployments: DeploymentFact[];
  showService?: boolean;
  /** After an incident was resolved: the figures change. */
  onChange: () => void;
}) {
  const classes = useStyles();
  const deliveryApi = useApi(deliveryApiRef);
  const [resolving, setResolving] = useState<string>();
  const [error, setError] = useState<Error>();
  const byId = new Map(deployments.map(d => [d.id, d]));

  const resolve = async (incident: Incident) => {
    setResolving(incident.id);
    setError(undefined);
    try {
      await deliveryApi.resolveIncident(incident.id);
      onChange();
    } catch (e) {
      setError(e as Error);
    } finally {
      setResolving(undefined);
    }
  };

  return (
    <InfoCard title="Incidents" noPadding>
      {error && (
        <div className={classes.alert}>
          <ErrorAlert title="The incident was not resolved" error={error} />
        </div>
      )}
      {incidents.length === 0 ? (
        <EmptyState
          missing="data"
          title="No incidents recorded"
          description="Send them from PagerDuty (v3 webhook to /api/deployments/incidents with a deploy token) or mark a deployment as the cause."
        />
      ) : (
        <Table size="small" aria-label="Incidents">
          <TableHead>
            <TableRow>
              {showService && <TableCell>Service</TableCell>}
              <TableCell>Title</TableCell>
              <TableCell>Severity</TableCell>
              <TableCell>Opened</TableCell>
              <TableCell>Resolved</TableCell>
              <TableCell>Deployment</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {incidents.map(incident => (
              <TableRow key={incident.id} data-testid="delivery-incident">
                {showService && (
                  <TableCell>
                    <EntityRefText entityRef={incident.service} />
                  </TableCell>
                )}
                <TableCell>
                  {incident.url ? (
                    <Link to={incident.url}>{incident.title}</Link>
                  ) : (
                    incident.title
                  )}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    className={classes.small}
                  >
                    {sources[incident.source] ?? incident.source} by{' '}
                    {incident.createdBy}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Chip
                    label={incident.severity}
                    size="small"
                    variant="outlined"
                    color={
                      incident.severity === 'critical' ||
                      incident.severity === 'high'
                        ? 'secondary'
                        : 'default'
                    }
                  />
                </TableCell>
                <TableCell>
                  <RelativeTime date={incident.openedAt} />
                </TableCell>
                <TableCell>
                  {incident.resolvedAt ? (
                    <RelativeTime date={incident.resolvedAt} />
                  ) : (
                    'open'
                  )}
                </TableCell>
                <TableCell>
                  <TiedDeployment incident={incident} deployments={byId} />
                </TableCell>
                <TableCell align="right">
                  {incident.status === 'open' && (
                    <Button
                      size="small"
                      color="primary"
                      disabled={resolving === incident.id}
                      onClick={() => resolve(incident)}
                    >
                      Resolve
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
