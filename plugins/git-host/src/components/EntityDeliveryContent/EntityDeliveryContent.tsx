import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_WINDOW,
  DeliveryFigures,
  EnvironmentPicker,
  WindowPicker,
} from '../delivery';

const useStyles = makeStyles(theme => ({
  pickers: {
    display: 'flex',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
}));

/**
 * The Delivery tab of a service: its DORA figures over a window, for one
 * environment, with the deployments and incidents behind them.
 */
export function EntityDeliveryContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const service = stringifyEntityRef(entity);
  const deploymentsApi = useApi(deploymentsApiRef);
  const [days, setDays] = useState(DEFAULT_WINDOW);
  const [environment, setEnvironment] = useState(DEFAULT_ENVIRONMENT);
  // The environments the service was deployed to; production alone if
  // they cannot be read, the figures still load.
  const { value: environments = [] } = useAsync(
    async () =>
      (await deploymentsApi.getCurrentDeployments(service)).environments.map(
        e => e.environment,
      ),
    [deploymentsApi, service],
  );

  return (
    <>
      <div className={classes.pickers}>
        <WindowPicker value={days} onChange={setDays} />
        <EnvironmentPicker
          value={environment}
          environments={environments}
          onChange={setEnvironment}
        />
      </div>
      <DeliveryFigures
        entity={service}
        days={days}
        environment={environment}
        emptyDescription="Deployments appear here when a pipeline's deploy job reports to Paved — see the CI/CD tab."
      />
    </>
  );
}
