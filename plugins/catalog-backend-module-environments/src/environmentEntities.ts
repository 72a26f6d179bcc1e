import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  Environment,
  environmentEntityName,
  ModuleOption,
} from '@internal/plugin-environments-common';

/** The annotations an environment's Resource entity carries. */
export const ENVIRONMENT_ANNOTATIONS = {
  id: 'paved.dev/environment-id',
  status: 'paved.dev/environment-status',
  expiresAt: 'paved.dev/expires-at',
  lastRun: 'paved.dev/last-run',
  drift: 'paved.dev/drift',
} as const;

/**
 * The entities of one environment: a Resource of type `environment`, owned by
 * the service's owner, depending on one Resource per provisioned building
 * block, and a dependency of the service. Never secrets: only the public
 * outputs (names, hosts, ports).
 */
export function environmentEntities(
  env: Environment,
  appBaseUrl: string,
  modules: Map<string, ModuleOption> = new Map(),
): Entity[] {
  const service = parseEntityRef(env.service);
  const namespace = service.namespace;
  const envName = environmentEntityName(service.name, env.name);
  const page = `${appBaseUrl}/environments/${env.id}`;
  const managed = {
    [ANNOTATION_LOCATION]: `url:${page}`,
    [ANNOTATION_ORIGIN_LOCATION]: `url:${page}`,
  };
  const lastRun = env.lastRun
    ? `${env.lastRun.kind} ${env.lastRun.status} ${
        env.lastRun.finishedAt ?? env.lastRun.createdAt
      }`
    : 'none';
  const parts = env.resources.map(resource => {
    // A module no longer approved keeps its environments in the catalog.
    const {
      resourceType: type,
      title,
      module,
    } = modules.get(resource) ?? {
      resourceType: 'resource',
      title: resource,
      module: resource,
    };
    const facts = Object.entries(env.outputs)
      .filter(([key]) => key.startsWith(`${resource}_`))
      .map(([key, value]) => `${key.slice(resource.length + 1)}: ${value}`)
      .join(', ');
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `${envName}.${resource}`,
        namespace,
        title: `${title} of ${service.name} (${env.name})`,
        description: facts || `${title}, not provisioned yet`,
        annotations: { ...managed, [ENVIRONMENT_ANNOTATIONS.id]: env.id },
        links: [{ url: page, title: 'Environment' }],
      },
      spec: {
        type,
        owner: env.owner,
        dependencyOf: [`resource:${namespace}/${envName}`],
        // The platform team sees where each module is used.
        dependsOn: [`component:default/terraform-${module}`],
      },
    } satisfies Entity;
  });
  const environment: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: envName,
      namespace,
      title: `${service.name} (${env.name})`,
      description: `The ${env.name} environment of ${
        service.name
      }: ${env.resources.join(', ')}, size ${env.size}`,
      annotations: {
        ...managed,
        [ENVIRONMENT_ANNOTATIONS.id]: env.id,
        [ENVIRONMENT_ANNOTATIONS.status]: env.status,
        [ENVIRONMENT_ANNOTATIONS.expiresAt]: env.expiresAt,
        [ENVIRONMENT_ANNOTATIONS.lastRun]: lastRun,
        [ENVIRONMENT_ANNOTATIONS.drift]: env.drift,
      },
      tags: ['environment', env.name],
      links: [{ url: page, title: 'Environment' }],
    },
    spec: {
      type: 'environment',
      owner: env.owner,
      dependencyOf: [env.service],
      dependsOn: parts.map(p => `resource:${namespace}/${p.metadata.name}`),
    },
  };
  return [environment, ...parts];
}
