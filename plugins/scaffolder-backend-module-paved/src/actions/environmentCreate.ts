import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ENVIRONMENT_NAME_PATTERN,
  ENVIRONMENT_NAME_RULE,
  ENVIRONMENT_SIZES,
} from '@internal/plugin-environments-common';
import { examples } from './environmentCreate.examples';
import { EnvironmentsClient } from './environmentsClient';

const POLL_MS = 1000;

/**
 * paved:environment:create — asks the environments plugin for an
 * environment of a service and streams the Terraform run's progress into the
 * task log until it ends. The request is checkpointed: a retried task follows
 * the same run instead of asking twice.
 */
export function createEnvironmentCreateAction(options: {
  config: Config;
  discovery: DiscoveryService;
  auth: AuthService;
  catalog: CatalogService;
  /** How long to wait for a just-registered service to reach the catalog. */
  catalogWaitMs?: number;
}) {
  const client = new EnvironmentsClient(options.discovery, options.auth);
  const appBaseUrl = options.config.getString('app.baseUrl');

  return createTemplateAction({
    id: 'paved:environment:create',
    description:
      "Creates an environment of a service from the platform's approved Terraform modules and waits for it, showing Terraform's progress.",
    examples,
    schema: {
      input: {
        service: z =>
          z
            .string()
            .describe(
              'Entity ref of the service, e.g. component:default/checkout-api',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              "The service's owner; taken from the catalog when left out",
            ),
        name: z =>
          z.string().describe(`Environment name: ${ENVIRONMENT_NAME_RULE}`),
        size: z =>
          z.enum(ENVIRONMENT_SIZES).default('small').describe('Size class'),
        resources: z =>
          z
            .array(z.string())
            .min(1)
            .describe(
              'Building blocks: ids of approved modules (GET /api/environments/options), e.g. postgres, redis, rabbitmq',
            ),
        inputs: z =>
          z
            .record(
              z.string(),
              z.record(
                z.string(),
                z.union([z.string(), z.number(), z.boolean()]),
              ),
            )
            .optional()
            .describe(
              "Per building block, the answers to its module's questions",
            ),
        ttlHours: z =>
          z
            .number()
            .optional()
            .describe('Hours until the environment is destroyed'),
      },
      output: {
        environmentId: z => z.string().describe('Id of the environment'),
        entityRef: z =>
          z.string().describe('Its Resource entity in the catalog'),
        environmentUrl: z => z.string().describe('Its page in the portal'),
        status: z => z.string().describe('Its status when the step ended'),
      },
    },
    async handler(ctx) {
      const { service, owner, name, size, resources, inputs, ttlHours } =
        ctx.input;
      if (!ENVIRONMENT_NAME_PATTERN.test(name)) {
        throw new InputError(
          `Invalid environment name "${name}": ${ENVIRONMENT_NAME_RULE}`,
        );
      }
      const credentials = await ctx.getInitiatorCredentials();
      // A golden path registers the service a moment before this step; the
      // environments plugin needs the catalog to know it (and its owner).
      // Generous: a busy catalog (a restart, a large first ingestion) can
      // take minutes to process a new location; the wait is logged.
      const deadline = Date.now() + (options.catalogWaitMs ?? 10 * 60_000);
      let waiting = false;
      while (
        !(await options.catalog.getEntityByRef(service, { credentials }))
      ) {
        if (Date.now() > deadline) {
          throw new InputError(
            `${service} did not appear in the catalog within ${Math.round(
              (options.catalogWaitMs ?? 10 * 60_000) / 1000,
            )} s; check the Catalog errors page for its catalog-info.yaml, or register it first`,
          );
        }
        if (!waiting) {
          ctx.logger.info(`Waiting for the catalog to process ${service}`);
          waiting = true;
        }
        await new Promise(r => setTimeout(r, POLL_MS));
      }
      /** Streams a run's log into the task log until it ends. */
      const followRun = async (id: string) => {
        let after = 0;
        for (;;) {
          if (ctx.signal?.aborted) {
            throw new Error(
              'The task was cancelled; the environment run goes on in the portal',
            );
          }
          const { items, finished } = await client.events(
            id,
            after,
            credentials,
          );
          for (const event of items) {
            ctx.logger[event.level](event.message);
            after = event.seq;
          }
          if (finished && items.length === 0) break;
          if (!finished) await new Promise(r => setTimeout(r, POLL_MS));
        }
        return client.run(id, credentials);
      };
      const created = await ctx.checkpoint({
        key: `paved.environment.create.${service}.${name}`,
        fn: async () => {
          // Keyed by the task and step: if the backend dies after the
          // environment is made but before this checkpoint is saved, the
          // resumed step gets the same environment back, not a conflict.
          const { environment, run } = await client.create(
            {
              service,
              owner,
              name,
              size,
              resources,
              inputs,
              ttlHours,
              requestId: `scaffolder:${ctx.task.id}:${
                ctx.step?.id ?? 'environment'
              }`,
            },
            credentials,
          );
          return {
            environmentId: environment.id,
            runId: run.id,
            entityRef: environment.entityRef,
          };
        },
      });
      const environmentUrl = `${appBaseUrl}/environments/${created.environmentId}`;
      ctx.logger.info(`Environment ${name} of ${service}: ${environmentUrl}`);

      let runId = created.runId;
      let run = await followRun(runId);
      // The portal restarted during the run (this task may be resuming after
      // the same restart): the user asked for the environment, so apply it
      // again, once per interrupted run, a few times at most.
      for (let retry = 1; run.status === 'interrupted' && retry <= 3; retry++) {
        ctx.logger.warn(
          `The environment's run was interrupted by a restart of the portal; applying it again`,
        );
        const interrupted = runId;
        runId = await ctx.checkpoint({
          key: `paved.environment.reapply.${interrupted}`,
          fn: async () =>
            (
              await client.requestRun(
                created.environmentId,
                'apply',
                credentials,
              )
            ).id,
        });
        run = await followRun(runId);
      }

      ctx.output('environmentId', created.environmentId);
      ctx.output('entityRef', created.entityRef);
      ctx.output('environmentUrl', environmentUrl);
      ctx.output('status', run.status);
      if (run.status === 'awaiting-approval') {
        // A protected environment (or a soft policy) waits for people: the
        // golden path goes on; the environment is applied once approved.
        const gate = run.gate;
        ctx.logger.warn(
          `The environment's plan waits for ${
            gate?.approvalsRequired
              ? `${
                  gate.approvalsRequired
                } approval(s) from ${gate.approverGroups.join(' or ')}`
              : 'an override by the platform team'
          }; it is applied once approved. Follow it at ${environmentUrl}`,
        );
        return;
      }
      if (run.status !== 'succeeded') {
        throw new Error(
          `The environment's Terraform run ${run.status}: ${
            run.error ?? 'see the log above'
          }. The environment is kept; fix the cause and apply it again from ${environmentUrl}`,
        );
      }
    },
  });
}
