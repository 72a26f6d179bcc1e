import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** A repository on Paved's embedded git host, as its API describes it. */
export interface HostedRepository {
  /** `payments/shop`. */
  fullName: string;
  name: string;
  owner: string;
  cloneUrl: string;
  /** The scaffolder task that created it, if one did. */
  createdByTask?: string;
}

/**
 * Talks to the git host plugin over its HTTP API on behalf of the user who
 * started the task, as Backstage plugins talk to each other.
 */
export class GitHostClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  /** The URL this backend itself reaches a repository at, for git push. */
  async internalCloneUrl(fullName: string) {
    return `${await this.discovery.getBaseUrl('git-host')}/${fullName}.git`;
  }

  /** A short-lived token the git host accepts, for its API and for git. */
  async gitToken(credentials: BackstageCredentials) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'git-host',
    });
    return token;
  }

  /**
   * A repository of that name under any owner, as this plugin sees them
   * (all, private ones too): a new service's name must be free everywhere.
   */
  async findByName(name: string) {
    const res = await this.call(
      `/repositories?name=${encodeURIComponent(name)}`,
      await this.auth.getOwnServiceCredentials(),
    );
    const { items } = (await this.json(res)) as { items: HostedRepository[] };
    return items.find(repository => repository.name === name);
  }

  async create(
    repository: {
      name: string;
      owner: string;
      description?: string;
      /** The scaffolder task asking: it gets back a repository it made. */
      taskId?: string;
    },
    credentials: BackstageCredentials,
  ) {
    const res = await this.call('/repositories', credentials, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(repository),
    });
    return (await this.json(res)) as HostedRepository;
  }

  private async call(
    path: string,
    credentials: BackstageCredentials,
    init: RequestInit = {},
  ) {
    const baseUrl = await this.discovery.getBaseUrl('git-host');
    const token = await this.gitToken(credentials);
    return fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${token}` },
    });
  }

  private async json(res: Response) {
    if (!res.ok) {
      // The git host's own words (e.g. who may create the repository)
      // belong in the task log, not "Request failed with 403".
      throw (await ResponseError.fromResponse(res)).cause;
    }
    return res.json();
  }
}
