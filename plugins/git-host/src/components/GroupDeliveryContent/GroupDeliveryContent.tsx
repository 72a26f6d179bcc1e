import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core';
import { useState } from 'react';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_WINDOW,
  DeliveryFigures,
  WindowPicker,
} from '../delivery';

const useStyles = makeStyles(theme => ({
  pickers: { marginBottom: theme.spacing(2) },
}));

/**
 * The Delivery tab of a team: the DORA figures of the services it and its
 * child groups own, in production, with their deployments and incidents.
 */
export function GroupDeliveryContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const [days, setDays] = useState(DEFAULT_WINDOW);

  return (
    <>
      <div className={classes.pickers}>
        <WindowPicker value={days} onChange={setDays} />
      </div>
      <DeliveryFigures
        entity={stringifyEntityRef(entity)}
        days={days}
        environment={DEFAULT_ENVIRONMENT}
        showService
        emptyDescription="Deployments of the team's services appear here when their pipelines' deploy jobs report to Paved — see each service's CI/CD tab."
      />
    </>
  );
}
