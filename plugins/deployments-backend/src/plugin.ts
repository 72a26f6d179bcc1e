import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { gitHostServiceRef } from '@internal/plugin-git-host-node';
import { durationToMilliseconds } from '@backstage/types';
import { readBands } from './metrics/bands';
import { FactStore } from './metrics/FactStore';
import { MetricsService } from './metrics/MetricsService';
import { isTimeZone } from './metrics/time';
import { DeploymentStore } from './service/DeploymentStore';
import { IncidentStore } from './service/IncidentStore';
import { createRouter } from './service/router';

/**
 * Deployments: `POST /api/deployments/report` takes reports from the git
 * host's runner and from any CI, authenticated with a deploy token of the
 * service's repository, and works out the commits each deployment brought
 * from the git host itself.
 */
export const deploymentsPlugin = createBackendPlugin({
  pluginId: 'deployments',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        gitHost: gitHostServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        auditor,
        userInfo,
        catalog,
        gitHost,
      }) {
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await db.migrate.latest({
            directory: resolvePackagePath(
              '@internal/plugin-deployments-backend',
              'migrations',
            ),
            tableName: 'deployments__knex_migrations',
          });
        }
        const skewKey = 'paved.deployments.allowedClockSkew';
        const timeZone =
          config.getOptionalString('paved.delivery.timeZone') ?? 'UTC';
        if (!isTimeZone(timeZone)) {
          throw new Error(
            `paved.delivery.timeZone '${timeZone}' is not an IANA time zone, e.g. Europe/Berlin`,
          );
        }
        const incidents = new IncidentStore(db);
        httpRouter.use(
          await createRouter({
            store: new DeploymentStore(db),
            incidents,
            metrics: new MetricsService({
              db,
              incidents,
              facts: new FactStore(db, incidents),
              catalog,
              auth,
              bands: readBands(config),
            }),
            userInfo,
            platformGroups: config.getOptionalStringArray(
              'paved.permission.platformGroups',
            ) ?? ['group:default/platform'],
            defaultEnvironment:
              config.getOptionalString('paved.delivery.environment') ??
              'production',
            timeZone,
            gitHost,
            catalog,
            auth,
            httpAuth,
            auditor,
            logger,
            environments: config.getOptionalStringArray(
              'paved.deployments.environments',
            ) ?? ['dev', 'staging', 'production'],
            clockSkewMs: config.has(skewKey)
              ? durationToMilliseconds(
                  readDurationFromConfig(config, { key: skewKey }),
                )
              : 5 * 60_000,
          }),
        );
        // CI sends a deploy token, not a Backstage token; the route checks it.
        httpRouter.addAuthPolicy({ path: '/report', allow: 'unauthenticated' });
        httpRouter.addAuthPolicy({
          path: '/incidents',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
