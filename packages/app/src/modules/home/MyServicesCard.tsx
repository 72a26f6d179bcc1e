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
import { environmentsApiRef } from '@internal/plugin-environments';
import { Environment } from '@internal/plugin-environments-common';
import { ButtonLink } from '@backstage/ui';
import { makeStyles, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { useMyOwnership } from './useMyOwnership';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1, 2),
    alignItems: 'baseline',
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  meta: { color: theme.palette.text.secondary },
}));

/** One line about a service's environments: names and states. */
function environmentsText(environments: Environment[]) {
  if (!environments.length) return 'no environments';
  return environments.map(e => `${e.name}: ${e.status}`).join(', ');
}

/**
 * The services (components) the signed-in person's teams own, each with
 * what it is and the state of its environments.
 */
export function MyServicesCard() {
  const classes = useStyles();
  const catalogApi = useApi(catalogApiRef);
  const environmentsApi = useApi(environmentsApiRef);
  const ownership = useMyOwnership();
  const { value, loading, error } = useAsync(async () => {
    if (!ownership.value) return undefined;
    const [{ items }, environments] = await Promise.all([
      catalogApi.getEntities({
        filter: {
          kind: 'component',
          'relations.ownedBy': ownership.value,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.type',
          'spec.lifecycle',
        ],
        order: { field: 'metadata.name', order: 'asc' },
      }),
      environmentsApi.listEnvironments(),
    ]);
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
  }, [ownership.value, catalogApi, environmentsApi]);

  return (
    <InfoCard title="My services" subheader="Owned by you and your teams">
      {(loading || ownership.loading) && <Progress />}
      {(error ?? ownership.error) && (
        <ResponseErrorPanel error={(error ?? ownership.error)!} />
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
