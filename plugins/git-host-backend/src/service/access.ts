import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  gitRepositoryAdminPermission,
  gitRepositoryCreatePermission,
  gitRepositoryReadPermission,
  gitRepositoryWritePermission,
} from '@internal/plugin-git-host-common';
import { Request } from 'express';
import {
  RepositoryRecord,
  RepositoryStore,
  TokenRecord,
} from './RepositoryStore';
import { gitRepositoryRules, RepositoryResourceView } from './permissions';

/**
 * Who is asking: a user (with a Backstage token, or a git token the portal
 * issued them), a deploy token, or another Backstage plugin or integration
 * acting as itself.
 */
export type Caller =
  | {
      type: 'user';
      userEntityRef: string;
      /** The user and their groups. */
      claims: string[];
      /** Set when the user came with a Backstage token. */
      credentials?: BackstageCredentials;
      /** Set when the user came with a git token. */
      token?: TokenRecord;
    }
  | { type: 'deploy-token'; token: TokenRecord }
  | { type: 'service'; subject: string; credentials: BackstageCredentials };

/** How a caller reads in logs and audit events. */
export function callerName(caller: Caller) {
  if (caller.type === 'user') return caller.userEntityRef;
  if (caller.type === 'deploy-token') {
    return `deploy-token:${caller.token.name} (${caller.token.id}, issued by ${caller.token.subject})`;
  }
  return caller.subject;
}

