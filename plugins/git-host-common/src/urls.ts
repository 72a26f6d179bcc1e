/**
 * The repository a URL on Paved's git host points into, e.g. `shop` for
 * `<base>/git/shop.git/-/blob/main/catalog-info.yaml`, or undefined when
 * the URL is not on the git host.
 */
export function repositoryOfUrl(gitHostBaseUrl: string, url: string) {
  const prefix = `${gitHostBaseUrl.replace(/\/+$/, '')}/git/`;
  if (!url.startsWith(prefix)) {
    return undefined;
  }
  return url.slice(prefix.length).match(/^([a-z0-9-]+)\.git(?:\/|$)/)?.[1];
}
