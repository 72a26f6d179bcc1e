import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AuditEntry,
  CostEstimate,
  CreateEnvironmentRequest,
  Environment,
  EnvironmentOptions,
  EnvironmentRun,
  TeamCost,
} from '@internal/plugin-environments-common';
import {
  AuditFilter,
  EnvironmentFilter,
  EnvironmentsApi,
  RequestedRunKind,
  RunEventsPage,
} from './EnvironmentsApi';

/** Calls the environments backend through the signed-in user's fetch. */
export class EnvironmentsClient implements EnvironmentsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getOptions(): Promise<EnvironmentOptions> {
    return this.get('options');
  }

  async listEnvironments(
    filter: EnvironmentFilter = {},
  ): Promise<Environment[]> {
    const query = new URLSearchParams();
    if (filter.owner) query.set('owner', filter.owner);
    if (filter.status) query.set('status', filter.status);
    if (filter.service) query.set('service', filter.service);
    if (filter.includeDestroyed) query.set('includeDestroyed', 'true');
    const search = query.toString();
    const { items } = await this.get<{ items: Environment[] }>(
      search ? `environments?${search}` : 'environments',
    );
    return items;
  }

  createEnvironment(
    request: CreateEnvironmentRequest,
  ): Promise<{ environment: Environment; run: EnvironmentRun }> {
    return this.post('environments', request);
  }

  getEnvironment(id: string): Promise<Environment> {
    return this.get(`environments/${encodeURIComponent(id)}`);
  }

  async listRuns(environmentId: string): Promise<EnvironmentRun[]> {
    const { items } = await this.get<{ items: EnvironmentRun[] }>(
      `environments/${encodeURIComponent(environmentId)}/runs`,
    );
    return items;
  }

  requestRun(
    environmentId: string,
    kind: RequestedRunKind,
  ): Promise<EnvironmentRun> {
    return this.post(`environments/${encodeURIComponent(environmentId)}/runs`, {
      kind,
    });
  }

  extendEnvironment(
    environmentId: string,
    ttlHours: number,
  ): Promise<Environment> {
    return this.post(
      `environments/${encodeURIComponent(environmentId)}/extend`,
      { ttlHours },
    );
  }

  async getSecrets(environmentId: string): Promise<Record<string, string>> {
    const { outputs } = await this.get<{ outputs: Record<string, string> }>(
      `environments/${encodeURIComponent(environmentId)}/secrets`,
    );
    return outputs;
  }

  getRun(runId: string): Promise<EnvironmentRun> {
    return this.get(`runs/${encodeURIComponent(runId)}`);
  }

  getRunEvents(runId: string, after?: number): Promise<RunEventsPage> {
    const search = after === undefined ? '' : `?after=${after}`;
    return this.get(`runs/${encodeURIComponent(runId)}/events${search}`);
  }

  approveRun(
    runId: string,
    planHash: string,
    comment?: string,
  ): Promise<EnvironmentRun> {
    return this.post(`runs/${encodeURIComponent(runId)}/approve`, {
      planHash,
      comment,
    });
  }

  rejectRun(runId: string, reason: string): Promise<EnvironmentRun> {
    return this.post(`runs/${encodeURIComponent(runId)}/reject`, { reason });
  }

  overrideRun(runId: string, reason: string): Promise<EnvironmentRun> {
    return this.post(`runs/${encodeURIComponent(runId)}/override`, { reason });
  }

  async getTeamCosts(owners: string[] = []): Promise<TeamCost[]> {
    const query = new URLSearchParams();
    for (const owner of owners) query.append('owner', owner);
    const search = query.toString();
    const { items } = await this.get<{ items: TeamCost[] }>(
      search ? `costs?${search}` : 'costs',
    );
    return items;
  }

  estimateCost(request: {
    owner: string;
    name?: string;
    size: string;
    resources: string[];
  }): Promise<CostEstimate> {
    return this.post('costs/estimate', request);
  }

  async listAudit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    const search = query.toString();
    const { items } = await this.get<{ items: AuditEntry[] }>(
      search ? `audit?${search}` : 'audit',
    );
    return items;
  }

  private get<T>(path: string): Promise<T> {
    return this.request<T>(path);
  }

  private post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('environments');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
