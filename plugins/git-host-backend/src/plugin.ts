import {
  coreServices,
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { gitRepositoryPermissions } from '@internal/plugin-git-host-common';
import { BareRepositories } from './service/BareRepositories';
import { RepositoryStore } from './service/RepositoryStore';
import { createRouter } from './service/router';
import { RepositoryAccess } from './service/access';
import { ChangeRequests } from './service/ChangeRequests';
import { CommitStatuses } from './service/CommitStatuses';
import {
  gitRepositoryResourceRef,
  gitRepositoryRules,
} from './service/permissions';
import { gitHostBaseUrl, gitHostRoot } from './config';
import { PipelineStore } from './pipelines/PipelineStore';
import { PipelineRunner } from './pipelines/PipelineRunner';
import { Pipelines } from './pipelines/Pipelines';
import { readPipelinesConfig } from './pipelines/config';
import { createJobVariables } from './pipelines/jobVariables';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/**
 * The embedded git host. It speaks the part of Gitea's API that Backstage's
 * Gitea integration uses, under /api/git-host, so with an
 * `integrations.gitea` entry for it Backstage's own URL reader,
 * `publish:gitea` and `catalog:register` work against it unchanged. Bare
 * repositories live under `gitHost.root` as `<owner>/<name>.git`, served
 * with git's smart-HTTP protocol at /api/git-host/<owner>/<name>.git.
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
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        lifecycle: coreServices.lifecycle,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        auth,
        userInfo,
        permissions,
        permissionsRegistry,
        auditor,
        catalog,
        discovery,
        lifecycle,
        notifications,
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
        const baseUrl = gitHostBaseUrl(config);
        logger.info(`Serving git repositories from ${root} at ${baseUrl}`);
        const integration = ScmIntegrations.fromConfig(config)
          .gitea.list()
          .find(gitea => gitea.config.baseUrl === baseUrl);
        if (!integration) {
          logger.warn(
            `No integrations.gitea entry has baseUrl ${baseUrl}: Backstage cannot read, ` +
              `register or publish repositories of the git host. Add one (see app-config.yaml).`,
          );
        }

        const store = new RepositoryStore(db);
        const repositories = new BareRepositories(root);
        permissionsRegistry.addResourceType({
          resourceRef: gitRepositoryResourceRef,
          permissions: gitRepositoryPermissions,
          rules: gitRepositoryRules,
          getResources: async ids => {
            const all = await store.list();
            return ids.map(id => all.find(r => r.fullName === id));
          },
        });
        const statuses = new CommitStatuses(db);
        const pipelineStore = new PipelineStore(db);
        const pipelinesConfig = readPipelinesConfig(config);
        const appBaseUrl =
          config.getOptionalString('app.baseUrl') ??
          config.getString('backend.baseUrl');
        // The runner links to pipelines' pages, which Pipelines knows.
        const pipelineUrl = (
          repository: { fullName: string },
          number: number,
        ) =>
          `${appBaseUrl}/repositories/${repository.fullName}/pipelines/${number}`;
        const pipelines = new Pipelines({
          store: pipelineStore,
          repositories,
          statuses,
          logger,
          appBaseUrl,
        });
        const runner = pipelinesConfig.enabled
          ? new PipelineRunner({
              store: pipelineStore,
              repositoryStore: store,
              repositories,
              logger: logger.child({ task: 'pipelines' }),
              config: pipelinesConfig,
              instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
              variables: createJobVariables({
                repositoryStore: store,
                catalog,
                auth,
                discovery,
                logger,
                baseUrl,
                defaultBranch: repositories.defaultBranch,
                reportTokenVariable:
                  config.getOptionalString(
                    'paved.pipelines.reportTokenSecret',
                  ) ?? 'PAVED_DEPLOY_TOKEN',
              }),
              cloneUrl: repository => `${baseUrl}/${repository.fullName}.git`,
              pipelineUrl: (repository, pipeline) =>
                pipelineUrl(repository, pipeline.number),
              onFinished: async (pipeline, status) => {
                const repository = await store.byId(pipeline.repositoryId);
                if (!repository) return;
                await pipelines.report(repository, pipeline, status);
                const branch = repositories.defaultBranch;
                if (
                  status === 'failed' &&
                  [branch, `refs/heads/${branch}`].includes(pipeline.ref)
                ) {
                  // The owners hear when their main branch turns red.
                  await notifications
                    .send({
                      recipients: {
                        type: 'entity',
                        entityRef: repository.owner,
                      },
                      payload: {
                        title: `Pipeline #${pipeline.number} failed on ${branch} of ${repository.fullName}`,
                        description: `Commit ${pipeline.sha.slice(
                          0,
                          8,
                        )}: open the pipeline for the failed job and its log.`,
                        link: pipelineUrl(repository, pipeline.number),
                        severity: 'high',
                        topic: 'pipelines',
                        scope: `pipeline:${repository.id}:${branch}`,
                      },
                    })
                    .catch(error =>
                      logger.warn(
                        `Could not tell the owners of ${repository.fullName} that its pipeline failed: ${error}`,
                      ),
                    );
                }
              },
            })
          : undefined;
        if (runner) {
          pipelines.useRunner(runner);
          logger.info(
            `The pipeline runner is on: .gitlab-ci.yml runs after every push (${pipelinesConfig.concurrency} at a time, folders under ${pipelinesConfig.workDir})`,
          );
          lifecycle.addStartupHook(() => runner.start());
          lifecycle.addShutdownHook(() =>
            runner.stop(pipelinesConfig.killGraceMs + 5_000),
          );
        }
        httpRouter.use(
          await createRouter({
            logger,
            auth,
            config,
            store,
            repositories,
            changeRequests: new ChangeRequests(db, repositories),
            statuses,
            pipelines,
            pipelineStore,
            catalog,
            auditor,
            access: new RepositoryAccess({
              userInfo,
              catalog,
              auth,
              permissions,
              store,
              platformGroups: RepositoryAccess.platformGroups(config),
            }),
            hooksPath: resolvePackagePath(
              '@internal/plugin-git-host-backend',
              'hooks',
            ),
          }),
        );
        // git clients and Backstage's Gitea integration send their own
        // credentials (Basic, Gitea's `token`), which Backstage's default
        // policy would refuse; every route authenticates in the router.
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});
