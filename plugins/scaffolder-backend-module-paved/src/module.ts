import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createPipelineProvisionAction } from './actions/pipelineProvision';
import { createRepoPublishAction } from './actions/repoPublish';
import { createEnvironmentCreateAction } from './actions/environmentCreate';

/** Paved's golden-path actions for the scaffolder. */
export const scaffolderModulePaved = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({ scaffolder, config, discovery, auth, catalog }) {
        scaffolder.addActions(
          createRepoPublishAction({ config, discovery, auth }),
          createPipelineProvisionAction({ config }),
          createEnvironmentCreateAction({ config, discovery, auth, catalog }),
        );
      },
    });
  },
});
