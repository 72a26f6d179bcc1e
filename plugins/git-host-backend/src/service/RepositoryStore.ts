import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';

export type Visibility = 'internal' | 'private';
/**
 * What a token may do: `read` or `write` git, or only report deployments
 * of its repository (`deployments:report`, for CI).
 */
export type TokenScope = 'read' | 'write' | 'deployments:report';

/** A repository as the database knows it. */
export interface RepositoryRecord {
  id: string;
  /** First part of its path: the owner's name, e.g. `payments`. */
  namespace: string;
  /** Second part of its path, e.g. `shop`. */
  name: string;
  /** `payments/shop`. */
  fullName: string;
  /** Entity ref of the owning group (or user). */
  owner: string;
  /** The flat name of a repository made before owner segments existed. */
  legacyName?: string;
  /** Its bare repository below the git root. */
  folder: string;
  description?: string;
  visibility: Visibility;
  /** Tags cannot be moved or deleted (the default). */
  protectTags: boolean;
  /** Merging into the default branch needs the head's checks to pass. */
  requireChecks: boolean;
  createdBy: string;
  createdAt: string;
  /** The scaffolder task that created it, so a resumed task can reuse it. */
  createdByTask?: string;
}

/** A git credential as listed to its owner (never the secret itself). */
export interface TokenRecord {
  id: string;
  name: string;
  subject: string;
  /** Set for a deploy token: the repository it reaches, `payments/shop`. */
  repository?: string;
  repositoryId?: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
  revokedBy?: string;
}

const hash = (token: string) =>
  createHash('sha256').update(token).digest('hex');

const iso = (value: unknown) =>
  value === null || value === undefined
    ? undefined
    : new Date(value as string).toISOString();

/** How often a token's last use is written, at most. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Rows of the git host's tables; see migrations/. */
export class RepositoryStore {
  constructor(private readonly db: Knex) {}

  async create(repository: {
    namespace: string;
    name: string;
    owner: string;
    description?: string;
    visibility: Visibility;
    createdBy: string;
    createdByTask?: string;
  }): Promise<RepositoryRecord> {
    const { namespace, name } = repository;
    // One owner per namespace: `payments` cannot be both a group and a user.
    const other = await this.db('git_host_repos')
      .where({ owner_segment: namespace })
      .whereNot({ owner: repository.owner })
      .first();
    if (other) {
      throw new ConflictError(
        `The namespace '${namespace}' belongs to ${other.owner}, not ${repository.owner}`,
      );
    }
    const id = randomUUID();
    try {
      await this.db('git_host_repos').insert({
        id,
        owner_segment: namespace,
        name,
        owner: repository.owner,
        folder: `${namespace}/${name}.git`,
        description: repository.description ?? null,
        visibility: repository.visibility,
        protect_tags: true,
        require_checks: false,
        created_by: repository.createdBy,
        created_by_task: repository.createdByTask ?? null,
        created_at: new Date(),
      });
    } catch (error) {
      if (await this.get(namespace, name)) {
        throw new ConflictError(
          `A repository named '${namespace}/${name}' already exists; choose another name`,
        );
      }
      throw error;
    }
    return this.require(namespace, name);
  }

  /**
   * A repository by its path. `git/<name>` (or `git/<name>.git`) finds a
   * repository of an earlier release by its flat name.
   */
  async get(
    namespace: string,
    name: string,
  ): Promise<RepositoryRecord | undefined> {
    const row =
      namespace === 'git'
        ? await this.db('git_host_repos')
            .where({ legacy_name: name.replace(/\.git$/, '') })
            .first()
        : await this.db('git_host_repos')
            .where({ owner_segment: namespace, name })
            .first();
    return row && toRecord(row);
  }

  async require(namespace: string, name: string): Promise<RepositoryRecord> {
    const repository = await this.get(namespace, name);
    if (!repository) {
      throw new NotFoundError(`No repository named '${namespace}/${name}'`);
    }
    return repository;
  }

  async byId(id: string): Promise<RepositoryRecord | undefined> {
    const row = await this.db('git_host_repos').where({ id }).first();
    return row && toRecord(row);
  }

  async byIds(ids: string[]): Promise<RepositoryRecord[]> {
    const rows = await this.db('git_host_repos').whereIn('id', ids);
    return rows.map(toRecord);
  }

  async list(): Promise<RepositoryRecord[]> {
    const rows = await this.db('git_host_repos').orderBy([
      'owner_segment',
      'name',
    ]);
    return rows.map(toRecord);
  }

