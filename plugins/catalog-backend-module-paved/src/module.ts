import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { GitHostOwnershipProcessor } from './GitHostOwnershipProcessor';
import { GitHostRepositories } from './GitHostRepositories';
import { SafeLinksProcessor } from './SafeLinksProcessor';
import {
  DeploymentAnnotationsProcessor,
  DeploymentsClient,
} from './DeploymentAnnotationsProcessor';
import { processingErrorsRouter } from './processingErrors';

/**
 * Paved's checks on what the catalog accepts: an entity from a repository
 * on Paved's git host may only name an owner that can change that file, and
 * links must be safe to open. A refused entity keeps its last good version
 * and shows on the Catalog errors page, whose list of every entity that
 * failed to process (`GET /api/catalog/processing-errors`) is served here.
 */
export const catalogModulePaved = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'paved',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
      },
      async init({
        catalog,
        discovery,
        auth,
        config,
        database,
        httpRouter,
        httpAuth,
        permissions,
      }) {
        catalog.addProcessor(
          new GitHostOwnershipProcessor({
            gitHostBaseUrl: `${config.getString(
              'backend.baseUrl',
            )}/api/git-host`,
            repositories: new GitHostRepositories({ discovery, auth }),
            platformGroups: config.getOptionalStringArray(
              'paved.permission.platformGroups',
            ) ?? ['group:default/platform'],
          }),
          new SafeLinksProcessor(),
          new DeploymentAnnotationsProcessor(
            new DeploymentsClient({ discovery, auth }),
          ),
        );
        httpRouter.use(
          processingErrorsRouter({
            db: await database.getClient(),
            httpAuth,
            permissions,
          }),
        );
      },
    });
  },
});
