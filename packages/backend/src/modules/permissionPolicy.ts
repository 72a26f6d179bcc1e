import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  catalogEntityDeletePermission,
  catalogEntityRefreshPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isPermission,
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
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  createEnvironmentConditionalDecision,
  environmentConditions,
} from '@internal/plugin-environments-backend';
import {
  ENVIRONMENT_RESOURCE_TYPE,
  environmentAuditReadPermission,
  environmentOverridePermission,
} from '@internal/plugin-environments-common';
import { decideGitRepositoryPermission } from '@internal/plugin-git-host-backend';
import { GIT_REPOSITORY_RESOURCE_TYPE } from '@internal/plugin-git-host-common';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Paved's permission policy. Anyone signed in may view everything and
 * register their own components. What changes something that belongs to a
 * team is for that team and the platform team (`paved.permission.platformGroups`):
 *
 * - environments: apply, extend, destroy, read credentials (owner rule of the
 *   environments plugin); overriding what an environment's state refuses is
 *   for the platform team only;
 * - catalog entities: delete and refresh (the catalog's `isEntityOwner`), so
 *   nobody can delete another team's entity, or a User, to replace it;
 * - catalog locations: unregistering is for the platform team only, as a
 *   location may hold any team's entities;
 * - scaffolder tasks: a user sees and cancels their own; the platform team
 *   sees all;
 * - repositories on the git host: their owning group creates them, pushes,
 *   merges and issues their tokens; everyone signed in reads an internal
 *   repository, only the owners a private one.
 *
 * Which kinds a registered location may define at all (never User or Group)
 * is the catalog's own `catalog.rules` in app-config.yaml.
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
    const { permission } = request;
    if (!this.isGuarded(request)) {
      return ALLOW;
    }
    if (!user) {
      return DENY;
    }
    const { userEntityRef, ownershipEntityRefs } =
      await this.userInfo.getUserInfo(user.credentials);
    if (ownershipEntityRefs.some(ref => this.platformGroups.includes(ref))) {
      return ALLOW;
    }
    if (isResourcePermission(permission, ENVIRONMENT_RESOURCE_TYPE)) {
      return createEnvironmentConditionalDecision(
        permission,
        environmentConditions.isEnvironmentOwner({
          claims: ownershipEntityRefs,
        }),
      );
    }
    if (isResourcePermission(permission, GIT_REPOSITORY_RESOURCE_TYPE)) {
      return decideGitRepositoryPermission(permission, ownershipEntityRefs);
    }
    if (
      isPermission(permission, catalogEntityDeletePermission) ||
      isPermission(permission, catalogEntityRefreshPermission)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: ownershipEntityRefs }),
      );
    }
    if (
      isPermission(permission, taskReadPermission) ||
      isPermission(permission, taskCancelPermission)
    ) {
      return createScaffolderTaskConditionalDecision(
        permission,
        scaffolderTaskConditions.isTaskOwner({ createdBy: [userEntityRef] }),
      );
    }
    // catalog.location.delete, environment.override, environment.audit.read
    return DENY;
  }

  /** Whether the request is one this policy restricts. */
  private isGuarded({ permission }: PolicyQuery) {
    return (
      isResourcePermission(permission, ENVIRONMENT_RESOURCE_TYPE) ||
      isResourcePermission(permission, GIT_REPOSITORY_RESOURCE_TYPE) ||
      isPermission(permission, catalogEntityDeletePermission) ||
      isPermission(permission, catalogEntityRefreshPermission) ||
      isPermission(permission, catalogLocationDeletePermission) ||
      isPermission(permission, environmentOverridePermission) ||
      isPermission(permission, environmentAuditReadPermission) ||
      isPermission(permission, taskReadPermission) ||
      isPermission(permission, taskCancelPermission)
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
