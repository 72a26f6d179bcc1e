import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
  catalogLocationCreatePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  taskCancelPermission,
  taskCreatePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { environmentDestroyPermission } from '@internal/plugin-environments-common';
import {
  gitRepositoryAdminPermission,
  gitRepositoryCreatePermission,
  gitRepositoryReadPermission,
  gitRepositoryWritePermission,
} from '@internal/plugin-git-host-common';
import { gitRepositoryRules } from '@internal/plugin-git-host-backend';
import { PavedPermissionPolicy } from './permissionPolicy';

const TEAMS: Record<string, string> = {
  'user:default/sofia-marin': 'group:default/checkout',
  'user:default/priya-raman': 'group:default/platform',
};

const policy = new PavedPermissionPolicy(
  {
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: [ref, TEAMS[ref]] };
    },
  },
  ['group:default/platform'],
);

const decide = (permission: Permission, user: string) =>
  policy.handle(
    { permission },
    {
      credentials: mockCredentials.user(user),
      info: { userEntityRef: user, ownershipEntityRefs: [] },
    },
  );

/** Applies a conditional catalog decision to an entity, as the catalog does. */
const allowsEntity = createConditionAuthorizer(Object.values(permissionRules));
const ownedBy = (group: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'shop' },
  relations: [{ type: 'ownedBy', targetRef: group }],
});

describe('PavedPermissionPolicy', () => {
  const sofia = 'user:default/sofia-marin'; // checkout
  const priya = 'user:default/priya-raman'; // platform

  it('lets the platform team do everything it guards', async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogEntityRefreshPermission,
      catalogLocationDeletePermission,
      taskReadPermission,
      taskCancelPermission,
      environmentDestroyPermission,
    ]) {
      expect(await decide(permission, priya)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets anyone read, register and run templates', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      catalogLocationCreatePermission,
      taskCreatePermission,
    ]) {
      expect(await decide(permission, sofia)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it("refuses to delete or refresh another team's entity", async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogEntityRefreshPermission,
    ]) {
      const decision = await decide(permission, sofia);
      expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
      expect(allowsEntity(decision, ownedBy('group:default/payments'))).toBe(
        false,
      );
      expect(allowsEntity(decision, ownedBy('group:default/checkout'))).toBe(
        true,
      );
      // A User entity is owned by nobody: nobody but the platform team
      // deletes one (to replace it with one of their own making).
      expect(
        allowsEntity(decision, {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'sofia-marin' },
          relations: [
            { type: 'memberOf', targetRef: 'group:default/checkout' },
          ],
        }),
      ).toBe(false);
    }
  });

  it('keeps unregistering locations for the platform team', async () => {
    expect(await decide(catalogLocationDeletePermission, sofia)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('shows a user their own scaffolder tasks only, and lets them cancel only those', async () => {
    for (const permission of [taskReadPermission, taskCancelPermission]) {
      const decision = (await decide(permission, sofia)) as PolicyDecision & {
        conditions: unknown;
      };
      expect(decision).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'scaffolder',
        resourceType: 'scaffolder-task',
        conditions: {
          rule: 'IS_TASK_OWNER',
          resourceType: 'scaffolder-task',
          params: { createdBy: [sofia] },
        },
      });
    }
  });

  it("keeps another team's repositories to reading, and private ones to their owners", async () => {
    // The git host applies the decision to the repository in hand with
    // the same rules; here they are applied as it does.
    const allows = createConditionAuthorizer(gitRepositoryRules);
    const repository = (owner: string, visibility: 'internal' | 'private') => ({
      fullName: 'payments/shop',
      owner,
      visibility,
    });
    const read = await decide(gitRepositoryReadPermission, sofia);
    expect(allows(read, repository('group:default/payments', 'internal'))).toBe(
      true,
    );
    expect(allows(read, repository('group:default/payments', 'private'))).toBe(
      false,
    );
    expect(allows(read, repository('group:default/checkout', 'private'))).toBe(
      true,
    );
    for (const permission of [
      gitRepositoryWritePermission,
      gitRepositoryAdminPermission,
      gitRepositoryCreatePermission,
    ]) {
      const decision = await decide(permission, sofia);
      expect(
        allows(decision, repository('group:default/payments', 'internal')),
      ).toBe(false);
      expect(
        allows(decision, repository('group:default/checkout', 'private')),
      ).toBe(true);
    }
    expect(
      await decide(gitRepositoryWritePermission, 'user:default/priya-raman'),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('refuses anything it guards without a user', async () => {
    expect(
      await policy.handle({ permission: catalogEntityDeletePermission }),
    ).toEqual({ result: AuthorizeResult.DENY });
  });
});
