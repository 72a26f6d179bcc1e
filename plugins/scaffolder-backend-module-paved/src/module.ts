import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createPipelineProvisionAction } from './actions/pipelineProvision';
import { createRepoPublishAction } from './actions/repoPublish';
import { createEnvironmentCreateAction } from './actions/environmentCreate';
import { createNamesCheckAction } from './actions/namesCheck';
import { GitHostClient } from './actions/gitHostClient';
import { nameConflictsRouter } from './names/router';
import { ShutdownGuard } from './shutdownGuard';

/** Paved's golden-path actions for the scaffolder, and the form's name check. */
export const scaffolderModulePaved = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        rootLifecycle: coreServices.rootLifecycle,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        rootLifecycle,
        discovery,
        auth,
        httpAuth,
        httpRouter,
        catalog,
      }) {
        const gitHost = new GitHostClient(discovery, auth);
        const shutdown = new ShutdownGuard(rootLifecycle);
        scaffolder.addActions(
          ...[
            createNamesCheckAction({ catalog, gitHost, auth }),
            createRepoPublishAction({ config, discovery, auth }),
            createPipelineProvisionAction({ config }),
            createEnvironmentCreateAction({ config, discovery, auth, catalog }),
          ].map(action => shutdown.guard(action)),
        );
        // What the golden paths' forms ask before letting a name through.
        httpRouter.use(
          nameConflictsRouter({ catalog, gitHost, auth, httpAuth }),
        );
      },
    });
  },
});
