import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { InputError } from '@backstage/errors';

export const STATUS_STATES = [
  'pending',
  'success',
  'error',
  'failure',
  'warning',
] as const;
export type StatusState = (typeof STATUS_STATES)[number];

export interface CommitStatus {
  context: string;
  state: StatusState;
  description?: string;
  targetUrl?: string;
  createdBy: string;
  updatedAt: string;
}

/**
 * Checks reported on commits, as Gitea's commit statuses: one state per
 * commit and context (e.g. `ci/build`), the newest report winning. A
 * repository can require them to pass before a change request merges into
 * its default branch.
 */
export class CommitStatuses {
  constructor(private readonly db: Knex) {}

  async report(
    repositoryId: string,
    sha: string,
    input: {
      state?: unknown;
      context?: unknown;
      description?: unknown;
      target_url?: unknown;
    },
    createdBy: string,
  ): Promise<CommitStatus> {
    const state = input.state;
    if (!STATUS_STATES.includes(state as StatusState)) {
      throw new InputError(`state must be one of ${STATUS_STATES.join(', ')}`);
    }
    const context = input.context ?? 'default';
    if (typeof context !== 'string' || !/^[\w./ :-]{1,255}$/.test(context)) {
      throw new InputError('context must be a short name such as ci/build');
    }
    const description = input.description ?? null;
    if (
      description !== null &&
      (typeof description !== 'string' || description.length > 1000)
    ) {
      throw new InputError(
        'description must be text of at most 1000 characters',
      );
    }
    const targetUrl = input.target_url ?? null;
    if (
      targetUrl !== null &&
      (typeof targetUrl !== 'string' || !/^https?:\/\//.test(targetUrl))
    ) {
      throw new InputError('target_url must be an http(s) URL');
    }
    const row = {
      repository_id: repositoryId,
      sha,
      context,
      state,
      description,
      target_url: targetUrl,
      created_by: createdBy,
      updated_at: new Date(),
    };
    await this.db('git_host_commit_statuses')
      .insert({ id: randomUUID(), ...row })
      .onConflict(['repository_id', 'sha', 'context'])
      .merge([
        'state',
        'description',
        'target_url',
        'created_by',
        'updated_at',
      ]);
    return (await this.of(repositoryId, sha)).find(s => s.context === context)!;
  }

  async of(repositoryId: string, sha: string): Promise<CommitStatus[]> {
    const rows = await this.db('git_host_commit_statuses')
      .where({ repository_id: repositoryId, sha })
      .orderBy('context');
    return rows.map(row => ({
      context: row.context,
      state: row.state,
      description: row.description ?? undefined,
      targetUrl: row.target_url ?? undefined,
      createdBy: row.created_by,
      updatedAt: new Date(row.updated_at).toISOString(),
    }));
  }

  /** Gitea's combined state: failure beats pending beats success. */
  static combined(statuses: CommitStatus[]): StatusState | undefined {
    if (!statuses.length) return undefined;
    for (const state of ['error', 'failure', 'pending', 'warning'] as const) {
      if (statuses.some(s => s.state === state)) return state;
    }
    return 'success';
  }
}
