import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createEnvironmentConditionalDecision,
  environmentConditions,
} from '@internal/plugin-environments-backend';
import { ENVIRONMENT_RESOURCE_TYPE } from '@internal/plugin-environments-common';

/**
 * Paved's permission policy. Anyone signed in may view everything. Changing
 * an environment (apply, extend, destroy, reading its credentials) is for
 * members of the owning group and of the platform team; everyone else gets
 * 403 with a message from the environments plugin.
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly userInfo: UserInfoService,
    private readonly platformGroups: string[],
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isResourcePermission(request.permission, ENVIRONMENT_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const { ownershipEntityRefs } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.some(ref => this.platformGroups.includes(ref))) {
      return { result: AuthorizeResult.ALLOW };
    }
    return createEnvironmentConditionalDecision(
      request.permission,
      environmentConditions.isEnvironmentOwner({ claims: ownershipEntityRefs }),
    );
  }
}

/** `paved.permission.platformGroups`, default the platform team. */
export function readPlatformGroups(config: Config) {
  return (
    config.getOptionalStringArray('paved.permission.platformGroups') ?? [
      'group:default/platform',
    ]
  );
}

/** Installs {@link PavedPermissionPolicy} in the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new PavedPermissionPolicy(userInfo, readPlatformGroups(config)),
        );
      },
    });
  },
});
