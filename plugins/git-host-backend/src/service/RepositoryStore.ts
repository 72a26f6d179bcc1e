import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, NotFoundError } from '@backstage/errors';

/** A repository as the database knows it. */
export interface RepositoryRecord {
  name: string;
  owner: string;
  description?: string;
  createdBy: string;
  createdAt: string;
  /** The scaffolder task that created it, so a resumed task can reuse it. */
  createdByTask?: string;
  /** Tags cannot be moved or deleted (the default). */
  protectTags: boolean;
}

/** Who a git credential belongs to and what it may reach. */
export interface TokenGrant {
  subject: string;
  /** Set for a deploy token, which reaches this repository only. */
  repository?: string;
}

const hash = (token: string) =>
  createHash('sha256').update(token).digest('hex');

/** Rows of the git host's tables; see migrations/. */
export class RepositoryStore {
  constructor(private readonly db: Knex) {}

  async create(
    repository: Omit<RepositoryRecord, 'createdAt' | 'protectTags'>,
  ) {
    try {
      await this.db('git_host_repositories').insert({
        name: repository.name,
        owner: repository.owner,
        description: repository.description ?? null,
        created_by: repository.createdBy,
        created_by_task: repository.createdByTask ?? null,
        created_at: new Date(),
      });
    } catch (error) {
      if (await this.get(repository.name)) {
        throw new ConflictError(
          `A repository named '${repository.name}' already exists; choose another name`,
        );
      }
      throw error;
    }
  }

  async get(name: string): Promise<RepositoryRecord | undefined> {
    const row = await this.db('git_host_repositories').where({ name }).first();
    return row && toRecord(row);
  }

  async require(name: string): Promise<RepositoryRecord> {
    const repository = await this.get(name);
    if (!repository) {
      throw new NotFoundError(`No repository named '${name}'`);
    }
    return repository;
  }

  async list(): Promise<RepositoryRecord[]> {
    const rows = await this.db('git_host_repositories').orderBy('name');
    return rows.map(toRecord);
  }

  async update(name: string, patch: { protectTags?: boolean }) {
    if (patch.protectTags !== undefined) {
      await this.db('git_host_repositories')
        .where({ name })
        .update({ protect_tags: patch.protectTags });
    }
  }

  async delete(name: string) {
    await this.db('git_host_repositories').where({ name }).delete();
  }

  /** Issues a token; only its hash is stored, so it is shown once. */
  async issueToken(grant: TokenGrant): Promise<string> {
    const token = `paved_${randomBytes(24).toString('base64url')}`;
    await this.db('git_host_tokens').insert({
      id: randomUUID(),
      token_hash: hash(token),
      repository: grant.repository ?? null,
      subject: grant.subject,
      created_at: new Date(),
    });
    return token;
  }

  async findToken(token: string): Promise<TokenGrant | undefined> {
    const row = await this.db('git_host_tokens')
      .where({ token_hash: hash(token) })
      .first();
    return (
      row && { subject: row.subject, repository: row.repository ?? undefined }
    );
  }
}

function toRecord(row: any): RepositoryRecord {
  return {
    name: row.name,
    owner: row.owner,
    description: row.description ?? undefined,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    createdByTask: row.created_by_task ?? undefined,
    // SQLite returns booleans as 0/1.
    protectTags: Boolean(row.protect_tags ?? true),
  };
}