  async update(
    id: string,
    changes: Partial<
      Pick<RepositoryRecord, 'protectTags' | 'visibility' | 'requireChecks'>
    >,
  ) {
    const row: Record<string, unknown> = {};
    if (changes.protectTags !== undefined) {
      row.protect_tags = changes.protectTags;
    }
    if (changes.visibility !== undefined) row.visibility = changes.visibility;
    if (changes.requireChecks !== undefined) {
      row.require_checks = changes.requireChecks;
    }
    await this.db('git_host_repos').where({ id }).update(row);
  }

  async delete(id: string) {
    await this.db.transaction(async tx => {
      await tx('git_host_access_tokens').where({ repository_id: id }).delete();
      await tx('git_host_change_requests')
        .where({ repository_id: id })
        .delete();
      await tx('git_host_commit_statuses')
        .where({ repository_id: id })
        .delete();
      await tx('git_host_repos').where({ id }).delete();
    });
  }

  /** Issues a token; only its hash is stored, so it is shown once. */
  async issueToken(grant: {
    name: string;
    subject: string;
    repositoryId?: string;
    scope: TokenScope;
    expiresAt: Date;
  }): Promise<{ token: string; record: TokenRecord }> {
    const token = `paved_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await this.db('git_host_access_tokens').insert({
      id,
      token_hash: hash(token),
      name: grant.name,
      subject: grant.subject,
      repository_id: grant.repositoryId ?? null,
      scope: grant.scope,
      created_at: new Date(),
      expires_at: grant.expiresAt,
    });
    return { token, record: (await this.token(id))! };
  }

  /** The token behind a secret, whatever its state (expired, revoked). */
  async findToken(secret: string): Promise<TokenRecord | undefined> {
    const row = await this.tokens()
      .where({ 't.token_hash': hash(secret) })
      .first();
    return row && toToken(row);
  }

  async token(id: string): Promise<TokenRecord | undefined> {
    const row = await this.tokens().where({ 't.id': id }).first();
    return row && toToken(row);
  }

  /** A user's own tokens, newest first. */
  async tokensOf(subject: string): Promise<TokenRecord[]> {
    const rows = await this.tokens()
      .where({ 't.subject': subject })
      .orderBy('t.created_at', 'desc');
    return rows.map(toToken);
  }

  /** A repository's deploy tokens, newest first. */
  async deployTokensOf(repositoryId: string): Promise<TokenRecord[]> {
    const rows = await this.tokens()
      .where({ 't.repository_id': repositoryId })
      // A pipeline job's own token lives as long as the job.
      .andWhereNot('t.subject', 'like', 'pipeline:%')
      .orderBy('t.created_at', 'desc');
    return rows.map(toToken);
  }

  /** Removes a pipeline job's token when the job ends. */
  async deleteToken(id: string) {
    await this.db('git_host_access_tokens').where({ id }).delete();
  }

  async revokeToken(id: string, by: string) {
    await this.db('git_host_access_tokens')
      .where({ id })
      .whereNull('revoked_at')
      .update({ revoked_at: new Date(), revoked_by: by });
  }

  /** Records a use; written at most once a minute per token. */
  async touchToken(token: TokenRecord, now = new Date()) {
    const last = token.lastUsedAt ? Date.parse(token.lastUsedAt) : 0;
    if (now.getTime() - last < LAST_USED_RESOLUTION_MS) {
      return;
    }
    await this.db('git_host_access_tokens')
      .where({ id: token.id })
      .update({ last_used_at: now });
  }

  private tokens() {
    return this.db('git_host_access_tokens as t')
      .leftJoin('git_host_repos as r', 'r.id', 't.repository_id')
      .select(
        't.*',
        this.db.raw(
          "CASE WHEN r.id IS NULL THEN NULL ELSE r.owner_segment || '/' || r.name END as repository_path",
        ),
      );
  }
}

function toRecord(row: any): RepositoryRecord {
  return {
    id: row.id,
    namespace: row.owner_segment,
    name: row.name,
    fullName: `${row.owner_segment}/${row.name}`,
    owner: row.owner,
    legacyName: row.legacy_name ?? undefined,
    folder: row.folder,
    description: row.description ?? undefined,
    visibility: row.visibility === 'private' ? 'private' : 'internal',
    // SQLite returns booleans as 0/1.
    protectTags: Boolean(row.protect_tags ?? true),
    requireChecks: Boolean(row.require_checks),
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    createdByTask: row.created_by_task ?? undefined,
  };
}

function toToken(row: any): TokenRecord {
  return {
    id: row.id,
    name: row.name,
    subject: row.subject,
    repositoryId: row.repository_id ?? undefined,
    repository: row.repository_path ?? undefined,
    scope:
      row.scope === 'read' || row.scope === 'deployments:report'
        ? row.scope
        : 'write',
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at)!,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
    revokedBy: row.revoked_by ?? undefined,
  };
}
