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
    credentials: BackstageCredentials,
    body?: object,
  ): Promise<T> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'git-host',
    });
    const res = await fetch(
      `${await this.discovery.getBaseUrl('git-host')}${path}`,
      {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
        },
        body: body && JSON.stringify(body),
      },
    );
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
