import {
  Content,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Header } from '@backstage/ui';
import { Grid } from '@material-ui/core';
import { useParams, useSearchParams } from 'react-router-dom';
import { rootRouteRef } from '../../routes';
import { entityRefTitle, ErrorAlert } from '../common';
import { ApprovalPanel } from './ApprovalPanel';
import { EnvironmentActions } from './EnvironmentActions';
import { EnvironmentFacts } from './EnvironmentFacts';
import { NextStepHint } from './NextStepHint';
import { OutputsCard } from './OutputsCard';
import { RunsList } from './RunsList';
import { useEnvironmentDetails } from './useEnvironmentDetails';

/** One environment: its facts, outputs, runs and what can be done to it. */
export function EnvironmentDetailsPage() {
  const { id = '' } = useParams();
  const environmentsLink = useRouteRef(rootRouteRef);
  const { environment, runs, error, busy, refresh } = useEnvironmentDetails(id);
  const [params] = useSearchParams();
  const waiting = runs?.find(r => r.status === 'awaiting-approval' && r.gate);

  let body;
  if (environment) {
    body = (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          {error && (
            <ErrorAlert
              title="The environment could not be refreshed"
              error={error}
            />
          )}
          <EnvironmentActions
            environment={environment}
            busy={busy}
            onChange={refresh}
          />
        </Grid>
        {waiting && (
          <Grid item xs={12}>
            <ApprovalPanel run={waiting} onDecided={refresh} />
          </Grid>
        )}
        <Grid item xs={12}>
          <NextStepHint environment={environment} />
        </Grid>
        <Grid item xs={12}>
          <EnvironmentFacts environment={environment} />
        </Grid>
        <Grid item xs={12}>
          <OutputsCard environment={environment} />
        </Grid>
        <Grid item xs={12}>
          <RunsList
            runs={runs ?? []}
            selected={params.get('run') ?? undefined}
          />
        </Grid>
      </Grid>
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    body = <Progress />;
  }

  return (
    <>
      <Header
        title={
          environment
            ? `${environment.name} of ${entityRefTitle(environment.service)}`
            : 'Environment'
        }
      />
      <Content>
        {environmentsLink && (
          <Link to={environmentsLink()}>← All environments</Link>
        )}
        {body}
      </Content>
    </>
  );
}
