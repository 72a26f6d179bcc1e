/**
 * Paved's embedded git host in the portal: the Repositories page with
 * personal git tokens, each repository's files, commits, branches, change
 * requests and pipelines, the CI/CD and Deployments tabs of the components
 * whose source it hosts, and the delivery figures: a Delivery tab on
 * components and teams, and the Delivery insights page.
 *
 * @packageDocumentation
 */
export { gitHostPlugin as default } from './plugin';
export {
  deliveryApiRef,
  DeliveryClient,
  deploymentsApiRef,
  DeploymentsClient,
  gitHostApiRef,
  GitHostClient,
  JOB_LOG_PAGE_SIZE,
} from './api';
export { gitHostRepositoryOf, isGitHostComponent } from './entityRepository';
export type {
  Band,
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  CurrentDeployments,
  DeliveryApi,
  DeliveryWindow,
  Deployment,
  DeploymentCommit,
  DeploymentDetails,
  DeploymentFact,
  DeploymentOutcome,
  DeploymentsApi,
  EnvironmentDeployments,
  FailureReason,
  FailureReasonKind,
  Figure,
  Figures,
  FiguresSummary,
  FirstDeploy,
  GitCommitSummary,
  GitHostApi,
  GitToken,
  HostedRepository,
  Incident,
  InsightsResponse,
  IssuedGitToken,
  JobLogPage,
  JobStatus,
  LogChunk,
  MetricsResponse,
  MetricsScope,
  NewChangeRequest,
  NewIncident,
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
  ReworkKind,
  TokenPolicy,
  WeekFigures,
} from './api';
