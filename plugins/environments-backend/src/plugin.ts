import {
  coreServices,
  createBackendPlugin,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  environmentAuditReadPermission,
  environmentOverridePermission,
  environmentPermissions,
  ENVIRONMENTS_TOPIC,
} from '@internal/plugin-environments-common';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { readEnvironmentsConfig } from './config';
import { EnvironmentStore } from './database/EnvironmentStore';
import { postgresStateStorage } from './database/stateStorage';
import { ModuleRegistry } from './modules/ModuleRegistry';
import { EnvironmentService } from './service/EnvironmentService';
import { scheduleLifecycle } from './service/lifecycle';
import {
  environmentResourceRef,
  isEnvironmentOwner,
} from './service/permissions';
import { createRouter } from './service/router';
import { RunExecutor, StateStorage } from './service/RunExecutor';
import { RunQueue } from './service/RunQueue';
import { SecretBox } from './service/SecretBox';
import { GateStore } from './database/GateStore';
import { readGuardrailsConfig } from './guardrails/config';
import { Guardrails } from './guardrails/Guardrails';
import { PolicyEngine } from './guardrails/PolicyEngine';
import { ApprovalService } from './guardrails/ApprovalService';
import { AuditTrail } from './guardrails/AuditTrail';
import { EnvironmentNotifier } from './guardrails/EnvironmentNotifier';

/**
 * A run folder outlives its run only if the process died mid-run (SIGKILL);
 * its saved plan holds variable values, passwords included.
 */
async function removeLeftoverRunFolders(
  dataDir: string,
  store: EnvironmentStore,
  logger: LoggerService,
) {
  const runsDir = join(dataDir, 'runs');
  const folders = await readdir(runsDir).catch(() => [] as string[]);
  const running = new Set(
    (await store.getRuns(folders))
      .filter(r => r.status === 'running')
      .map(r => r.id),
  );
  for (const folder of folders.filter(f => !running.has(f))) {
    await rm(join(runsDir, folder), { recursive: true, force: true });
    logger.info(`Removed the leftover folder of run ${folder}`);
  }
}

