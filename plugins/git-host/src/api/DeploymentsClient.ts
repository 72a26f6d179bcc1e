import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DeploymentsApi } from './DeploymentsApi';
import {
  CurrentDeployments,
  Deployment,
  DeploymentDetails,
} from './deploymentTypes';

/** Calls the deployments backend through the signed-in user's fetch. */
export class DeploymentsClient implements DeploymentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getCurrentDeployments(service: string): Promise<CurrentDeployments> {
    return this.request('current', { service });
  }

  async listDeployments(options: {
    service: string;
    environment?: string;
    limit?: number;
  }): Promise<Deployment[]> {
    const { items } = await this.request<{ items: Deployment[] }>(
      'deployments',
      options,
    );
    return items;
  }

  getDeployment(id: string): Promise<DeploymentDetails> {
    return this.request(`deployments/${encodeURIComponent(id)}`);
  }

  private async request<T>(
    path: string,
    params: Record<string, string | number | undefined> = {},
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const text = search.toString();
    const baseUrl = await this.discoveryApi.getBaseUrl('deployments');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/${path}${text ? `?${text}` : ''}`,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
