import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { giteaFileUrl } from '@internal/plugin-git-host-common';
import { RepositoryRecord } from './RepositoryStore';

/** The catalog locations a repository's catalog-info.yaml may be registered as. */
export function repositoryLocations(
  repository: RepositoryRecord,
  defaultBranch: string,
  baseUrl: string,
) {
  const locations = [
    `url:${giteaFileUrl(
      baseUrl,
      { owner: repository.namespace, name: repository.name },
      defaultBranch,
      'catalog-info.yaml',
    )}`,
  ];
  // What catalog:register's `catalogInfoPath: /catalog-info.yaml` becomes
  // against a Gitea URL (see rootFileAsRef in giteaRouter.ts).
  locations.push(
    `url:${baseUrl}/${repository.fullName}/src/branch/catalog-info.yaml`,
  );
  if (repository.legacyName) {
    locations.push(
      `url:${baseUrl}/git/${repository.legacyName}.git/-/blob/${defaultBranch}/catalog-info.yaml`,
    );
  }
  return locations;
}

/** The entities read from a repository's catalog-info.yaml, with their owners. */
export async function entitiesOfRepository(options: {
  repository: RepositoryRecord;
  defaultBranch: string;
  baseUrl: string;
  catalog: CatalogService;
  auth: AuthService;
}) {
  const { repository, defaultBranch, baseUrl, catalog, auth } = options;
  const { items } = await catalog.getEntities(
    {
      filter: repositoryLocations(repository, defaultBranch, baseUrl).map(
        location => ({
          'metadata.annotations.backstage.io/managed-by-location': location,
        }),
      ),
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'spec.owner'],
    },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return items.map(entity => ({
    kind: entity.kind,
    ref: stringifyEntityRef(entity),
    owner: (entity.spec as { owner?: string } | undefined)?.owner,
  }));
}

/**
 * After a push, asks the catalog to re-read the entities that come from the
 * repository's catalog-info.yaml on its default branch, so a change shows up
 * at once instead of at the next processing interval. Both the Gitea URL
 * (`<base>/<owner>/<name>/src/branch/main/catalog-info.yaml`) and, for a
 * repository of an earlier release, its flat URL are looked for.
 */
export async function refreshCatalogAfterPush(options: {
  repository: RepositoryRecord;
  defaultBranch: string;
  baseUrl: string;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}) {
  const { repository, catalog, auth, logger } = options;
  try {
    const credentials = await auth.getOwnServiceCredentials();
    const items = await entitiesOfRepository(options);
    for (const entity of items) {
      await catalog.refreshEntity(entity.ref, { credentials });
    }
    if (items.length) {
      logger.info(
        `Refreshing ${items.length} catalog entities after a push to ${repository.fullName}`,
      );
    }
  } catch (error) {
    // The push itself succeeded; the catalog catches up at its next pass.
    logger.warn(
      `Could not refresh the catalog after a push to ${repository.fullName}: ${error}`,
    );
  }
}
