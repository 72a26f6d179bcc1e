import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  GitToken,
  HostedRepository,
  IssuedGitToken,
  RepositoryContents,
  RepositoryLocator,
  TokenPolicy,
} from './types';
import {
  JobLogPage,
  Pipeline,
  PipelineDetails,
  PipelineList,
} from './pipelineTypes';

/** A change request to open. */
export interface NewChangeRequest {
  title: string;
  body?: string;
  /** The branch with the changes. */
  head: string;
  /** The branch to merge them into; the default branch if absent. */
  base?: string;
}

/** Talks to the git-host backend plugin. */
export interface GitHostApi {
  /** Every hosted repository the signed-in user may read. */
  listRepositories(): Promise<HostedRepository[]>;
  getRepository(repository: RepositoryLocator): Promise<HostedRepository>;

  /** A directory's entries or a file's content at a branch, tag or commit. */
  getContents(
    repository: RepositoryLocator,
    options: { ref: string; path: string },
  ): Promise<RepositoryContents>;
  listBranches(repository: RepositoryLocator): Promise<Branch[]>;
  /** The newest commits first, reachable from `ref` (the default branch if absent). */
  listCommits(
    repository: RepositoryLocator,
    options?: { ref?: string; limit?: number; page?: number },
  ): Promise<Commit[]>;

  listChangeRequests(
    repository: RepositoryLocator,
    options?: { state?: ChangeRequestState | 'all' },
  ): Promise<ChangeRequest[]>;
  createChangeRequest(
    repository: RepositoryLocator,
    request: NewChangeRequest,
  ): Promise<ChangeRequest>;
  getChangeRequest(
    repository: RepositoryLocator,
    index: number,
  ): Promise<ChangeRequest>;
  listChangeRequestCommits(
    repository: RepositoryLocator,
    index: number,
  ): Promise<Commit[]>;
  listChangeRequestFiles(
    repository: RepositoryLocator,
    index: number,
  ): Promise<ChangedFile[]>;
  /**
   * Merges the change request. Fails with a 409 whose message says why when
   * it conflicts, its base moved or its source branch is gone.
   */
  mergeChangeRequest(
    repository: RepositoryLocator,
    index: number,
    options?: { message?: string; headSha?: string },
  ): Promise<ChangeRequest>;
  /** Closes or reopens a change request, or changes its title or description. */
  updateChangeRequest(
    repository: RepositoryLocator,
    index: number,
    patch: { state?: ChangeRequestState; title?: string; body?: string },
  ): Promise<ChangeRequest>;

  /** A repository's pipelines, newest first; by branch or commit if asked. */
  listPipelines(
    repository: RepositoryLocator,
    options?: { limit?: number; ref?: string; sha?: string },
  ): Promise<PipelineList>;
  getPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<PipelineDetails>;
  /**
   * A job's log after chunk `after` (from the start if absent), at most
   * 500 chunks (JOB_LOG_PAGE_SIZE), and the job as it is now.
   */
  getJobLog(
    repository: RepositoryLocator,
    number: number,
    job: string,
    options?: { after?: number },
  ): Promise<JobLogPage>;
  /** Cancels a queued or running pipeline: at once, or once its jobs stop. */
  cancelPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<{ state: 'canceled' | 'canceling' }>;
  /** Runs a finished pipeline again, as a new pipeline, which it returns. */
  rerunPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<Pipeline>;
  /** Starts a manual job; returns its pipeline. */
  playJob(
    repository: RepositoryLocator,
    number: number,
    job: string,
  ): Promise<Pipeline>;

  /** The signed-in user's personal tokens and the deploy tokens they issued. */
  listTokens(): Promise<GitToken[]>;
  /**
   * Issues a personal git token for the signed-in user. The secret is
   * returned only this once; git uses it as the HTTP password.
   */
  issueToken(options?: {
    name?: string;
    expiresInDays?: number;
  }): Promise<IssuedGitToken>;
  /** Revokes a personal token, or a deploy token of a repository one administers. */
  revokeToken(id: string): Promise<void>;
  listDeployTokens(repository: RepositoryLocator): Promise<GitToken[]>;
  /** Issues a token that reads (or also pushes to) one repository only. */
  issueDeployToken(
    repository: RepositoryLocator,
    options: { name?: string; scope: 'read' | 'write'; expiresInDays?: number },
  ): Promise<IssuedGitToken>;
  /** How long a token lives unless asked otherwise, and at most. */
  getTokenPolicy(): Promise<TokenPolicy>;
}

export const gitHostApiRef = createApiRef<GitHostApi>().with({
  id: 'plugin.git-host.service',
  pluginId: 'git-host',
});
