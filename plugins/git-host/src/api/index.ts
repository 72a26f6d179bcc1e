export { gitHostApiRef } from './GitHostApi';
export type { GitHostApi, NewChangeRequest } from './GitHostApi';
export { GitHostClient } from './GitHostClient';
export { deploymentsApiRef } from './DeploymentsApi';
export type { DeploymentsApi } from './DeploymentsApi';
export { DeploymentsClient } from './DeploymentsClient';
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
export { JOB_LOG_PAGE_SIZE } from './pipelineTypes';
export type {
  JobLogPage,
  JobStatus,
  LogChunk,
  Pipeline,
  PipelineDetails,
  PipelineJob,
  PipelineList,
  PipelineStatus,
} from './pipelineTypes';
export type {
  CurrentDeployments,
  Deployment,
  DeploymentCommit,
  DeploymentDetails,
  DeploymentOutcome,
  EnvironmentDeployments,
  FirstDeploy,
} from './deploymentTypes';
export { deliveryApiRef } from './DeliveryApi';
export type { DeliveryApi, DeliveryWindow, NewIncident } from './DeliveryApi';
export { DeliveryClient } from './DeliveryClient';
export type {
  Band,
  DeploymentFact,
  FailureReason,
  FailureReasonKind,
  Figure,
  Figures,
  FiguresSummary,
  Incident,
  InsightsResponse,
  MetricsResponse,
  MetricsScope,
  ReworkKind,
  WeekFigures,
} from '@internal/plugin-deployments-common';
