import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  createServiceRef,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** A change request to open: `head` proposed for merging into `base`. */
export interface OpenChangeRequest {
  /** `owner/name`, e.g. `payments/shop`. */
  repository: string;
  /** The branch with the changes; push it first. */
  head: string;
  /** The branch to merge into; the default branch unless given. */
  base?: string;
  title: string;
  /** Markdown. */
  body?: string;
}

/** A change request as the git host describes it (Gitea's pull request). */
export interface ChangeRequestSummary {
  number: number;
  title: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeable: boolean;
  head: { ref: string; sha: string | null };
  base: { ref: string; sha: string | null };
  /** Its page, which the git host sends browsers on to the portal. */
  html_url: string;
}

/**
 * Paved's git host for other backend plugins (template upgrades, pipelines):
 * change requests opened and read on behalf of a user or of the calling
 * plugin, through the git host's API, so its permissions and audit apply.
 */
export interface GitHostService {
  openChangeRequest(
    request: OpenChangeRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<ChangeRequestSummary>;
  /** Open change requests from `head` into `base`, newest first. */
  findChangeRequests(
    query: { repository: string; head?: string; base?: string },
    options: { credentials: BackstageCredentials },
  ): Promise<ChangeRequestSummary[]>;
  /**
   * Who a deploy token stands for, or undefined when it is unknown,
   * expired, revoked or may not report deployments. Asked as the calling
   * plugin.
   */
  verifyDeployToken(token: string): Promise<DeployTokenInfo | undefined>;
  /** The catalog entities a repository's catalog-info.yaml declares. */
  entitiesOf(repository: string): Promise<RepositoryEntity[]>;
  /** The repository as Gitea describes it (created_at, default_branch...). */
  getRepository(
    repository: string,
  ): Promise<{ created_at: string; default_branch: string; html_url: string }>;
  /** Whether a commit is in the repository. */
  hasCommit(repository: string, sha: string): Promise<boolean>;
  /** The commits `head` has and `base` has not (all of head's when base is undefined), newest first. */
  commitsBetween(
    repository: string,
    base: string | undefined,
    head: string,
  ): Promise<CommitInfo[]>;
}

/** A verified deploy token. */
export interface DeployTokenInfo {
  tokenId: string;
  tokenName: string;
  scope: string;
  /** `owner/name`. */
  repository: string;
  /** Entity ref of the repository's owner. */
  owner: string;
  /** Set for a pipeline job's token: `pipeline:<owner/name>#<number>`. */
  pipeline?: string;
}

export interface RepositoryEntity {
  kind: string;
  ref: string;
  owner?: string;
}

export interface CommitInfo {
  sha: string;
  author?: string;
  authorEmail?: string;
  /** ISO 8601. */
  date?: string;
  message: string;
}

class HttpGitHostService implements GitHostService {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async openChangeRequest(
    request: OpenChangeRequest,
    options: { credentials: BackstageCredentials },
  ) {
    const { repository, ...body } = request;
    return this.call<ChangeRequestSummary>(
      'POST',
      `/api/v1/repos/${this.path(repository)}/pulls`,
      options.credentials,
      body,
    );
  }

  async findChangeRequests(
    query: { repository: string; head?: string; base?: string },
    options: { credentials: BackstageCredentials },
  ) {
    const open = await this.call<ChangeRequestSummary[]>(
      'GET',
      `/api/v1/repos/${this.path(query.repository)}/pulls?state=open`,
      options.credentials,
    );
    return open.filter(
      cr =>
        (!query.head || cr.head.ref === query.head) &&
        (!query.base || cr.base.ref === query.base),
    );
  }

  async verifyDeployToken(token: string) {
    const res = await this.fetch('POST', '/deploy-tokens/verify', undefined, {
      token,
    });
    if (res.status === 401) return undefined;
    return this.read<DeployTokenInfo>(res);
  }

  async entitiesOf(repository: string) {
    const { items } = await this.call<{ items: RepositoryEntity[] }>(
      'GET',
      `/repositories/${this.path(repository)}/entities`,
    );
    return items;
  }

  async getRepository(repository: string) {
    return this.call<{
      created_at: string;
      default_branch: string;
      html_url: string;
    }>('GET', `/api/v1/repos/${this.path(repository)}`);
  }

  async hasCommit(repository: string, sha: string) {
    const res = await this.fetch(
      'GET',
      `/api/v1/repos/${this.path(repository)}/git/commits/${encodeURIComponent(
        sha,
      )}`,
    );
    if (res.status === 404 || res.status === 400) return false;
    await this.read(res);
    return true;
  }

  async commitsBetween(
    repository: string,
    base: string | undefined,
    head: string,
  ): Promise<CommitInfo[]> {
    type GiteaCommit = {
      sha: string;
      commit: {
        message: string;
        author?: { name?: string; email?: string; date?: string };
      };
    };
    const commits = base
      ? (
          await this.call<{ commits: GiteaCommit[] }>(
            'GET',
            `/api/v1/repos/${this.path(
              repository,
            )}/compare/${encodeURIComponent(base)}...${encodeURIComponent(
              head,
            )}`,
          )
        ).commits
      : await this.call<GiteaCommit[]>(
          'GET',
          `/api/v1/repos/${this.path(
            repository,
          )}/commits?sha=${encodeURIComponent(head)}&limit=100`,
        );
    return commits.map(c => ({
      sha: c.sha,
      author: c.commit.author?.name,
      authorEmail: c.commit.author?.email,
      date: c.commit.author?.date,
      message: c.commit.message,
    }));
  }

  private path(repository: string) {
    const [owner, name, ...rest] = repository.split('/');
    if (!owner || !name || rest.length) {
      throw new TypeError(
        `A repository is 'owner/name', e.g. payments/shop, not '${repository}'`,
      );
    }
    return `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
  }

  private async call<T>(
    method: string,
    path: string,
    credentials?: BackstageCredentials,
    body?: object,
  ): Promise<T> {
    return this.read<T>(await this.fetch(method, path, credentials, body));
  }

  /** As the user in `credentials`, or as the calling plugin. */
  private async fetch(
    method: string,
    path: string,
    credentials?: BackstageCredentials,
    body?: object,
  ) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials ?? (await this.auth.getOwnServiceCredentials()),
      targetPluginId: 'git-host',
    });
    return fetch(`${await this.discovery.getBaseUrl('git-host')}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
      },
      body: body && JSON.stringify(body),
    });
  }

  private async read<T>(res: Response): Promise<T> {
    if (!res.ok) {
      // The git host's own error (NotAllowedError naming who may,
      // ConflictError saying what conflicts) reaches the caller.
      throw (await ResponseError.fromResponse(res)).cause;
    }
    return (await res.json()) as T;
  }
}

/** Paved's git host, for other backend plugins. */
export const gitHostServiceRef = createServiceRef<GitHostService>({
  id: 'paved.git-host',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) => new HttpGitHostService(discovery, auth),
    }),
});
