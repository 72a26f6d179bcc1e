import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { makeStyles, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ADD_ENVIRONMENT_TEMPLATE_PATH } from '../common';
import { EnvironmentsTable } from '../EnvironmentsPage/EnvironmentsTable';

const useStyles = makeStyles(theme => ({
  root: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
}));

function AddEnvironmentHint({ none }: { none: boolean }) {
  return (
    <Typography variant="body2">
      {none ? 'This service has no environments yet. ' : ''}
      To add one, use the{' '}
      <Link to={ADD_ENVIRONMENT_TEMPLATE_PATH}>
        Add an environment to an existing service
      </Link>{' '}
      template on the Create page.
    </Typography>
  );
}

/** The Environments tab of a service: its environments and how to add one. */
export function EntityEnvironmentsContent() {
  const classes = useStyles();
  const { entity } = useEntity();
  const service = stringifyEntityRef(entity);
  const environmentsApi = useApi(environmentsApiRef);
  const {
    value: environments,
    loading,
    error,
  } = useAsync(
    () => environmentsApi.listEnvironments({ service }),
    [environmentsApi, service],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (environments?.length) {
    body = (
      <>
        <EnvironmentsTable environments={environments} showService={false} />
        <InfoCard>
          <AddEnvironmentHint none={false} />
        </InfoCard>
      </>
    );
  } else {
    body = (
      <InfoCard title="Environments">
        <AddEnvironmentHint none />
      </InfoCard>
    );
  }
  return <div className={classes.root}>{body}</div>;
}
