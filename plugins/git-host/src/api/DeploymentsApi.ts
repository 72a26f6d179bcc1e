import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  CurrentDeployments,
  Deployment,
  DeploymentDetails,
} from './deploymentTypes';

/**
 * Talks to the deployments backend plugin: what the pipelines' deploy jobs,
 * or another CI, reported deploying.
 */
export interface DeploymentsApi {
  /** What each environment of a service runs now, and its first deploys. */
  getCurrentDeployments(service: string): Promise<CurrentDeployments>;
  /** A service's deployments, newest first. */
  listDeployments(options: {
    /** Entity ref, e.g. `component:default/shop`. */
    service: string;
    environment?: string;
    limit?: number;
  }): Promise<Deployment[]>;
  /** A deployment with the commits it brought. */
  getDeployment(id: string): Promise<DeploymentDetails>;
}

// The deployments backend has no frontend plugin of its own: its views are
// the git host's CI/CD and Deployments tabs, so the git host provides it.
export const deploymentsApiRef = createApiRef<DeploymentsApi>().with({
  id: 'plugin.git-host.deployments',
  pluginId: 'git-host',
});
