import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { deploymentsApiRef } from '../../api';
import { CurrentDeployments } from './CurrentDeployments';
import { DeploymentHistory } from './DeploymentHistory';
import { FirstDeploys } from './FirstDeploys';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

/**
 * The Deployments tab of a service: what each environment runs now, its
 * time to first deploy, and every deployment with the commits it brought.
 */
export function EntityDeploymentsContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const service = stringifyEntityRef(entity);
  const deploymentsApi = useApi(deploymentsApiRef);
  const { value, loading, error } = useAsync(
    () => deploymentsApi.getCurrentDeployments(service),
    [deploymentsApi, service],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.environments.length) {
    return (
      <EmptyState
        missing="data"
        title="No deployment recorded yet: the pipeline's deploy jobs report here"
        description="Each deploy job of the service's pipeline reports what it deployed where; a service built elsewhere reports from its own CI to /api/deployments/report with the PAVED_DEPLOY_TOKEN secret."
      />
    );
  }
  return (
    <div className={classes.root}>
      <CurrentDeployments environments={value.environments} />
      {value.firstDeploys.length > 0 && (
        <FirstDeploys firstDeploys={value.firstDeploys} />
      )}
      <DeploymentHistory
        service={service}
        environments={value.environments.map(e => e.environment)}
      />
    </div>
  );
}
