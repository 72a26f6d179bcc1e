/** A repository's place on the git host: `payments/shop`. */
export interface RepositoryPath {
  owner: string;
  name: string;
}

/**
 * The repository a URL on Paved's git host points into, or undefined when
 * the URL is not on the git host. Understands the Gitea URLs Backstage's
 * Gitea integration uses (`<base>/<owner>/<name>/src/branch/<ref>/<path>`,
 * clone URLs `<base>/<owner>/<name>.git`) and the flat URLs of earlier
 * releases (`<base>/git/<name>.git/-/blob/<ref>/<path>`), whose owner is
 * `git`.
 */
export function repositoryOfUrl(
  gitHostBaseUrl: string,
  url: string,
): RepositoryPath | undefined {
  const prefix = `${gitHostBaseUrl.replace(/\/+$/, '')}/`;
  if (!url.startsWith(prefix)) {
    return undefined;
  }
  const [owner, repo] = url.slice(prefix.length).split(/[/?#]/);
  if (!owner || !repo || owner === 'api') {
    return undefined;
  }
  return { owner, name: repo.replace(/\.git$/, '') };
}

/** `<base>/<owner>/<name>/src/branch/<ref>/<path>`, as Gitea spells it. */
export function giteaFileUrl(
  gitHostBaseUrl: string,
  repository: RepositoryPath,
  ref: string,
  path = '',
) {
  return `${gitHostBaseUrl}/${repository.owner}/${repository.name}/src/branch/${ref}/${path}`;
}
