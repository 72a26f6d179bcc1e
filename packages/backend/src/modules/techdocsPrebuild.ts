import {
  AuthService,
  coreServices,
  createBackendModule,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';

const ANNOTATION = 'backstage.io/techdocs-ref';

/**
 * Builds the docs of every entity that has docs but none published yet, one
 * at a time, through TechDocs' own sync endpoint (the one its reader calls).
 * Without it, docs are built only when someone first opens them, so search
 * finds nothing in docs nobody has read. Entities whose docs are published
 * are left to TechDocs' own check when they are read.
 */
export async function prebuildMissingDocs(options: {
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
}) {
  const { catalog, discovery, auth, logger } = options;
  const credentials = await auth.getOwnServiceCredentials();
  const { items } = await catalog.getEntities(
    {
      filter: { [`metadata.annotations.${ANNOTATION}`]: CATALOG_FILTER_EXISTS },
      fields: ['kind', 'metadata.namespace', 'metadata.name'],
    },
    { credentials },
  );
  const baseUrl = await discovery.getBaseUrl('techdocs');
  let built = 0;
  for (const entity of items) {
    const path = [
      entity.metadata.namespace ?? 'default',
      entity.kind,
      entity.metadata.name,
    ]
      .map(part => encodeURIComponent(part.toLocaleLowerCase('en-US')))
      .join('/');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'techdocs',
    });
    const headers = { Authorization: `Bearer ${token}` };
    const published = await fetch(`${baseUrl}/metadata/techdocs/${path}`, {
      headers,
    });
    if (published.ok) continue;
    // The sync stream ends when the build is done (or failed).
    const sync = await fetch(`${baseUrl}/sync/${path}`, { headers });
    const log = await sync.text();
    if (sync.ok && /event: finish/.test(log)) {
      built++;
    } else {
      logger.warn(
        `Could not build the docs of ${stringifyEntityRef(entity)}: ${
          log.match(/event: error\ndata: (.*)/)?.[1] ?? sync.status
        }`,
      );
    }
  }
  if (built) logger.info(`Built the docs of ${built} entities`);
}

/** Schedules {@link prebuildMissingDocs}: a minute after start, then daily. */
export default createBackendModule({
  pluginId: 'techdocs',
  moduleId: 'paved-prebuild',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ scheduler, ...deps }) {
        await scheduler.scheduleTask({
          id: 'techdocs-prebuild',
          frequency: { hours: 24 },
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          scope: 'global',
          fn: () => prebuildMissingDocs(deps),
        });
      },
    });
  },
});
