import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { RepositoryPath } from '@internal/plugin-git-host-common';

/** How long a repository's owner is remembered between processing passes. */
const TTL_MS = 10_000;

/** Who owns a repository on Paved's git host, from its API. */
export interface RepositoryOwners {
  /** The owner's entity ref, or undefined when there is no such repository. */
  ownerOf(repository: RepositoryPath): Promise<string | undefined>;
}

/**
 * Asks the git host plugin, as this plugin, who owns a repository. Owners
 * are cached for a few seconds: the catalog processes every entity of a
 * repository in one pass.
 */
export class GitHostRepositories implements RepositoryOwners {
  private readonly cache = new Map<
    string,
    { owner: string | undefined; at: number }
  >();

  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  async ownerOf(repository: RepositoryPath) {
    const key = `${repository.owner}/${repository.name}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < TTL_MS) {
      return cached.owner;
    }
    const { discovery, auth } = this.deps;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'git-host',
    });
    const res = await fetch(
      `${await discovery.getBaseUrl(
        'git-host',
      )}/repositories/${encodeURIComponent(
        repository.owner,
      )}/${encodeURIComponent(repository.name)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    let owner: string | undefined;
    if (res.ok) {
      owner = (await res.json()).owner;
    } else if (res.status !== 404 && res.status !== 400) {
      throw await ResponseError.fromResponse(res);
    }
    this.cache.set(key, { owner, at: Date.now() });
    return owner;
  }
}
