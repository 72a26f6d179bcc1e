import { createApiRef } from '@backstage/frontend-plugin-api';

/** The newest commit on a repository's default branch. */
export interface GitCommitSummary {
  sha: string;
  author: string;
  /** ISO 8601 date. */
  date: string;
  /** The commit's subject line. */
  message: string;
}

/** A repository hosted by Paved's git host. */
export interface HostedRepository {
  name: string;
  /** Entity ref of the owning group or user, e.g. `group:default/payments`. */
  owner: string;
  description?: string;
  createdBy: string;
  /** ISO 8601 date. */
  createdAt: string;
  cloneUrl: string;
  /** Absent while the repository has no commits. */
  lastCommit?: GitCommitSummary;
}

/** Talks to the git-host backend plugin. */
export interface GitHostApi {
  /** Every hosted repository. */
  listRepositories(): Promise<HostedRepository[]>;
  /**
   * Issues a personal git token for the signed-in user. It is returned only
   * this once; git uses it as the HTTP password.
   */
  issueToken(): Promise<{ token: string }>;
}

export const gitHostApiRef = createApiRef<GitHostApi>().with({
  id: 'plugin.git-host.service',
  pluginId: 'git-host',
});
