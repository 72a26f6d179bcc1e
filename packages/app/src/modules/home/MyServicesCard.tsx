import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { Environment } from '@internal/plugin-environments-common';
import { ButtonLink } from '@backstage/ui';
import { Typography } from '@material-ui/core';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { AsyncState } from 'react-use/esm/useAsyncFn';
import { deploymentText } from './deliveryText';
import { useListStyles } from './listStyles';
import { MyHome } from './useMyHome';
import { ServiceDelivery, useServiceDelivery } from './useServiceDelivery';

/** One line about a service's environments: names and states. */
function environmentsText(environments: Environment[]) {
  if (!environments.length) return 'no environments';
  return environments.map(e => `${e.name}: ${e.status}`).join(', ');
}

/** The last pipeline's status and the last deployment, where known. */
function DeliveryText({ delivery }: { delivery?: ServiceDelivery }) {
  const classes = useListStyles();
  const { pipeline, deployment } = delivery ?? {};
  if (!pipeline && !deployment) return null;
  return (
    <Typography
      variant="body2"
      className={classes.meta}
      data-testid="service-delivery"
    >
      {pipeline && (
        <>
          <Link
            to={`/repositories/${pipeline.repository}/pipelines/${pipeline.number}`}
          >
            pipeline #{pipeline.number}
          </Link>{' '}
          {pipeline.status}
        </>
      )}
      {pipeline && deployment && ' · '}
      {deployment && deploymentText(deployment)}
    </Typography>
  );
}

/**
 * The services (components) the signed-in person's teams own, each with
 * what it is, the state of its environments, and (for the first few) its
 * last pipeline and deployment.
 */
export function MyServicesCard({ home }: { home: AsyncState<MyHome> }) {
  const classes = useListStyles();
  const catalogApi = useApi(catalogApiRef);
  const { value, loading, error } = useAsync(async () => {
    if (!home.value) return undefined;
    const { ownership, environments } = home.value;
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'component', 'relations.ownedBy': ownership },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'metadata.annotations',
        'spec.type',
        'spec.lifecycle',
      ],
      order: { field: 'metadata.name', order: 'asc' },
    });
    const byService = new Map<string, Environment[]>();
    for (const environment of environments) {
      const list = byService.get(environment.service) ?? [];
      list.push(environment);
      byService.set(environment.service, list);
    }
    return items.map((entity: Entity) => ({
      entity,
      environments: byService.get(stringifyEntityRef(entity)) ?? [],
    }));
  }, [home.value, catalogApi]);
  // One list per answer: a new array every render would ask again.
  const entities = useMemo(() => value?.map(({ entity }) => entity), [value]);
  const delivery = useServiceDelivery(entities);

  return (
    <InfoCard title="My services" subheader="Owned by you and your teams">
      {(loading || home.loading) && <Progress />}
      {(error ?? home.error) && (
        <ResponseErrorPanel error={(error ?? home.error)!} />
      )}
      {value && value.length === 0 && (
        <EmptyState
          missing="data"
          title="Your teams own no services yet"
          description="Create one from a golden path: you get a repository, a pipeline and an environment, with your team as the owner."
          action={
            <ButtonLink href="/create" variant="primary">
              Create a service
            </ButtonLink>
          }
        />
      )}
      {value && value.length > 0 && (
        <ul className={classes.list} aria-label="My services">
          {value.map(({ entity, environments }) => (
            <li key={stringifyEntityRef(entity)} className={classes.item}>
              <EntityRefLink entityRef={entity} />
              <Typography variant="body2" className={classes.meta}>
                {[entity.spec?.type, entity.spec?.lifecycle]
                  .filter(Boolean)
                  .join(' · ')}
              </Typography>
              <Typography variant="body2" className={classes.meta}>
                {environmentsText(environments)}
              </Typography>
              <DeliveryText
                delivery={delivery.value?.get(stringifyEntityRef(entity))}
              />
            </li>
          ))}
        </ul>
      )}
      {value && value.length > 0 && (
        <Typography variant="body2">
          <Link to="/catalog?filters[user]=owned">
            All you own in the catalog
          </Link>
        </Typography>
      )}
    </InfoCard>
  );
}
