import {
  AuditorService,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  environmentDestroyPermission,
  environmentOverridePermission,
  environmentSecretsReadPermission,
  environmentUpdatePermission,
  RunKind,
} from '@internal/plugin-environments-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { EnvironmentService } from './EnvironmentService';
import { environmentResourceRef } from './permissions';
import { deployVariables } from './deployVariables';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';

function notAllowed(
  environment: { owner: string; name: string },
  verb: string,
) {
  return new NotAllowedError(
    `Only members of ${environment.owner} or the platform team may ${verb} environment "${environment.name}"`,
  );
}

const RUN_KINDS: RunKind[] = ['plan', 'apply', 'destroy', 'plan-destroy'];

/** What each requested run kind needs, and how it reads in a refusal. */
const RUN_PERMISSIONS: Record<
  string,
  [ResourcePermission<'environment'>, string]
> = {
  plan: [environmentUpdatePermission, 're-plan'],
  apply: [environmentUpdatePermission, 'apply'],
  destroy: [environmentDestroyPermission, 'destroy'],
  'plan-destroy': [environmentDestroyPermission, 'destroy'],
};

/** The environments HTTP API (described in ../schema/openapi.yaml). */
export async function createRouter(options: {
  service: EnvironmentService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  permissionsRegistry: PermissionsRegistryService;
  auditor: AuditorService;
  onRunQueued: () => void;
}): Promise<express.Router> {
  const { service, httpAuth, permissions, auditor } = options;
  // Applies a policy's conditions to an environment in hand.
  const isAllowed = createConditionAuthorizer(
    options.permissionsRegistry.getPermissionRuleset(environmentResourceRef),
  );
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  /** The signed-in user, allowed to do `verb` to an environment owned by `owner`, or 403. */
  async function authorize(
    req: Request,
    permission: ResourcePermission<'environment'>,
    environment: { id: string; owner: string; name: string },
    verb: string,
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: environment.id }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw notAllowed(environment, verb);
    }
    return credentials.principal.userEntityRef;
  }

  /** As authorize, for an environment that is not stored yet. */
  async function authorizeNew(
    req: Request,
    environment: { owner: string; name: string },
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorizeConditional(
      [{ permission: environmentUpdatePermission }],
      { credentials },
    );
    if (!isAllowed(decision, { id: '', owner: environment.owner })) {
      throw notAllowed(environment, 'ask for');
    }
    return credentials.principal.userEntityRef;
  }

  router.get('/options', async (_req, res) => {
    res.json(service.options());
  });

  router.get('/environments', async (req, res) => {
    const q = req.query;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    res.json({
      items: await service.list({
        owner: str(q.owner),
        status: str(q.status),
        service: str(q.service),
        includeDestroyed: q.includeDestroyed === 'true',
      }),
    });
  });

  router.post('/environments', async (req, res) => {
    const request = await service.resolveOwner(
      service.validate(req.body ?? {}),
    );
    const user = await authorizeNew(req, request);
    const audit = await auditor.createEvent({
      eventId: 'environment-create',
      severityLevel: 'medium',
      request: req,
      meta: {
        service: request.service,
        environment: request.name,
        resources: request.resources,
      },
    });
    try {
      const { created, ...made } = await service.create(request, user);
      await audit.success({
        meta: {
          environmentId: made.environment.id,
          runId: made.run.id,
          ...(created ? {} : { repeatedRequest: request.requestId }),
        },
      });
      options.onRunQueued();
      // The same request again (its requestId): what it made, as before.
      res.status(created ? 202 : 200).json(made);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/environments/:id', async (req, res) => {
    res.json(await service.get(req.params.id));
  });

  router.get('/environments/:id/runs', async (req, res) => {
    res.json({ items: await service.runs(req.params.id) });
  });

  router.post('/environments/:id/runs', async (req, res) => {
    const kind = req.body?.kind;
    if (!RUN_KINDS.includes(kind)) {
      throw new InputError(`kind must be one of ${RUN_KINDS.join(', ')}`);
    }
    const override = req.body?.override === true;
    const env = await service.getRow(req.params.id);
    const [permission, verb] = RUN_PERMISSIONS[kind];
    const user = await authorize(req, permission, env, verb);
    if (override) {
      const [decision] = await permissions.authorize(
        [{ permission: environmentOverridePermission }],
        { credentials: await httpAuth.credentials(req, { allow: ['user'] }) },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          'Only the platform team may override what an environment allows',
        );
      }
    }
    const audit = await auditor.createEvent({
      eventId: 'environment-run',
      severityLevel: kind === 'apply' || kind === 'destroy' ? 'medium' : 'low',
      request: req,
      meta: {
        environmentId: env.id,
        service: env.service,
        environment: env.name,
        kind,
        override,
      },
    });
    try {
      const run = await service.requestRun(env.id, kind, user, undefined, {
        override,
      });
      await audit.success({ meta: { runId: run.id } });
      options.onRunQueued();
      res.status(202).json(run);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/environments/:id/extend', async (req, res) => {
    const env = await service.getRow(req.params.id);
    await authorize(req, environmentUpdatePermission, env, 'extend');
    const audit = await auditor.createEvent({
      eventId: 'environment-extend',
      severityLevel: 'low',
      request: req,
      meta: { environmentId: env.id, ttlHours: req.body?.ttlHours ?? null },
    });
    try {
      const updated = await service.extend(env.id, req.body?.ttlHours);
      await audit.success({ meta: { expiresAt: updated.expiresAt } });
      res.json(updated);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/environments/:id/secrets', async (req, res) => {
    const env = await service.getRow(req.params.id);
    await authorize(
      req,
      environmentSecretsReadPermission,
      env,
      'read the credentials of',
    );
    const audit = await auditor.createEvent({
      eventId: 'environment-secrets-read',
      severityLevel: 'medium',
      request: req,
      meta: { environmentId: env.id },
    });
    await audit.success();
    res.json({ outputs: await service.revealSecrets(env.id) });
  });

  /**
   * An environment's credentials as a deploy job's variables
   * (DATABASE_URL, REDIS_URL, AMQP_URL), for the git host's pipeline runner
   * only: it asks for the environment of a service its repository
   * declares, owned by the repository's owner.
   */
  router.get('/deploy-credentials', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (credentials.principal.subject !== 'plugin:git-host') {
      throw new NotAllowedError(
        "Only the git host's pipeline runner reads deploy credentials",
      );
    }
    const { name, owner } = req.query;
    const services = ([] as unknown[]).concat(req.query.service ?? []);
    if (
      typeof name !== 'string' ||
      typeof owner !== 'string' ||
      services.length === 0 ||
      services.some(s => typeof s !== 'string')
    ) {
      throw new InputError('name, owner and service are required');
    }
    const candidates = (
      await Promise.all(
        (services as string[]).map(ref =>
          service.rows({ service: ref, owner }),
        ),
      )
    )
      .flat()
      .filter(env => env.name === name && env.status !== 'destroying');
    const env = candidates[0];
    if (!env) {
      res.status(404).json({
        error: {
          name: 'NotFoundError',
          message: `No environment '${name}' of ${services.join(
            ', ',
          )} owned by ${owner}`,
        },
      });
      return;
    }
    if (['pending', 'queued', 'provisioning'].includes(env.status)) {
      // Being made: the runner waits and asks again.
      res.status(409).json({
        error: {
          name: 'ConflictError',
          message: `Environment '${env.name}' is ${env.status}; its credentials come once it is ready`,
        },
        status: env.status,
      });
      return;
    }
    const audit = await auditor.createEvent({
      eventId: 'environment-secrets-read',
      severityLevel: 'medium',
      request: req,
      meta: {
        environmentId: env.id,
        actor: String(req.query.pipeline ?? 'pipeline'),
      },
    });
    await audit.success();
    res.json({
      environment: { id: env.id, name: env.name, service: env.service },
      variables: deployVariables(await service.revealSecrets(env.id)),
    });
  });

  router.get('/runs/:runId', async (req, res) => {
    res.json(await service.run(req.params.runId));
  });

  router.get('/runs/:runId/events', async (req, res) => {
    const after = Number(req.query.after ?? 0);
    if (!Number.isInteger(after) || after < 0) {
      throw new InputError('after must be a whole number of at least 0');
    }
    res.json(await service.events(req.params.runId, after));
  });

  return router;
}
