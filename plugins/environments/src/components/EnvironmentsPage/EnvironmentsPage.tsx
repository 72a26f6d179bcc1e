import {
  Content,
  EmptyState,
  Link,
  LinkButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Header } from '@backstage/ui';
import { Typography } from '@material-ui/core';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ADD_ENVIRONMENT_TEMPLATE_PATH } from '../common';
import { EnvironmentFilters } from './EnvironmentFilters';
import { EnvironmentsTable } from './EnvironmentsTable';
import { TeamCosts } from './TeamCosts';

function NoEnvironments() {
  return (
    <EmptyState
      missing="content"
      title="No environments yet"
      description="Create one from a golden path, or with the 'Add an environment to an existing service' template on the Create page."
      action={
        <LinkButton
          to={ADD_ENVIRONMENT_TEMPLATE_PATH}
          color="primary"
          variant="contained"
        >
          Add an environment
        </LinkButton>
      }
    />
  );
}

/**
 * Every environment, filtered by owner and status. The filters live in the
 * URL so a filtered list can be shared.
 */
export function EnvironmentsPage() {
  const environmentsApi = useApi(environmentsApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const owner = searchParams.get('owner') ?? '';
  const status = searchParams.get('status') ?? '';
  // The backend leaves destroyed environments out unless they are asked for.
  const showDestroyed = status === 'destroyed';

  const {
    value: environments,
    loading,
    error,
  } = useAsync(
    () =>
      environmentsApi.listEnvironments(
        showDestroyed ? { status: 'destroyed' } : {},
      ),
    [environmentsApi, showDestroyed],
  );

  const setFilter = (name: 'owner' | 'status', value: string) =>
    setSearchParams(
      params => {
        const next = new URLSearchParams(params);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const owners = [
    ...new Set([...(environments ?? []).map(e => e.owner), owner]),
  ]
    .filter(Boolean)
    .sort();
  const shown = (environments ?? []).filter(
    environment =>
      (!owner || environment.owner === owner) &&
      (!status || environment.status === status),
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!environments?.length && !owner && !status) {
    body = <NoEnvironments />;
  } else {
    body = (
      <>
        <EnvironmentFilters
          owners={owners}
          owner={owner}
          status={status}
          onOwnerChange={value => setFilter('owner', value)}
          onStatusChange={value => setFilter('status', value)}
        />
        <EnvironmentsTable
          environments={shown}
          emptyContent={
            <Typography color="textSecondary" align="center">
              No environments match these filters.
            </Typography>
          }
        />
        <TeamCosts owner={owner || undefined} />
      </>
    );
  }

  return (
    <>
      <Header
        title="Service environments"
        description="The databases, caches and queues Paved provisions for services with Terraform: their status, drift, expiry and latest run."
      />
      <Content>
        <Link to="audit">Audit trail</Link> (platform team)
        {body}
      </Content>
    </>
  );
}
