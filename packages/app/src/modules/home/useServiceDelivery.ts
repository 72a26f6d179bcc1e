import { useApi } from '@backstage/frontend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  Deployment,
  deploymentsApiRef,
  gitHostApiRef,
  gitHostRepositoryOf,
  Pipeline,
} from '@internal/plugin-git-host';
import useAsync from 'react-use/esm/useAsync';

/**
 * How many services the card asks about: two requests each, so a team with
 * many services does not slow the home page down.
 */
export const DELIVERY_SERVICES = 10;

/** A service's last pipeline and last deployment, when it has them. */
export type ServiceDelivery = { pipeline?: Pipeline; deployment?: Deployment };

/**
 * The last pipeline (of services whose source is on the git host) and the
 * last deployment of the first {@link DELIVERY_SERVICES} services, by entity
 * ref. What cannot be read (a private repository) is left out.
 */
export function useServiceDelivery(entities: Entity[] | undefined) {
  const gitHostApi = useApi(gitHostApiRef);
  const deploymentsApi = useApi(deploymentsApiRef);
  return useAsync(async () => {
    const delivery = new Map<string, ServiceDelivery>();
    await Promise.all(
      (entities ?? []).slice(0, DELIVERY_SERVICES).map(async entity => {
        const service = stringifyEntityRef(entity);
        const repository = gitHostRepositoryOf(entity);
        const [pipelines, deployments] = await Promise.all([
          repository &&
            gitHostApi
              .listPipelines(repository, { limit: 1 })
              .catch(() => undefined),
          deploymentsApi
            .listDeployments({ service, limit: 1 })
            .catch(() => undefined),
        ]);
        delivery.set(service, {
          pipeline: pipelines?.items[0],
          deployment: deployments?.[0],
        });
      }),
    );
    return delivery;
  }, [entities, gitHostApi, deploymentsApi]);
}
