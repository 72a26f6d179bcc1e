import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  parseEntityRef,
  RELATION_MEMBER_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { RepositoryRecord } from './RepositoryStore';

/**
 * Who is asking: a user with the entity refs they act for (themselves and
 * their groups), or another Backstage plugin acting as itself.
 */
export type Caller =
  | { type: 'user'; userEntityRef: string; claims: string[] }
  | { type: 'service'; subject: string };

/** How a caller reads in logs and audit events. */
export function callerName(caller: Caller) {
  return caller.type === 'user' ? caller.userEntityRef : caller.subject;
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

const same = (a: string, b: string) =>
  a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/**
 * Write access to the git host follows ownership in the catalog: members of
 * a repository's owning group (and the owner itself, for a user) may push
 * to it and issue its deploy tokens; the platform team may do everything.
 * Anyone signed in may read. Other Backstage plugins, acting as themselves,
 * are trusted like the platform team.
 */
export class RepositoryAccess {
  constructor(
    private readonly deps: {
      userInfo: UserInfoService;
      catalog: CatalogService;
      auth: AuthService;
      platformGroups: string[];
    },
  ) {}

  static platformGroups(config: Config) {
    return (
      config.getOptionalStringArray('paved.permission.platformGroups') ?? [
        'group:default/platform',
      ]
    );
  }

  /** The caller behind Backstage credentials (a user token or a plugin's). */
  async fromCredentials(credentials: BackstageCredentials): Promise<Caller> {
    if (this.deps.auth.isPrincipal(credentials, 'user')) {
      const info = await this.deps.userInfo.getUserInfo(credentials);
      return {
        type: 'user',
        userEntityRef: info.userEntityRef,
        claims: info.ownershipEntityRefs,
      };
    }
    const principal = credentials.principal as { subject?: string };
    return { type: 'service', subject: principal.subject ?? 'service' };
  }

  /**
   * The caller behind a portal-issued git token, which names only its user:
   * their groups come from the catalog now, so a user who left a team loses
   * its repositories with the same token.
   */
  async fromUserRef(userEntityRef: string): Promise<Caller> {
    const entity = await this.deps.catalog.getEntityByRef(userEntityRef, {
      credentials: await this.deps.auth.getOwnServiceCredentials(),
    });
    const groups =
      entity?.relations
        ?.filter(r => r.type === RELATION_MEMBER_OF)
        .map(r => r.targetRef) ?? [];
    return { type: 'user', userEntityRef, claims: [userEntityRef, ...groups] };
  }

  isPlatform(caller: Caller) {
    return (
      caller.type === 'service' ||
      caller.claims.some(ref =>
        this.deps.platformGroups.some(group => same(group, ref)),
      )
    );
  }

  /** Whether the caller may act for `owner` (make a repository for it). */
  mayActFor(caller: Caller, owner: string) {
    return (
      this.isPlatform(caller) ||
      (caller.type === 'user' && caller.claims.some(ref => same(ref, owner)))
    );
  }

  mayWrite(caller: Caller, repository: RepositoryRecord) {
    return this.mayActFor(caller, repository.owner);
  }

  /** 403 unless the caller may write; the message says who may. */
  assertWrite(caller: Caller, repository: RepositoryRecord, verb: string) {
    if (!this.mayWrite(caller, repository)) {
      throw new NotAllowedError(writeRefusal(repository, verb));
    }
  }

  /** 403 unless the caller is in the platform team. */
  assertPlatform(caller: Caller, verb: string) {
    if (!this.isPlatform(caller)) {
      throw new NotAllowedError(`Only the platform team may ${verb}`);
    }
  }
}

/** Why a write was refused, naming who may do it. */
export function writeRefusal(repository: RepositoryRecord, verb: string) {
  return `Only members of ${repository.owner} or the platform team may ${verb} '${repository.name}'`;
}
