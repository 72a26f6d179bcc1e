import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  GIT_REPOSITORY_RESOURCE_TYPE,
  gitRepositoryReadPermission,
} from '@internal/plugin-git-host-common';
import {
  isPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { z } from 'zod';

/** What the permission rules see of a repository. */
export type RepositoryResourceView = {
  fullName: string;
  owner: string;
  visibility: 'internal' | 'private';
};

/** The repository resource type in the permission framework. */
export const gitRepositoryResourceRef = createPermissionResourceRef<
  RepositoryResourceView,
  never
>().with({ pluginId: 'git-host', resourceType: GIT_REPOSITORY_RESOURCE_TYPE });

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Allows when the repository's owner is one of the user's ownership refs. */
export const isRepositoryOwner = createPermissionRule({
  name: 'IS_REPOSITORY_OWNER',
  description: "Allow when the user is in the repository's owning group",
  resourceRef: gitRepositoryResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Ownership entity refs of the user, e.g. group:default/team-a'),
  }),
  apply: (resource, { claims }) =>
    claims.map(lower).includes(lower(resource.owner)),
  toQuery: () => {
    throw new Error('Repositories are filtered in memory');
  },
});

/** Allows when every signed-in user may read the repository. */
export const isRepositoryInternal = createPermissionRule({
  name: 'IS_REPOSITORY_INTERNAL',
  description: 'Allow when the repository is visible to everyone signed in',
  resourceRef: gitRepositoryResourceRef,
  paramsSchema: z.object({}),
  apply: resource => resource.visibility === 'internal',
  toQuery: () => {
    throw new Error('Repositories are filtered in memory');
  },
});

export const gitRepositoryRules = [isRepositoryOwner, isRepositoryInternal];

/**
 * Conditions for permission policies, e.g.
 * `gitRepositoryConditions.isRepositoryOwner({ claims })`.
 */
export const {
  conditions: gitRepositoryConditions,
  createConditionalDecision: createGitRepositoryConditionalDecision,
} = createConditionExports({
  resourceRef: gitRepositoryResourceRef,
  rules: { isRepositoryOwner, isRepositoryInternal },
});

/**
 * Paved's rule for repositories, for a permission policy to return for a
 * user who is not in the platform team: the owning group creates, writes
 * and administers; everyone signed in reads an internal repository.
 */
export function decideGitRepositoryPermission(
  permission: ResourcePermission<typeof GIT_REPOSITORY_RESOURCE_TYPE>,
  ownershipEntityRefs: string[],
): PolicyDecision {
  const isOwner = gitRepositoryConditions.isRepositoryOwner({
    claims: ownershipEntityRefs,
  });
  return createGitRepositoryConditionalDecision(
    permission,
    isPermission(permission, gitRepositoryReadPermission)
      ? { anyOf: [isOwner, gitRepositoryConditions.isRepositoryInternal({})] }
      : isOwner,
  );
}
