import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

/** The annotation prefix: `paved.dev/deployed-<environment>`. */
export const DEPLOYED_ANNOTATION_PREFIX = 'paved.dev/deployed-';

/** Where a component's current deployments come from. */
export interface CurrentDeployments {
  /** Per environment, the last successful deployment, if any. */
  of(service: string): Promise<
    Array<{
      environment: string;
      current?: { commit: string; version?: string; finishedAt: string };
    }>
  >;
}

/** Asks the deployments plugin, as this plugin. */
export class DeploymentsClient implements CurrentDeployments {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async of(service: string) {
    const { discovery, auth } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'deployments',
    });
    const res = await fetch(
      `${await discovery.getBaseUrl(
        'deployments',
      )}/current?service=${encodeURIComponent(service)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!res.ok) return [];
    return (await res.json()).environments ?? [];
  }
}

/**
 * Puts each component's current deployment per environment on the entity,
 * as `paved.dev/deployed-<environment>: <commit> <version> <time>`, so
 * search and scorecards see what runs where. The deployments plugin asks
 * the catalog to refresh a component after each report. A deployments
 * plugin that does not answer leaves the entity as it is.
 */
export class DeploymentAnnotationsProcessor implements CatalogProcessor {
  constructor(private readonly deployments: CurrentDeployments) {}

  getProcessorName() {
    return 'PavedDeploymentAnnotationsProcessor';
  }

  async preProcessEntity(entity: Entity) {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'component') return entity;
    let environments;
    try {
      environments = await this.deployments.of(
        stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
      );
    } catch {
      return entity;
    }
    const annotations: Record<string, string> = {};
    for (const { environment, current } of environments) {
      if (!current || !/^[a-z0-9-]{1,40}$/.test(environment)) continue;
      annotations[`${DEPLOYED_ANNOTATION_PREFIX}${environment}`] = [
        current.commit,
        current.version ?? '-',
        current.finishedAt,
      ].join(' ');
    }
    if (Object.keys(annotations).length === 0) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: { ...entity.metadata.annotations, ...annotations },
      },
    };
  }
}
