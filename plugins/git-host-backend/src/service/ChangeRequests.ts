import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { assertRef, BareRepositories, FileChange } from './BareRepositories';
import { RepositoryRecord } from './RepositoryStore';

/** A change request as stored, with what its branches point at now. */
export interface ChangeRequest {
  id: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergedAt?: string;
  mergedBy?: string;
  mergeCommitSha?: string;
  headRef: string;
  /** Where the source branch points now (or pointed when merged). */
  headSha?: string;
  /** The source branch is gone. */
  headDeleted: boolean;
  baseRef: string;
  baseSha?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

/** A changed file of a change request, with its diff when small enough. */
export interface ChangedFile extends FileChange {
  tooLarge: boolean;
  patch?: string;
}

/** Whether a merge can go ahead (with the merged tree), or why not. */
export type Mergeability =
  | { mergeable: true; tree: string }
  | { mergeable: false; reason: string; conflicts?: string[] };

/** A file's diff above this many bytes is summarized, not shown. */
const MAX_PATCH_BYTES = 256 * 1024;
/** Above this, a change request's diff is read file by file. */
const MAX_TOTAL_PATCH_BYTES = 32 * 1024 * 1024;
/** At most this many files of a change request get their diff. */
const MAX_PATCHED_FILES = 1000;
const MAX_TITLE = 500;
const MAX_BODY = 65_536;

const iso = (value: unknown) =>
  value === null || value === undefined
    ? undefined
    : new Date(value as string).toISOString();

/**
 * Change requests (GitLab's merge requests, Gitea's pull requests): a
 * branch proposed for merging into another, in the same repository. The
 * merge is a real git merge done by the host without a working tree
 * (`git merge-tree`), written with a compare-and-swap of the target branch,
 * so of two merges at once one wins and the other is told to try again,
 * and no commit is ever lost.
 */
export class ChangeRequests {
  constructor(
    private readonly db: Knex,
    private readonly repositories: BareRepositories,
  ) {}

  async open(
    repository: RepositoryRecord,
    request: { title: unknown; body?: unknown; head: unknown; base?: unknown },
    createdBy: string,
  ): Promise<ChangeRequest> {
    const title = typeof request.title === 'string' ? request.title.trim() : '';
    if (!title || title.length > MAX_TITLE || /[\r\n]/.test(title)) {
      throw new InputError(
        `A change request needs a one-line title of at most ${MAX_TITLE} characters`,
      );
    }
    const body = request.body ?? '';
    if (typeof body !== 'string' || body.length > MAX_BODY) {
      throw new InputError(
        `The description must be text of at most ${MAX_BODY} characters`,
      );
    }
    const head = request.head;
    const base = request.base ?? this.repositories.defaultBranch;
    assertRef(head);
    assertRef(base);
    if (head === base) {
      throw new InputError(
        `A change request merges one branch into another; '${head}' is both`,
      );
    }
    const folder = repository.folder;
    const headSha = await this.repositories.branchHead(folder, head);
    if (!headSha) {
      throw new InputError(
        `No branch '${head}' in ${repository.fullName}: push it first`,
      );
    }
    const baseSha = await this.repositories.branchHead(folder, base);
    if (!baseSha) {
      throw new InputError(`No branch '${base}' in ${repository.fullName}`);
    }
    const existing = await this.db('git_host_change_requests')
      .where({
        repository_id: repository.id,
        head_ref: head,
        base_ref: base,
        state: 'open',
      })
      .first();
    if (existing) {
      throw new ConflictError(
        `Change request !${existing.number} already proposes '${head}' for '${base}'; update it instead`,
      );
    }
    const now = new Date();
    // Numbers count per repository; the unique index makes a race retry.
    for (let attempt = 0; ; attempt++) {
      const last = await this.db('git_host_change_requests')
        .where({ repository_id: repository.id })
        .max({ n: 'number' })
        .first();
      const number = Number(last?.n ?? 0) + 1;
      try {
        await this.db('git_host_change_requests').insert({
          id: randomUUID(),
          repository_id: repository.id,
          number,
          title,
          body,
          head_ref: head,
          base_ref: base,
          state: 'open',
          merged: false,
          created_by: createdBy,
          created_at: now,
          updated_at: now,
        });
        return this.get(repository, number);
      } catch (error) {
        if (attempt >= 5) throw error;
      }
    }
  }

  async list(
    repository: RepositoryRecord,
    state: 'open' | 'closed' | 'all' = 'open',
  ): Promise<ChangeRequest[]> {
    const query = this.db('git_host_change_requests')
      .where({ repository_id: repository.id })
      .orderBy('number', 'desc');
    if (state !== 'all') query.where({ state });
    const rows = await query;
    return Promise.all(rows.map(row => this.describe(repository, row)));
  }

  async get(
    repository: RepositoryRecord,
    number: number,
  ): Promise<ChangeRequest> {
    const row = await this.row(repository, number);
    return this.describe(repository, row);
  }