/** An owner as the git host stores it: a full entity ref, group by default. */
export function normalizeOwner(owner: unknown): string {
  if (typeof owner !== 'string' || !owner) {
    throw new InputError(
      'owner is required: the entity ref of the owning group or user',
    );
  }
  let ref;
  try {
    ref = parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch {
    throw new InputError(
      `Invalid owner '${owner}': use an entity ref such as group:default/payments`,
    );
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `Invalid owner '${owner}': a repository belongs to a group or a user`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

export type RepositoryAction = 'create' | 'read' | 'write' | 'admin';

const PERMISSIONS: Record<RepositoryAction, ResourcePermission> = {
  create: gitRepositoryCreatePermission,
  read: gitRepositoryReadPermission,
  write: gitRepositoryWritePermission,
  admin: gitRepositoryAdminPermission,
};

const VERBS: Record<RepositoryAction, string> = {
  create: 'create repositories for',
  read: 'read',
  write: 'push to or merge into',
  admin: 'administer (tokens, settings)',
};

const same = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** The secret in an Authorization header: Bearer, Gitea's `token`, or Basic's password. */
export function secretFrom(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (space < 0 || !value) return undefined;
  if (scheme === 'bearer' || scheme === 'token') return value;
  if (scheme === 'basic') {
    // git sends user:password; the password is the credential.
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1) || undefined;
  }
  return undefined;
}

/**
 * Who may do what on the git host, decided by Backstage's permission
 * framework: the git host asks the permission policy (Paved's is in
 * packages/backend/src/modules/permissionPolicy.ts) for a decision on its
 * repository resource type, and applies its conditions (the rules in
 * ./permissions.ts) to the repository in hand.
 *
 * git itself sends no Backstage token, only a git token the portal issued.
 * Such a token stands for its user: their groups come from the catalog at
 * each request, and the same owner rule decides (members of the owning
 * group and the platform team write; internal repositories are read by
 * everyone signed in). A deploy token reaches its one repository, for
 * reading or for reading and writing.
 */
export class RepositoryAccess {
  private readonly isAllowed = createConditionAuthorizer(gitRepositoryRules);

  constructor(
    private readonly deps: {
      userInfo: UserInfoService;
      catalog: CatalogService;
      auth: AuthService;
      permissions: PermissionsService;
      store: RepositoryStore;
      platformGroups: string[];
      now?: () => Date;
    },
  ) {}

  static platformGroups(config: Config) {
    return (
      config.getOptionalStringArray('paved.permission.platformGroups') ?? [
        'group:default/platform',
      ]
    );
  }

  /**
   * The caller behind a request's Authorization header; 401 for none, for
   * an unknown one, and for an expired or revoked git token (saying which).
   */
  async fromRequest(req: Request): Promise<Caller> {
    const secret = secretFrom(req);
    if (!secret) {
      throw new AuthenticationError(
        'Sign in: send a Backstage token, or a Paved git token as the password (issue one on the Repositories page)',
      );
    }
    if (secret.startsWith('paved_')) {
      return this.fromToken(secret);
    }
    let credentials: BackstageCredentials;
    try {
      credentials = await this.deps.auth.authenticate(secret);
    } catch {
      throw new AuthenticationError('Invalid or expired credential');
    }
    if (this.deps.auth.isPrincipal(credentials, 'user')) {
      const info = await this.deps.userInfo.getUserInfo(credentials);
      return {
        type: 'user',
        userEntityRef: info.userEntityRef,
        claims: info.ownershipEntityRefs,
        credentials,
      };
    }
    if (this.deps.auth.isPrincipal(credentials, 'service')) {
      return {
        type: 'service',
        subject: credentials.principal.subject,
        credentials,
      };
    }
    throw new AuthenticationError('Sign in to use the git host');
  }

  private async fromToken(secret: string): Promise<Caller> {
    const token = await this.deps.store.findToken(secret);
    if (!token) {
      throw new AuthenticationError('Unknown git token');
    }
    if (token.revokedAt) {
      throw new AuthenticationError(
        `This git token ('${token.name}') was revoked on ${token.revokedAt}; issue a new one on the Repositories page`,
      );
    }
    const now = this.deps.now?.() ?? new Date();
    if (Date.parse(token.expiresAt) <= now.getTime()) {
      throw new AuthenticationError(
        `This git token ('${token.name}') expired on ${token.expiresAt}; issue a new one on the Repositories page`,
      );
    }
    await this.deps.store.touchToken(token, now);
    if (token.repositoryId) {
      return { type: 'deploy-token', token };
    }
    return { ...(await this.fromUserRef(token.subject)), token };
  }

  /**
   * A user by entity ref, with their groups from the catalog now: a user
   * who left a team loses its repositories with the same token.
   */
  async fromUserRef(userEntityRef: string): Promise<Caller & { type: 'user' }> {
    const entity = await this.deps.catalog.getEntityByRef(userEntityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      // Someone who left the organization: their tokens end with them.
      throw new AuthenticationError(
        `${userEntityRef} is no longer in the catalog; their git tokens no longer work`,
      );
    }
    const groups =
      entity.relations
        ?.filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef) ?? [];
    return { type: 'user', userEntityRef, claims: [userEntityRef, ...groups] };
  }

  isPlatform(caller: Caller) {
    return (
      isPlugin(caller) ||
      (caller.type === 'user' &&
        caller.claims.some(ref =>
          this.deps.platformGroups.some(group => same(group, ref)),
        ))
    );
  }

  /**
   * A checker for one action on many repositories, with one policy
   * decision: `(repository) => boolean`.
   */
  async checker(
    caller: Caller,
    action: RepositoryAction,
  ): Promise<
    (
      repository: RepositoryResourceView & { id?: string; createdBy?: string },
    ) => boolean
  > {
    if (caller.type === 'service') {
      // Backstage's permission framework allows plugins and integrations
      // acting as themselves (within their access restrictions).
      const [decision] = await this.deps.permissions.authorizeConditional(
        [{ permission: PERMISSIONS[action] }],
        { credentials: caller.credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) return () => false;
      if (isPlugin(caller)) return () => true;
      // An integration's static token (Backstage's Gitea integration) acts
      // for whoever runs Backstage's code: a catalog location, a template's
      // fetch, publish:gitea. It reads internal repositories, creates new
      // ones and writes to those it made; a private repository stays with
      // its owners.
      return repository =>
        action === 'create' ||
        (action === 'read' && repository.visibility === 'internal') ||
        (action !== 'admin' && repository.createdBy === caller.subject);
    }
    if (caller.type === 'deploy-token') {
      const { token } = caller;
      // A deployments:report token reaches no git at all.
      const allowed =
        (action === 'read' && token.scope !== 'deployments:report') ||
        (action === 'write' && token.scope === 'write');
      return repository =>
        allowed && (repository as { id?: string }).id === token.repositoryId;
    }
    if (caller.credentials) {
      const [decision] = await this.deps.permissions.authorizeConditional(
        [{ permission: PERMISSIONS[action] }],
        { credentials: caller.credentials },
      );
      return repository => this.isAllowed(decision, repository);
    }
    // A git token: the owner rule, with the user's groups from the catalog.
    const platform = this.isPlatform(caller);
    return repository =>
      platform ||
      caller.claims.some(ref => same(ref, repository.owner)) ||
      (action === 'read' && repository.visibility === 'internal');
  }

  async may(
    caller: Caller,
    action: RepositoryAction,
    repository: RepositoryRecord | RepositoryResourceView,
  ) {
    return (await this.checker(caller, action))(repository);
  }

  /**
   * 403 unless the caller may; the message says who may. A repository the
   * caller may not even read is a 404, so private names do not leak.
   */
  async assert(
    caller: Caller,
    action: RepositoryAction,
    repository: RepositoryRecord,
  ) {
    if (await this.may(caller, action, repository)) return;
    if (action === 'read' || !(await this.may(caller, 'read', repository))) {
      // As if it did not exist: a private repository's name stays private.
      throw new NotFoundError(`No repository named '${repository.fullName}'`);
    }
    throw new NotAllowedError(refusal(caller, action, repository));
  }

  /** 403 unless the caller may create a repository for `owner`. */
  async assertCreate(caller: Caller, owner: string, fullName: string) {
    const ok = await this.may(caller, 'create', {
      fullName,
      owner,
      visibility: 'private',
    });
    if (!ok) {
      throw new NotAllowedError(
        `Only members of ${owner} or the platform team may create repositories for it`,
      );
    }
  }
}

/** Another Backstage plugin acting as itself (not an external token). */
function isPlugin(caller: Caller) {
  return caller.type === 'service' && caller.subject.startsWith('plugin:');
}

/** Why an action was refused, naming who may do it. */
export function refusal(
  caller: Caller,
  action: RepositoryAction,
  repository: { fullName: string; owner: string },
) {
  if (caller.type === 'deploy-token') {
    return caller.token.repositoryId
      ? `This deploy token ('${caller.token.name}') is for ${caller.token.repository} with ${caller.token.scope} access; it may not ${VERBS[action]} '${repository.fullName}'`
      : `This token may not ${VERBS[action]} '${repository.fullName}'`;
  }
  return `Only members of ${repository.owner} or the platform team may ${VERBS[action]} '${repository.fullName}'`;
}
