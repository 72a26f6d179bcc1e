import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { GitHostApi, NewChangeRequest } from './GitHostApi';
import {
  Branch,
  ChangedFile,
  ChangeRequest,
  ChangeRequestState,
  Commit,
  GitToken,
  HostedRepository,
  IssuedGitToken,
  RepositoryContents,
  RepositoryLocator,
  TokenPolicy,
} from './types';
import {
  JobLogPage,
  Pipeline,
  PipelineDetails,
  PipelineList,
} from './pipelineTypes';

const segment = encodeURIComponent;

/** `payments/shop`, each part encoded for a URL path. */
function repositoryPath({ namespace, name }: RepositoryLocator): string {
  return `${segment(namespace)}/${segment(name)}`;
}

/** The query string for the parameters that are set, with its `?`. */
function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/**
 * Calls the git-host backend through the signed-in user's fetch: Paved's own
 * routes for repositories, pipelines and tokens, its Gitea-compatible
 * `/api/v1` routes for what is inside a repository.
 */
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

  getRepository(repository: RepositoryLocator): Promise<HostedRepository> {
    return this.request(`repositories/${repositoryPath(repository)}`);
  }

  getContents(
    repository: RepositoryLocator,
    options: { ref: string; path: string },
  ): Promise<RepositoryContents> {
    const path = options.path.split('/').filter(Boolean).map(segment).join('/');
    return this.request(
      `${this.repo(repository)}/contents${path ? `/${path}` : ''}${query({
        ref: options.ref,
      })}`,
    );
  }

  listBranches(repository: RepositoryLocator): Promise<Branch[]> {
    return this.request(`${this.repo(repository)}/branches`);
  }

  listCommits(
    repository: RepositoryLocator,
    options: { ref?: string; limit?: number; page?: number } = {},
  ): Promise<Commit[]> {
    return this.request(
      `${this.repo(repository)}/commits${query({
        sha: options.ref,
        limit: options.limit,
        page: options.page,
      })}`,
    );
  }

  listChangeRequests(
    repository: RepositoryLocator,
    options: { state?: ChangeRequestState | 'all' } = {},
  ): Promise<ChangeRequest[]> {
    return this.request(
      `${this.repo(repository)}/pulls${query({ state: options.state })}`,
    );
  }

  createChangeRequest(
    repository: RepositoryLocator,
    request: NewChangeRequest,
  ): Promise<ChangeRequest> {
    return this.send('POST', `${this.repo(repository)}/pulls`, request);
  }

  getChangeRequest(
    repository: RepositoryLocator,
    index: number,
  ): Promise<ChangeRequest> {
    return this.request(this.pull(repository, index));
  }

  listChangeRequestCommits(
    repository: RepositoryLocator,
    index: number,
  ): Promise<Commit[]> {
    return this.request(`${this.pull(repository, index)}/commits`);
  }

  listChangeRequestFiles(
    repository: RepositoryLocator,
    index: number,
  ): Promise<ChangedFile[]> {
    return this.request(`${this.pull(repository, index)}/files`);
  }

  mergeChangeRequest(
    repository: RepositoryLocator,
    index: number,
    options: { message?: string; headSha?: string } = {},
  ): Promise<ChangeRequest> {
    return this.send('POST', `${this.pull(repository, index)}/merge`, {
      Do: 'merge',
      merge_message_field: options.message,
      // Merges only what the reader saw: a branch that moved is refused.
      head_commit_id: options.headSha,
    });
  }

  updateChangeRequest(
    repository: RepositoryLocator,
    index: number,
    patch: { state?: ChangeRequestState; title?: string; body?: string },
  ): Promise<ChangeRequest> {
    return this.send('PATCH', this.pull(repository, index), patch);
  }

  listPipelines(
    repository: RepositoryLocator,
    options: { limit?: number; ref?: string; sha?: string } = {},
  ): Promise<PipelineList> {
    return this.request(
      `${this.pipelines(repository)}${query({
        limit: options.limit,
        ref: options.ref,
        sha: options.sha,
      })}`,
    );
  }

  getPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<PipelineDetails> {
    return this.request(this.pipeline(repository, number));
  }

  getJobLog(
    repository: RepositoryLocator,
    number: number,
    job: string,
    options: { after?: number } = {},
  ): Promise<JobLogPage> {
    return this.request(
      `${this.pipeline(repository, number)}/jobs/${segment(job)}/log${query({
        after: options.after,
      })}`,
    );
  }

  cancelPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<{ state: 'canceled' | 'canceling' }> {
    return this.request(`${this.pipeline(repository, number)}/cancel`, {
      method: 'POST',
    });
  }

  rerunPipeline(
    repository: RepositoryLocator,
    number: number,
  ): Promise<Pipeline> {
    return this.request(`${this.pipeline(repository, number)}/rerun`, {
      method: 'POST',
    });
  }

  playJob(
    repository: RepositoryLocator,
    number: number,
    job: string,
  ): Promise<Pipeline> {
    return this.request(
      `${this.pipeline(repository, number)}/jobs/${segment(job)}/play`,
      { method: 'POST' },
    );
  }

  async listTokens(): Promise<GitToken[]> {
    const { items } = await this.request<{ items: GitToken[] }>('tokens');
    return items;
  }

  issueToken(
    options: { name?: string; expiresInDays?: number } = {},
  ): Promise<IssuedGitToken> {
    return this.send('POST', 'tokens', options);
  }

  async revokeToken(id: string): Promise<void> {
    await this.request(`tokens/${segment(id)}`, { method: 'DELETE' });
  }

  async listDeployTokens(repository: RepositoryLocator): Promise<GitToken[]> {
    const { items } = await this.request<{ items: GitToken[] }>(
      `repositories/${repositoryPath(repository)}/deploy-tokens`,
    );
    return items;
  }

  issueDeployToken(
    repository: RepositoryLocator,
    options: { name?: string; scope: 'read' | 'write'; expiresInDays?: number },
  ): Promise<IssuedGitToken> {
    return this.send(
      'POST',
      `repositories/${repositoryPath(repository)}/deploy-tokens`,
      options,
    );
  }

  getTokenPolicy(): Promise<TokenPolicy> {
    return this.request('token-policy');
  }

  private repo(repository: RepositoryLocator): string {
    return `api/v1/repos/${repositoryPath(repository)}`;
  }

  private pull(repository: RepositoryLocator, index: number): string {
    return `${this.repo(repository)}/pulls/${segment(String(index))}`;
  }

  private pipelines(repository: RepositoryLocator): string {
    return `repositories/${repositoryPath(repository)}/pipelines`;
  }

  private pipeline(repository: RepositoryLocator, number: number): string {
    return `${this.pipelines(repository)}/${segment(String(number))}`;
  }

  private send<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.request<T>(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('git-host');
    const response = await this.fetchApi.fetch(`${baseUrl}/${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}
