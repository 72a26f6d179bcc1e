/**
 * Paved's embedded git host in the portal: the Repositories page with
 * personal git tokens, each repository's files, commits, branches, change
 * requests and pipelines, and the CI/CD and Deployments tabs of the
 * components whose source it hosts.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export {
  deploymentsApiRef,
  DeploymentsClient,
  gitHostApiRef,
  GitHostClient,
  JOB_LOG_PAGE_SIZE,
} from './api';
export { gitHostRepositoryOf, isGitHostComponent } from './entityRepository';
export type {
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  CurrentDeployments,
  Deployment,
  DeploymentCommit,
  DeploymentDetails,
  DeploymentOutcome,
  DeploymentsApi,
  EnvironmentDeployments,
  FirstDeploy,
  GitCommitSummary,
  GitHostApi,
  GitToken,
  HostedRepository,
  IssuedGitToken,
  JobLogPage,
  JobStatus,
  LogChunk,
  NewChangeRequest,
  Pipeline,
  PipelineDetails,
  PipelineJob,
  PipelineList,
  PipelineStatus,
  RepositoryContents,
  RepositoryEntry,
  RepositoryFile,
  RepositoryLocator,
  RepositoryVisibility,
  TokenPolicy,
} from './api';
