import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { makeStyles, Typography } from '@material-ui/core';
import { useEffect, useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { deliveryApiRef, DeliveryWindow, MetricsResponse } from '../../api';
import { DeliveryDeployments } from './DeliveryDeployments';
import { DeliveryIncidents } from './DeliveryIncidents';
import { DeploymentSelection, FigureCards } from './FigureCards';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

/** "production deployments of 4 services, 2026-01-01 to 2026-01-31 (UTC)" */
function scopeText({ scope, environment, window }: MetricsResponse): string {
  const count = scope.services.length;
  const services =
    scope.kind === 'service'
      ? ''
      : ` of ${count} ${count === 1 ? 'service' : 'services'}`;
  return `${environment} deployments${services}, ${window.from.slice(
    0,
    10,
  )} to ${window.to.slice(0, 10)} (${window.timeZone})`;
}

/**
 * The delivery figures of a service or team over a window, with the
 * deployments and incidents behind them. The tables' changes (an incident
 * recorded or resolved) load the figures again.
 */
export function DeliveryFigures({
  entity,
  days,
  environment,
  showService = false,
  emptyDescription,
}: {
  entity: string;
  days: DeliveryWindow;
  environment: string;
  showService?: boolean;
  /** What to do when there is no deployment in the window. */
  emptyDescription: string;
}) {
  const classes = useStyles();
  const deliveryApi = useApi(deliveryApiRef);
  const [selection, setSelection] = useState<DeploymentSelection>();
  const deploymentsRef = useRef<HTMLDivElement>(null);
  const { value, loading, error, retry } = useAsyncRetry(
    () => deliveryApi.getMetrics({ entity, days, environment }),
    [deliveryApi, entity, days, environment],
  );

  useEffect(() => setSelection(undefined), [entity, days, environment]);

  // A reload after a change keeps the figures on screen.
  if (!value && loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const show = (chosen: DeploymentSelection) => {
    setSelection(chosen);
    deploymentsRef.current?.scrollIntoView?.({ behavior: 'smooth' });
  };
  return (
    <div className={classes.root}>
      <Typography variant="body2" color="textSecondary">
        {scopeText(value)}
      </Typography>
      <FigureCards metrics={value} onShow={show} />
      <div ref={deploymentsRef}>
        <DeliveryDeployments
          deployments={value.deployments}
          selection={selection}
          onShowAll={() => setSelection(undefined)}
          onChange={retry}
          showService={showService}
          emptyTitle={`No ${value.environment} deployments in ${value.window.days} days`}
          emptyDescription={emptyDescription}
        />
      </div>
      <DeliveryIncidents
        incidents={value.incidents}
        deployments={value.deployments}
        showService={showService}
        onChange={retry}
      />
    </div>
  );
}
