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
