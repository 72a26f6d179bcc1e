import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of a hosted repository (`owner/name`). */
export const GIT_REPOSITORY_RESOURCE_TYPE = 'git-host-repository';

/** Create a repository for an owner. */
export const gitRepositoryCreatePermission = createPermission({
  name: 'git-host.repository.create',
  attributes: { action: 'create' },
  resourceType: GIT_REPOSITORY_RESOURCE_TYPE,
});

/** Clone, fetch and browse a repository. */
export const gitRepositoryReadPermission = createPermission({
  name: 'git-host.repository.read',
  attributes: { action: 'read' },
  resourceType: GIT_REPOSITORY_RESOURCE_TYPE,
});

/** Push to a repository, open and merge its change requests. */
export const gitRepositoryWritePermission = createPermission({
  name: 'git-host.repository.write',
  attributes: { action: 'update' },
  resourceType: GIT_REPOSITORY_RESOURCE_TYPE,
});

/** Issue and revoke a repository's deploy tokens, change its settings, delete it. */
export const gitRepositoryAdminPermission = createPermission({
  name: 'git-host.repository.admin',
  attributes: { action: 'delete' },
  resourceType: GIT_REPOSITORY_RESOURCE_TYPE,
});

/** The permissions on one repository (its resource type's). */
export const gitRepositoryPermissions = [
  gitRepositoryCreatePermission,
  gitRepositoryReadPermission,
  gitRepositoryWritePermission,
  gitRepositoryAdminPermission,
];
