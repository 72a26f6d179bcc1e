import { CommitSummary } from './BareRepositories';
import { ChangedFile, ChangeRequest } from './ChangeRequests';
import { RepositoryRecord } from './RepositoryStore';

/**
 * The JSON shapes of Gitea's API (v1) that Backstage's Gitea integration
 * and clients read, for Paved's records.
 */
export class GiteaJson {
  constructor(private readonly baseUrl: string) {}

  /** A stable number for a string id, as Gitea's ids are numbers. */
  private numericId(id: string) {
    return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  }

  repository(
    repository: RepositoryRecord,
    empty: boolean,
    permissions: { read: boolean; write: boolean; admin: boolean },
  ) {
    const htmlUrl = `${this.baseUrl}/${repository.fullName}`;
    return {
      id: this.numericId(repository.id),
      name: repository.name,
      full_name: repository.fullName,
      owner: {
        id: this.numericId(repository.id),
        login: repository.namespace,
        username: repository.namespace,
        full_name: repository.owner,
      },
      description: repository.description ?? '',
      private: repository.visibility === 'private',
      internal: repository.visibility === 'internal',
      empty,
      default_branch: 'main',
      html_url: htmlUrl,
      clone_url: `${htmlUrl}.git`,
      created_at: repository.createdAt,
      updated_at: repository.createdAt,
      permissions: {
        admin: permissions.admin,
        push: permissions.write,
        pull: permissions.read,
      },
    };
  }

  commit(repository: RepositoryRecord, commit: CommitSummary) {
    const author = {
      name: commit.author,
      email: commit.authorEmail,
      date: commit.date,
    };
    return {
      sha: commit.sha,
      url: `${this.baseUrl}/api/v1/repos/${repository.fullName}/git/commits/${commit.sha}`,
      html_url: `${this.baseUrl}/${repository.fullName}/commit/${commit.sha}`,
      created: commit.date,
      commit: { message: commit.message, author, committer: author },
      parents: commit.parents.map(sha => ({ sha })),
    };
  }

  pull(
    repository: RepositoryRecord,
    cr: ChangeRequest,
    mergeability?: { mergeable: boolean; reason?: string },
  ) {
    return {
      id: this.numericId(cr.id),
      number: cr.number,
      title: cr.title,
      body: cr.body,
      state: cr.state,
      merged: cr.merged,
      merged_at: cr.mergedAt ?? null,
      merged_by: cr.mergedBy ? { login: cr.mergedBy } : null,
      merge_commit_sha: cr.mergeCommitSha ?? null,
      mergeable: mergeability?.mergeable ?? false,
      conflict:
        mergeability && !mergeability.mergeable
          ? mergeability.reason
          : undefined,
      head: {
        ref: cr.headRef,
        label: cr.headRef,
        sha: cr.headSha ?? null,
        deleted: cr.headDeleted,
      },
      base: { ref: cr.baseRef, label: cr.baseRef, sha: cr.baseSha ?? null },
      user: { login: cr.createdBy },
      created_at: cr.createdAt,
      updated_at: cr.updatedAt,
      closed_at: cr.closedAt ?? null,
      html_url: `${this.baseUrl}/${repository.fullName}/pulls/${cr.number}`,
    };
  }

  changedFile(file: ChangedFile) {
    return {
      filename: file.filename,
      previous_filename: file.previousFilename,
      status: file.status,
      additions: file.additions,
      deletions: file.deletions,
      changes: file.additions + file.deletions,
      binary: file.binary,
      too_large: file.tooLarge,
      patch: file.patch,
    };
  }
}
