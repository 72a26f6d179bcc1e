import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Header, PluginHeader } from '@backstage/ui';
import { Grid, makeStyles } from '@material-ui/core';
import InsightsIcon from '@material-ui/icons/TrendingUp';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { deliveryApiRef } from '../../api';
import {
  DEFAULT_ENVIRONMENT,
  DEFAULT_WINDOW,
  EnvironmentPicker,
  WindowPicker,
} from '../delivery';
import { AdoptionCard } from './AdoptionCard';
import { GoldenPathsTable } from './GoldenPathsTable';
import { TeamsTable } from './TeamsTable';

// The deployments backend's default environment names
// (paved.deployments.environments); the frontend cannot read its config.
const ENVIRONMENTS = ['production', 'staging', 'dev'];

const useStyles = makeStyles(theme => ({
  pickers: { display: 'flex', gap: theme.spacing(2) },
}));

/**
 * Delivery insights, for the platform team: every team's and golden path's
 * DORA figures side by side, and how far golden paths are adopted.
 */
export function DeliveryInsightsPage() {
  const classes = useStyles();
  const deliveryApi = useApi(deliveryApiRef);
  const [days, setDays] = useState(DEFAULT_WINDOW);
  const [environment, setEnvironment] = useState(DEFAULT_ENVIRONMENT);
  const { value, loading, error } = useAsync(
    () => deliveryApi.getInsights({ days, environment }),
    [deliveryApi, days, environment],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (value) {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <TeamsTable insights={value} />
        </Grid>
        <Grid item xs={12}>
          <GoldenPathsTable insights={value} />
        </Grid>
        <Grid item xs={12} md={6}>
          <AdoptionCard adoption={value.adoption} />
        </Grid>
      </Grid>
    );
  }

  return (
    <>
      <PluginHeader title="Delivery insights" icon={<InsightsIcon />} />
      <Header
        title="How teams and golden paths deliver"
        description="Deployment frequency, lead time, change failure rate, time to recover and rework rate of every team and golden path."
        customActions={
          <div className={classes.pickers}>
            <WindowPicker value={days} onChange={setDays} />
            <EnvironmentPicker
              value={environment}
              environments={ENVIRONMENTS}
              onChange={setEnvironment}
            />
          </div>
        }
      />
      <Content>{body}</Content>
    </>
  );
}