  async update(
    repository: RepositoryRecord,
    number: number,
    changes: { title?: unknown; body?: unknown; state?: unknown },
  ) {
    const row = await this.row(repository, number);
    const update: Record<string, unknown> = { updated_at: new Date() };
    if (changes.title !== undefined) {
      const title =
        typeof changes.title === 'string' ? changes.title.trim() : '';
      if (!title || title.length > MAX_TITLE || /[\r\n]/.test(title)) {
        throw new InputError(
          `The title must be one line of at most ${MAX_TITLE} characters`,
        );
      }
      update.title = title;
    }
    if (changes.body !== undefined) {
      if (typeof changes.body !== 'string' || changes.body.length > MAX_BODY) {
        throw new InputError(
          `The description must be text of at most ${MAX_BODY} characters`,
        );
      }
      update.body = changes.body;
    }
    if (changes.state !== undefined) {
      if (changes.state !== 'open' && changes.state !== 'closed') {
        throw new InputError("state must be 'open' or 'closed'");
      }
      if (row.merged) {
        throw new ConflictError(
          `Change request !${number} is merged; it stays closed`,
        );
      }
      update.state = changes.state;
      update.closed_at = changes.state === 'closed' ? new Date() : null;
    }
    // Never reopens (or edits) a request merged meanwhile.
    const changed = await this.db('git_host_change_requests')
      .where({ id: row.id, merged: false })
      .update(update);
    if (!changed) {
      throw new ConflictError(`Change request !${number} was just merged`);
    }
    return this.get(repository, number);
  }

  async commits(repository: RepositoryRecord, number: number) {
    const cr = await this.get(repository, number);
    const range = await this.range(repository, cr);
    if (!range) return [];
    return this.repositories.log(
      repository.folder,
      range.head,
      250,
      0,
      range.base,
    );
  }

  /** The files a change request changes, each with its diff when small enough. */
  async files(
    repository: RepositoryRecord,
    number: number,
  ): Promise<ChangedFile[]> {
    const cr = await this.get(repository, number);
    const range = await this.range(repository, cr);
    if (!range) return [];
    const { folder } = repository;
    const changes = await this.repositories.changedFiles(
      folder,
      range.base,
      range.head,
    );
    // One git diff for all files, cut at each file's header (same order as
    // the file list); a diff too large for that goes file by file.
    const patches = await this.repositories.allFileDiffs(
      folder,
      range.base,
      range.head,
      MAX_TOTAL_PATCH_BYTES,
    );
    const files: ChangedFile[] = [];
    for (const [index, change] of changes.entries()) {
      if (change.binary || index >= MAX_PATCHED_FILES) {
        files.push({ ...change, tooLarge: !change.binary });
        continue;
      }
      const patch =
        patches && patches.length === changes.length
          ? patches[index]
          : await this.repositories.fileDiff(
              folder,
              range.base,
              range.head,
              change,
              MAX_PATCH_BYTES,
            );
      files.push(
        patch === undefined || Buffer.byteLength(patch) > MAX_PATCH_BYTES
          ? { ...change, tooLarge: true }
          : { ...change, tooLarge: false, patch },
      );
    }
    return files;
  }

  /** Whether an open change request could be merged now, and if not why. */
  async mergeability(
    repository: RepositoryRecord,
    cr: ChangeRequest,
  ): Promise<Mergeability> {
    if (cr.state !== 'open') {
      return {
        mergeable: false,
        reason: `Change request !${cr.number} is ${
          cr.merged ? 'merged' : 'closed'
        }`,
      };
    }
    if (!cr.headSha) {
      return {
        mergeable: false,
        reason: `The source branch '${cr.headRef}' was deleted; push it again or close the change request`,
      };
    }
    if (!cr.baseSha) {
      return {
        mergeable: false,
        reason: `The target branch '${cr.baseRef}' does not exist`,
      };
    }
    const merged = await this.repositories.mergeTree(
      repository.folder,
      cr.baseSha,
      cr.headSha,
    );
    if ('conflicts' in merged) {
      return {
        mergeable: false,
        reason: `'${cr.headRef}' conflicts with '${
          cr.baseRef
        }' in ${merged.conflicts.join(', ')}: merge '${cr.baseRef}' into '${
          cr.headRef
        }', resolve, and push`,
        conflicts: merged.conflicts,
      };
    }
    return { mergeable: true, tree: merged.tree };
  }

