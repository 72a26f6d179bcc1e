import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { DeliveryApi, DeliveryWindow, NewIncident } from './DeliveryApi';
import {
  Incident,
  InsightsResponse,
  MetricsResponse,
} from '@internal/plugin-deployments-common';

type Params = Record<string, string | number | undefined>;

/** Calls the deployments backend's delivery endpoints as the signed-in user. */
export class DeliveryClient implements DeliveryApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getMetrics(options: {
    entity?: string;
    templateVersion?: string;
    days: DeliveryWindow;
    environment?: string;
  }): Promise<MetricsResponse> {
    return this.request('metrics', { params: options });
  }

  getInsights(options: {
    days: DeliveryWindow;
    environment?: string;
  }): Promise<InsightsResponse> {
    return this.request('insights', { params: options });
  }

  async listIncidents(service: string): Promise<Incident[]> {
    const { items } = await this.request<{ items: Incident[] }>('incidents', {
      params: { service },
    });
    return items;
  }

  recordIncident(
    deploymentId: string,
    incident: NewIncident,
  ): Promise<Incident> {
    return this.request(
      `deployments/${encodeURIComponent(deploymentId)}/incidents`,
      { body: incident },
    );
  }

  resolveIncident(
    id: string,
    options: { resolvedAt?: string } = {},
  ): Promise<Incident> {
    return this.request(`incidents/${encodeURIComponent(id)}/resolve`, {
      body: options,
    });
  }

  /** GET with `params`, or POST of `body` as JSON. */
  private async request<T>(
    path: string,
    options: { params?: Params; body?: object },
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const text = search.toString();
    const baseUrl = await this.discoveryApi.getBaseUrl('deployments');
    const url = `${baseUrl}/${path}${text ? `?${text}` : ''}`;
    const response = options.body
      ? await this.fetchApi.fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(options.body),
        })
      : await this.fetchApi.fetch(url);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
