import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { BareRepositories } from './service/BareRepositories';
import { RepositoryStore } from './service/RepositoryStore';
import { createRouter } from './service/router';
import { RepositoryAccess } from './service/access';
import { gitHostRoot } from './config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';

/**
 * The embedded git host: bare repositories under `gitHost.root`, served with
 * git's smart-HTTP protocol at /api/git-host/git/<name>.git, so the standard
 * git client clones, fetches and pushes to the portal itself.
 */
export const gitHostPlugin = createBackendPlugin({
  pluginId: 'git-host',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        auth,
        userInfo,
        catalog,
      }) {
        const db = await database.getClient();
        if (!database.migrations?.skip) {
          await db.migrate.latest({
            directory: resolvePackagePath(
              '@internal/plugin-git-host-backend',
              'migrations',
            ),
            // Its own bookkeeping table, so it never mixes with another
            // plugin's migrations in a shared database.
            tableName: 'git_host__knex_migrations',
          });
        }
        const root = gitHostRoot(config);
        logger.info(`Serving git repositories from ${root}`);
        httpRouter.use(
          await createRouter({
            logger,
            auth,
            httpAuth,
            config,
            store: new RepositoryStore(db),
            repositories: new BareRepositories(root),
            catalog,
            access: new RepositoryAccess({
              userInfo,
              catalog,
              auth,
              platformGroups: RepositoryAccess.platformGroups(config),
            }),
            hooksPath: resolvePackagePath(
              '@internal/plugin-git-host-backend',
              'hooks',
            ),
          }),
        );
        // git clients send their own credentials (checked in the router).
        httpRouter.addAuthPolicy({ path: '/git', allow: 'unauthenticated' });
      },
    });
  },
});
