import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { repositoryOfUrl } from '@internal/plugin-git-host-common';
import { RepositoryLocator } from './api';

// Backstage serves every backend plugin at <backend>/api/<pluginId>; the
// backend's own address is not needed to recognise the git host's URLs.
const GIT_HOST_PATH = '/api/git-host';

/**
 * The git-host repository an entity's source is in, from its source
 * location (or, without one, the location it was read from), e.g.
 * `url:http://localhost:7007/api/git-host/payments/shop/src/branch/main/`.
 */
export function gitHostRepositoryOf(
  entity: Entity,
): RepositoryLocator | undefined {
  for (const annotation of [ANNOTATION_SOURCE_LOCATION, ANNOTATION_LOCATION]) {
    const value = entity.metadata.annotations?.[annotation];
    const url = value?.replace(/^url:/, '');
    const at = url?.indexOf(`${GIT_HOST_PATH}/`) ?? -1;
    if (url && at >= 0) {
      const repository = repositoryOfUrl(
        url.slice(0, at + GIT_HOST_PATH.length),
        url,
      );
      if (repository) {
        return { namespace: repository.owner, name: repository.name };
      }
    }
  }
  return undefined;
}

/** A Component whose source is on the git host: it has pipelines. */
export function isGitHostComponent(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    gitHostRepositoryOf(entity) !== undefined
  );
}
