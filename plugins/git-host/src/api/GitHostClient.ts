import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { GitHostApi, HostedRepository } from './GitHostApi';

/** Calls the git-host backend through the signed-in user's fetch. */
export class GitHostClient implements GitHostApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listRepositories(): Promise<HostedRepository[]> {
    const { items } = await this.request<{ items: HostedRepository[] }>(
      'repositories',
    );
    return items;
  }

  async issueToken(): Promise<{ token: string }> {
    const { token } = await this.request<{ token: string }>('tokens', {
      method: 'POST',
    });
    return { token };
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('git-host');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
