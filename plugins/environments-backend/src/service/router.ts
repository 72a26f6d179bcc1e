import {
  AuditorService,
  HttpAuthService,
  PermissionsRegistryService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  environmentAuditReadPermission,
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
import { ApprovalService } from '../guardrails/ApprovalService';
import { AuditSubject, AuditTrail, outcomeOf } from '../guardrails/AuditTrail';
import { EnvironmentNotifier } from '../guardrails/EnvironmentNotifier';
import { Guardrails } from '../guardrails/Guardrails';

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
  userInfo: UserInfoService;
  approvals: ApprovalService;
  guardrails: Guardrails;
  trail: AuditTrail;
  notifier: EnvironmentNotifier;
  onRunQueued: () => void;
}): Promise<express.Router> {
  const { service, httpAuth, permissions, auditor, trail } = options;
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
      const refusal = notAllowed(environment, verb);
      await trail.record({
        actor: credentials.principal.userEntityRef,
        action: `environment-${verb.replace(/\s+/g, '-')}`,
        outcome: 'refused',
        subject: environment as AuditSubject,
        detail: refusal.message,
      });
      throw refusal;
    }
    return credentials.principal.userEntityRef;
  }

  /**
   * Runs an action and writes how it ended to the audit trail: succeeded,
   * refused (the caller's mistake or not allowed) or failed.
   */
  async function audited<T>(
    entry: {
      actor: string;
      action: string;
      subject?: AuditSubject;
      runId?: string;
      detail?: string;
    },
    action: () => Promise<T>,
    describe: (result: T) => {
      runId?: string;
      detail?: string;
      subject?: AuditSubject;
    } = () => ({}),
  ) {
    try {
      const result = await action();
      await trail.record({
        ...entry,
        outcome: 'succeeded',
        ...describe(result),
      });
      return result;
    } catch (error) {
      await trail.record({
        ...entry,
        outcome: outcomeOf(error),
        detail: (error as Error).message,
      });
      throw error;
    }
  }

  /** The signed-in user with their groups, for decisions on plans. */
  async function decider(req: Request) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await options.userInfo.getUserInfo(credentials);
    return {
      credentials,
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  /** Whether these credentials may do what only the platform team may. */
  async function mayOverride(req: Request) {
    const [decision] = await permissions.authorize(
      [{ permission: environmentOverridePermission }],
      { credentials: await httpAuth.credentials(req, { allow: ['user'] }) },
    );
    return decision.result === AuthorizeResult.ALLOW;
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
      const { created, ...made } = await audited(
        {
          actor: user,
          action: 'environment-create',
          subject: {
            id: '',
            service: request.service,
            name: request.name,
            owner: request.owner,
          },
          detail: `${request.size}: ${
            request.resources.join(', ') || 'no resources'
          }`,
        },
        () => service.create(request, user),
        result => ({
          runId: result.run.id,
          subject: {
            id: result.environment.id,
            service: request.service,
            name: request.name,
            owner: request.owner,
          },
        }),
      );
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
    if (override && !(await mayOverride(req))) {
      throw new NotAllowedError(
        'Only the platform team may override what an environment allows',
      );
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
      const run = await audited(
        { actor: user, action: `run-request-${kind}`, subject: env },
        () => service.requestRun(env.id, kind, user, undefined, { override }),
        r => ({
          runId: r.id,
          detail: r.voided.length
            ? `replaces the plan(s) waiting for approval: ${r.voided.join(
                ', ',
              )}`
            : undefined,
        }),
      );
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
      const updated = await audited(
        {
          actor: await httpAuth
            .credentials(req, { allow: ['user'] })
            .then(c => c.principal.userEntityRef),
          action: 'environment-extend',
          subject: env,
          detail: `by ${req.body?.ttlHours ?? '?'} hours`,
        },
        () => service.extend(env.id, req.body?.ttlHours),
      );
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
    const outputs = await audited(
      {
        actor: (
          await httpAuth.credentials(req, { allow: ['user'] })
        ).principal.userEntityRef,
        action: 'environment-secrets-read',
        subject: env,
      },
      () => service.revealSecrets(env.id),
    );
    res.json({ outputs });
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

  /** The environment and run a decision is about, for the trail. */
  async function decisionSubject(runId: string) {
    const run = await service.run(runId);
    return { run, env: await service.getRow(run.environmentId) };
  }

  router.post('/runs/:runId/approve', async (req, res) => {
    const who = await decider(req);
    const { env } = await decisionSubject(req.params.runId);
    const result = await audited(
      {
        actor: who.userEntityRef,
        action: 'run-approve',
        subject: env,
        runId: req.params.runId,
        detail:
          typeof req.body?.comment === 'string' ? req.body.comment : undefined,
      },
      () => options.approvals.approve(req.params.runId, who, req.body ?? {}),
      r => ({
        detail: `approval ${r.approvals}${
          r.queued ? '; the approved plan is queued to apply' : ''
        }`,
      }),
    );
    await (
      await auditor.createEvent({
        eventId: 'environment-run-approve',
        severityLevel: 'medium',
        request: req,
        meta: {
          runId: result.run.id,
          environmentId: env.id,
          queued: result.queued,
        },
      })
    ).success();
    if (result.queued) {
      options.onRunQueued();
      await options.notifier.decided(
        result.run,
        env,
        'approved',
        `Approved by ${
          who.userEntityRef
        }; the approved plan ${result.run.plan_hash?.slice(
          0,
          12,
        )} is being applied.`,
      );
    }
    res.json(await service.run(result.run.id));
  });

  router.post('/runs/:runId/reject', async (req, res) => {
    const who = await decider(req);
    const { env } = await decisionSubject(req.params.runId);
    const result = await audited(
      {
        actor: who.userEntityRef,
        action: 'run-reject',
        subject: env,
        runId: req.params.runId,
        detail: String(req.body?.reason ?? ''),
      },
      () => options.approvals.reject(req.params.runId, who, req.body?.reason),
    );
    await (
      await auditor.createEvent({
        eventId: 'environment-run-reject',
        severityLevel: 'medium',
        request: req,
        meta: { runId: result.run.id, environmentId: env.id },
      })
    ).success();
    if (result.run.requested_by !== who.userEntityRef) {
      await options.notifier.decided(
        result.run,
        env,
        'rejected',
        result.run.error ?? undefined,
      );
    }
    res.json(await service.run(result.run.id));
  });

  router.post('/runs/:runId/override', async (req, res) => {
    const who = await decider(req);
    const { env } = await decisionSubject(req.params.runId);
    const result = await audited(
      {
        actor: who.userEntityRef,
        action: 'run-override',
        subject: env,
        runId: req.params.runId,
        detail: String(req.body?.reason ?? ''),
      },
      async () => {
        if (!(await mayOverride(req))) {
          throw new NotAllowedError(
            'Only the platform team may override a soft policy rule',
          );
        }
        return options.approvals.override(
          req.params.runId,
          who.userEntityRef,
          req.body?.reason,
        );
      },
    );
    await (
      await auditor.createEvent({
        eventId: 'environment-run-override',
        severityLevel: 'high',
        request: req,
        meta: {
          runId: result.run.id,
          environmentId: env.id,
          reason: String(req.body?.reason ?? ''),
        },
      })
    ).success();
    if (result.queued) options.onRunQueued();
    res.json(await service.run(result.run.id));
  });

  router.get('/costs', async (req, res) => {
    const owners = ([] as unknown[])
      .concat(req.query.owner ?? [])
      .filter((o): o is string => typeof o === 'string' && o !== '');
    res.json({ items: await options.guardrails.teams(owners) });
  });

  router.post('/costs/estimate', async (req, res) => {
    const { name, size, resources, service: serviceRef } = req.body ?? {};
    // The form of a new service knows its owner; that of an existing
    // service knows the service, whose owner is in the catalog.
    let owner = req.body?.owner;
    if (typeof owner !== 'string' && typeof serviceRef === 'string') {
      owner = await service.ownerOf(serviceRef);
    }
    if (
      typeof owner !== 'string' ||
      typeof size !== 'string' ||
      !Array.isArray(resources) ||
      resources.some(r => typeof r !== 'string')
    ) {
      throw new InputError(
        'owner (a group ref) or service (a component ref), size and resources (a list of module names) are required',
      );
    }
    res.json(
      await options.guardrails.estimate({
        owner,
        name: typeof name === 'string' ? name : '',
        size,
        resources,
      }),
    );
  });

  router.get('/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: environmentAuditReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Only the platform team may read the audit trail',
      );
    }
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const limit = Number(req.query.limit ?? 100);
    const before =
      req.query.before === undefined ? undefined : Number(req.query.before);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new InputError('limit must be a whole number from 1 to 1000');
    }
    if (before !== undefined && (!Number.isInteger(before) || before < 1)) {
      throw new InputError('before must be the id of an audit entry');
    }
    res.json({
      items: await trail.list({
        owner: str(req.query.owner),
        environment: str(req.query.environment),
        actor: str(req.query.actor),
        before,
        limit,
      }),
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