/**
 * Environments: the portal's one owner of Terraform runs. Runs are queued in
 * the database and claimed by a worker on any replica; the HTTP API, the
 * scaffolder action and the lifecycle jobs only ever queue them.
 */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        notifications: notificationService,
      },
      async init(deps) {
        const { logger, lifecycle, events } = deps;
        const config = readEnvironmentsConfig(deps.rootConfig);
        const db = await deps.database.getClient();
        if (!deps.database.migrations?.skip) {
          await db.migrate.latest({
            directory: resolvePackagePath(
              '@internal/plugin-environments-backend',
              'migrations',
            ),
            tableName: 'environments__knex_migrations',
          });
        }
        // Run folders hold plans with variable values; local state holds
        // outputs: only the portal's user may read them.
        mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
        chmodSync(config.dataDir, 0o700);
        // An empty Terraform CLI configuration: nothing is ever downloaded.
        writeFileSync(join(config.dataDir, 'terraformrc'), '');

        let secrets: SecretBox;
        if (config.encryptionKey) {
          secrets = SecretBox.fromKeyMaterial(config.encryptionKey);
        } else {
          const keyFile = join(config.dataDir, 'encryption.key');
          logger.warn(
            `paved.environments.encryptionKey is not set; secrets are encrypted with the key in ${keyFile}. Set it in production.`,
          );
          secrets = SecretBox.fromKeyFile(keyFile);
        }

        const state: StateStorage =
          db.client.config.client === 'pg'
            ? postgresStateStorage(db, config.stateConnectionString)
            : { type: 'local', dir: join(config.dataDir, 'state') };
        if (state.type === 'local') {
          mkdirSync(state.dir, { recursive: true, mode: 0o700 });
        }
        logger.info(
          `Terraform state is kept in ${
            state.type === 'pg'
              ? 'PostgreSQL (a schema per environment)'
              : state.dir
          }`,
        );

        const store = new EnvironmentStore(db);
        const gates = new GateStore(db);
        const guardrailsConfig = readGuardrailsConfig(deps.rootConfig);
        const policies = new PolicyEngine(guardrailsConfig.policyFile);
        // A broken policy file does not stop the portal: runs it would
        // check are held until it is fixed (see Guardrails.check).
        const loaded = await policies.load();
        if (!loaded.ok) {
          logger.error(`Environment policies: ${loaded.error}`);
        } else if (loaded.source) {
          logger.info(
            `Environment policies: ${loaded.rules.length} rule(s) from ${loaded.source}`,
          );
        }
        const guardrails = new Guardrails({
          config: guardrailsConfig,
          policies,
          gates,
          now: () => new Date(),
        });
        const trail = new AuditTrail({ gates, logger });
        const notifier = new EnvironmentNotifier({
          notifications: deps.notifications,
          logger,
        });
        const changed = (environmentId: string) => {
          events
            .publish({
              topic: ENVIRONMENTS_TOPIC,
              eventPayload: { environmentId },
            })
            .catch(error =>
              logger.warn(`Could not publish environment change: ${error}`),
            );
        };
        // The approved modules, read from their manifests now and again
        // whenever a file under the modules folder changes.
        const modules = new ModuleRegistry({
          modulesDir: config.modulesDir,
          targets: config.targets,
          logger: logger.child({ component: 'modules' }),
        });
        modules.watch();
        lifecycle.addShutdownHook(() => modules.close());
        const service = new EnvironmentService({
          store,
          config,
          secrets,
          modules,
          gates,
          guardrails,
          stateType: state.type,
          catalog: deps.catalog,
          auth: deps.auth,
          onChange: changed,
        });
        const queue = new RunQueue({
          store,
          logger,
          maxParallel: config.maxParallelRuns,
          instanceId: `${hostname()}:${process.pid}:${randomUUID()}`,
          executor: new RunExecutor({
            config,
            store,
            secrets,
            logger,
            state,
            now: () => new Date(),
            modules,
            guardrails,
            gates,
            onHeld: async (run, environment, decision) => {
              await (
                await deps.auditor.createEvent({
                  eventId:
                    decision.outcome === 'wait'
                      ? 'environment-run-approval-request'
                      : 'environment-run-blocked',
                  severityLevel: 'medium',
                  meta: {
                    actor: run.requested_by,
                    environmentId: environment.id,
                    runId: run.id,
                    planHash: run.plan_hash,
                  },
                })
              ).success();
              await trail.record({
                actor: run.requested_by,
                action: `run-${
                  decision.outcome === 'wait' ? 'awaiting-approval' : 'blocked'
                }`,
                outcome: decision.outcome === 'wait' ? 'succeeded' : 'refused',
                subject: environment,
                runId: run.id,
                detail: decision.message,
              });
              if (decision.outcome === 'wait') {
                await notifier.approvalRequested(
                  run,
                  environment,
                  decision.gate,
                );
              } else {
                await notifier.decided(
                  run,
                  environment,
                  'blocked',
                  decision.message,
                );
              }
            },
            onFinished: async (run, environment, completion) => {
              if (
                completion.status === 'awaiting-approval' ||
                completion.status === 'blocked'
              ) {
                return;
              }
              await trail.record({
                actor: run.requested_by,
                action: `run-${run.kind}`,
                outcome:
                  completion.status === 'succeeded' ? 'succeeded' : 'failed',
                subject: environment,
                runId: run.id,
                detail: completion.error ?? undefined,
              });
              if (
                run.kind === 'drift' &&
                completion.environment.drift === 'drifted' &&
                environment.drift !== 'drifted'
              ) {
                await notifier.drifted(environment, run);
              }
            },
          }),
          onRunFinished: run => changed(run.environment_id),
        });
        const approvals = new ApprovalService({
          store,
          gates,
          onChange: changed,
        });

        deps.permissionsRegistry.addResourceType({
          resourceRef: environmentResourceRef,
          permissions: environmentPermissions,
          rules: [isEnvironmentOwner],
          getResources: ids => store.getEnvironments(ids),
        });
        deps.permissionsRegistry.addPermissions([
          environmentOverridePermission,
          environmentAuditReadPermission,
        ]);

        deps.httpRouter.use(
          await createRouter({
            service,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            permissionsRegistry: deps.permissionsRegistry,
            auditor: deps.auditor,
            userInfo: deps.userInfo,
            approvals,
            guardrails,
            trail,
            notifier,
            onRunQueued: () => queue.wake(),
          }),
        );

        await scheduleLifecycle({
          scheduler: deps.scheduler,
          auditor: deps.auditor,
          logger,
          service,
          config,
          approvals,
          gates,
          trail,
          notifier,
          onRunQueued: () => queue.wake(),
        });

        lifecycle.addStartupHook(async () => {
          await removeLeftoverRunFolders(config.dataDir, store, logger);
          await queue.start();
        });
        lifecycle.addShutdownHook(async () => {
          await queue.stop(config.shutdownGraceMs);
        });
      },
    });
  },
});