  /**
   * Merges the change request: a merge commit of its source branch into its
   * target, written only if the target has not moved since it was read and,
   * when `expectedHead` is given, only if the source is still that commit.
   */
  async merge(
    repository: RepositoryRecord,
    number: number,
    options: {
      mergedBy: string;
      author: { name: string; email: string };
      expectedHead?: unknown;
      message?: unknown;
      /** Refuses with a reason, e.g. failed checks on the head. */
      checkHead?: (sha: string) => Promise<string | undefined>;
    },
  ): Promise<ChangeRequest> {
    const cr = await this.get(repository, number);
    const status = await this.mergeability(repository, cr);
    if (!status.mergeable) {
      throw new ConflictError(status.reason);
    }
    const headSha = cr.headSha!;
    const baseSha = cr.baseSha!;
    if (
      options.expectedHead !== undefined &&
      options.expectedHead !== headSha
    ) {
      throw new ConflictError(
        `'${cr.headRef}' moved to ${headSha.slice(
          0,
          8,
        )} since you looked at it; review the new commits and merge again`,
      );
    }
    const refusal = await options.checkHead?.(headSha);
    if (refusal) {
      throw new ConflictError(refusal);
    }
    const message =
      typeof options.message === 'string' && options.message.trim()
        ? options.message.trim()
        : `Merge branch '${cr.headRef}' into ${cr.baseRef}\n\n${cr.title} (!${cr.number})`;
    const commit = await this.repositories.commitTree(
      repository.folder,
      status.tree,
      [baseSha, headSha],
      message,
      options.author,
    );
    const swapped = await this.repositories.compareAndSwap(
      repository.folder,
      cr.baseRef,
      commit,
      baseSha,
      `merge !${cr.number} by ${options.mergedBy}`,
    );
    if (!swapped) {
      throw new ConflictError(
        `'${cr.baseRef}' moved while merging (another merge or a push); nothing was changed: update the change request and merge again`,
      );
    }
    const now = new Date();
    await this.db('git_host_change_requests').where({ id: cr.id }).update({
      state: 'closed',
      merged: true,
      merge_commit_sha: commit,
      merged_head_sha: headSha,
      merged_by: options.mergedBy,
      merged_at: now,
      closed_at: now,
      updated_at: now,
    });
    return this.get(repository, number);
  }

  /**
   * An open change request whose branch is already in its target was
   * merged: by a merge whose record was lost (the backend died between
   * moving the branch and writing the row), or by someone who merged
   * locally and pushed. It is recorded as merged, with the merge commit
   * that brought the branch in when there is one.
   */
  private async reconcile(
    repository: RepositoryRecord,
    row: any,
    head: string | undefined,
    base: string | undefined,
  ) {
    if (row.state !== 'open') return row;
    const { folder } = repository;
    if (!head || !base || head === base) return row;
    if ((await this.repositories.mergeBase(folder, head, base)) !== head) {
      return row;
    }
    const merge = (await this.repositories.log(folder, base, 200)).find(
      commit =>
        commit.parents.length > 1 && commit.parents.slice(1).includes(head),
    );
    const now = new Date();
    const update = {
      state: 'closed',
      merged: true,
      merged_head_sha: head,
      merge_commit_sha: merge?.sha ?? null,
      // Not merged through the portal: nobody to name for certain.
      merged_by: null,
      merged_at: merge ? new Date(merge.date) : now,
      closed_at: now,
      updated_at: now,
    };
    await this.db('git_host_change_requests')
      .where({ id: row.id, state: 'open' })
      .update(update);
    return { ...row, ...update };
  }

  private async row(repository: RepositoryRecord, number: number) {
    if (!Number.isSafeInteger(number) || number < 1) {
      throw new NotFoundError(
        `No change request !${number} in ${repository.fullName}`,
      );
    }
    const row = await this.db('git_host_change_requests')
      .where({ repository_id: repository.id, number })
      .first();
    if (!row) {
      throw new NotFoundError(
        `No change request !${number} in ${repository.fullName}`,
      );
    }
    return row;
  }

  /** The commits to compare: the merge base and the head (or what was merged). */
  private async range(repository: RepositoryRecord, cr: ChangeRequest) {
    if (cr.merged && cr.mergeCommitSha) {
      // After the merge: what it brought, as it was reviewed.
      const [merge] = await this.repositories.log(
        repository.folder,
        cr.mergeCommitSha,
        1,
      );
      const base = await this.repositories.mergeBase(
        repository.folder,
        merge.parents[0],
        cr.headSha!,
      );
      return { base: base ?? merge.parents[0], head: cr.headSha! };
    }
    if (!cr.headSha || !cr.baseSha) return undefined;
    const base = await this.repositories.mergeBase(
      repository.folder,
      cr.baseSha,
      cr.headSha,
    );
    return { base: base ?? cr.baseSha, head: cr.headSha };
  }

  private async describe(
    repository: RepositoryRecord,
    stored: any,
  ): Promise<ChangeRequest> {
    const [liveHead, baseSha] = await Promise.all([
      this.repositories.branchHead(repository.folder, stored.head_ref),
      this.repositories.branchHead(repository.folder, stored.base_ref),
    ]);
    const row = await this.reconcile(repository, stored, liveHead, baseSha);
    const merged = Boolean(row.merged);
    const headSha = merged ? row.merged_head_sha ?? liveHead : liveHead;
    return {
      id: row.id,
      number: Number(row.number),
      title: row.title,
      body: row.body ?? '',
      state: row.state === 'closed' ? 'closed' : 'open',
      merged,
      mergedAt: iso(row.merged_at),
      mergedBy: row.merged_by ?? undefined,
      mergeCommitSha: row.merge_commit_sha ?? undefined,
      headRef: row.head_ref,
      headSha: headSha ?? undefined,
      headDeleted: !liveHead,
      baseRef: row.base_ref,
      baseSha,
      createdBy: row.created_by,
      createdAt: iso(row.created_at)!,
      updatedAt: iso(row.updated_at)!,
      closedAt: iso(row.closed_at),
    };
  }
}
