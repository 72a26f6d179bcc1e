import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { ENVIRONMENT_RESOURCE_TYPE } from '@internal/plugin-environments-common';
import { z } from 'zod';

/** What the permission rules see of an environment. */
export type EnvironmentResourceView = { id: string; owner: string };

/** Query criteria the rules translate to (list filtering). */
export type EnvironmentQuery = { owner: string[] };

/** The environment resource type in the permission framework. */
export const environmentResourceRef = createPermissionResourceRef<
  EnvironmentResourceView,
  EnvironmentQuery
>().with({ pluginId: 'environments', resourceType: ENVIRONMENT_RESOURCE_TYPE });

/** Allows when the environment's owner is one of the user's ownership refs. */
export const isEnvironmentOwner = createPermissionRule({
  name: 'IS_ENVIRONMENT_OWNER',
  description: "Allow when the user is in the environment's owning group",
  resourceRef: environmentResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Ownership entity refs of the user, e.g. group:default/team-a'),
  }),
  apply: (resource, { claims }) => claims.includes(resource.owner),
  toQuery: ({ claims }) => ({ owner: claims }),
});

/** Conditions for permission policies, e.g. `environmentConditions.isEnvironmentOwner({ claims })`. */
export const {
  conditions: environmentConditions,
  createConditionalDecision: createEnvironmentConditionalDecision,
} = createConditionExports({
  resourceRef: environmentResourceRef,
  rules: { isEnvironmentOwner },
});

const PROSPECTIVE = 'new-environment-owned-by:';

/**
 * The resource ref of an environment that is being asked for and does not
 * exist yet: the policy judges it by its owner like any other.
 */
export function prospectiveEnvironmentRef(owner: string) {
  return `${PROSPECTIVE}${owner}`;
}

/** Resolves resource refs for the permission framework's conditional decisions. */
export async function loadEnvironmentResources(
  refs: string[],
  load: (ids: string[]) => Promise<Array<EnvironmentResourceView | undefined>>,
): Promise<Array<EnvironmentResourceView | undefined>> {
  const stored = await load(refs.filter(r => !r.startsWith(PROSPECTIVE)));
  const byId = new Map(stored.filter(Boolean).map(e => [e!.id, e!]));
  return refs.map(ref =>
    ref.startsWith(PROSPECTIVE)
      ? { id: ref, owner: ref.slice(PROSPECTIVE.length) }
      : byId.get(ref),
  );
}
