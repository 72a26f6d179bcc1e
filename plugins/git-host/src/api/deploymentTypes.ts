// The deployments backend's shapes: what each environment of a service runs,
// as the pipelines' deploy jobs (or any CI) report it.

export type DeploymentOutcome = 'success' | 'failure' | 'rolled_back';

/** One deployment of a service to an environment, times as ISO 8601. */
export interface Deployment {
  id: string;
  /** Entity ref of the service, e.g. `component:default/shop`. */
  service: string;
  environment: string;
  /** The deployed commit's sha. */
  commit: string;
  version?: string;
  outcome: DeploymentOutcome;
  startedAt?: string;
  finishedAt: string;
  /** The pipeline (or CI run) that deployed it. */
  pipelineUrl?: string;
  /** `<namespace>/<name>` of the repository. */
  repository?: string;
  reportedBy: string;
  /** `paved-runner`: the portal's own pipelines; `external`: another CI. */
  source: 'paved-runner' | 'external';
  /** The deployment of the same environment before this one. */
  previousId?: string;
  /** How many commits it brought since the previous deployment. */
  commitCount: number;
  createdAt: string;
}

/** A commit a deployment brought. */
export interface DeploymentCommit {
  sha: string;
  author?: string;
  authorEmail?: string;
  committedAt?: string;
  message?: string;
}

/** A deployment with the commits it brought. */
export type DeploymentDetails = Deployment & { commits: DeploymentCommit[] };

/**
 * An environment of a service: `current` is its last successful deployment
 * (what runs there), `latest` its last attempt, whatever its outcome.
 */
export interface EnvironmentDeployments {
  environment: string;
  current?: Deployment;
  latest: Deployment;
  count: number;
}

/** The first deployment to an environment, and how soon it came. */
export interface FirstDeploy {
  environment: string;
  deploymentId: string;
  /** The template the service was created from. */
  template?: string;
  templateVersion?: string;
  serviceCreatedAt?: string;
  deployedAt: string;
  /** From the service's creation to this deployment. */
  secondsFromCreation?: number;
}

/** What a service runs where, and its time to first deploy. */
export interface CurrentDeployments {
  service: string;
  environments: EnvironmentDeployments[];
  firstDeploys: FirstDeploy[];
}
