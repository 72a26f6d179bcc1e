/**
 * Paved's embedded git host in the portal: the Repositories page with
 * personal git tokens, and each repository's files, commits, branches and
 * change requests.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export { gitHostApiRef, GitHostClient } from './api';
export type {
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  GitCommitSummary,
  GitHostApi,
  GitToken,
  HostedRepository,
  IssuedGitToken,
  NewChangeRequest,
  RepositoryContents,
  RepositoryEntry,
  RepositoryFile,
  RepositoryLocator,
  RepositoryVisibility,
  TokenPolicy,
} from './api';
