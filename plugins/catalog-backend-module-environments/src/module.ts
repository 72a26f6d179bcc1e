import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { ENVIRONMENTS_TOPIC } from '@internal/plugin-environments-common';
import { EnvironmentEntityProvider } from './EnvironmentEntityProvider';
import { TerraformModuleProcessor } from './TerraformModuleProcessor';

/**
 * Environments as Resource entities: refreshed at once when the environments
 * plugin reports a change, and every ten minutes in case an event was
 * missed. And the approved modules' manifests as TerraformModule entities,
 * each with its Component.
 */
export const catalogModuleEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
      },
      async init({
        catalog,
        discovery,
        auth,
        logger,
        scheduler,
        config,
        events,
      }) {
        const provider = new EnvironmentEntityProvider({
          discovery,
          auth,
          logger,
          appBaseUrl: config.getString('app.baseUrl'),
        });
        catalog.addEntityProvider(provider);
        catalog.addProcessor(new TerraformModuleProcessor());
        await events.subscribe({
          id: 'catalog-environments',
          topics: [ENVIRONMENTS_TOPIC],
          onEvent: async () => provider.refresh(),
        });
        await scheduler.scheduleTask({
          id: 'environments-entity-refresh',
          // Changes arrive as events; this full refresh only repairs a
          // missed one, so it need not run often.
          frequency: { minutes: 10 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 5 },
          scope: 'local',
          fn: () => provider.refresh(),
        });
      },
    });
  },
});
