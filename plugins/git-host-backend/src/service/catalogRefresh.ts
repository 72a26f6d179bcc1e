import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { hostedFileUrl } from '../urlReader/GitHostUrlReader';

/**
 * After a push, asks the catalog to re-read the entities that come from the
 * repository's catalog-info.yaml on its default branch, so a change shows up
 * at once instead of at the next processing interval.
 */
export async function refreshCatalogAfterPush(options: {
  repository: string;
  defaultBranch: string;
  baseUrl: string;
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
}) {
  const { repository, defaultBranch, baseUrl, catalog, auth, logger } = options;
  const location = `url:${hostedFileUrl(baseUrl, {
    repository,
    ref: defaultBranch,
    path: 'catalog-info.yaml',
  })}`;
  try {
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      {
        filter: {
          'metadata.annotations.backstage.io/managed-by-location': location,
        },
        fields: ['kind', 'metadata.namespace', 'metadata.name'],
      },
      { credentials },
    );
    for (const entity of items) {
      await catalog.refreshEntity(stringifyEntityRef(entity), { credentials });
    }
    if (items.length) {
      logger.info(
        `Refreshing ${items.length} catalog entities after a push to ${repository}`,
      );
    }
  } catch (error) {
    // The push itself succeeded; the catalog catches up at its next pass.
    logger.warn(
      `Could not refresh the catalog after a push to ${repository}: ${error}`,
    );
  }
}
