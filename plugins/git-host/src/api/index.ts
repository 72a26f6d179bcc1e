export { gitHostApiRef } from './GitHostApi';
export type { GitHostApi, NewChangeRequest } from './GitHostApi';
export { GitHostClient } from './GitHostClient';
export type {
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  GitCommitSummary,
  GitToken,
  HostedRepository,
  IssuedGitToken,
  RepositoryContents,
  RepositoryEntry,
  RepositoryFile,
  RepositoryLocator,
  RepositoryVisibility,
  TokenPolicy,
} from './types';
