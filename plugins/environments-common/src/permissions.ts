import { createPermission } from '@backstage/plugin-permission-common';

/** The permission resource type of an environment. */
export const ENVIRONMENT_RESOURCE_TYPE = 'environment';

/** Plan, apply and extend an environment (and ask for a new one). */
export const environmentUpdatePermission = createPermission({
  name: 'environment.update',
  attributes: { action: 'update' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Destroy an environment, or preview what a destroy would remove. */
export const environmentDestroyPermission = createPermission({
  name: 'environment.destroy',
  attributes: { action: 'delete' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Reveal an environment's sensitive outputs (credentials). */
export const environmentSecretsReadPermission = createPermission({
  name: 'environment.secrets.read',
  attributes: { action: 'read' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Do what an environment's state would otherwise refuse, e.g. apply one
 * whose destroy was interrupted. For the platform team.
 */
export const environmentOverridePermission = createPermission({
  name: 'environment.override',
  attributes: { action: 'update' },
});

/** Read the audit trail of every environment. For the platform team. */
export const environmentAuditReadPermission = createPermission({
  name: 'environment.audit.read',
  attributes: { action: 'read' },
});

/** The permissions on one environment (its resource type's). */
export const environmentPermissions = [
  environmentUpdatePermission,
  environmentDestroyPermission,
  environmentSecretsReadPermission,
];
