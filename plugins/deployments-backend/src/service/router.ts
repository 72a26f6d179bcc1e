import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GitHostService } from '@internal/plugin-git-host-node';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';
import { MetricsService, ownersOf } from '../metrics/MetricsService';
import { isTimeZone } from '../metrics/time';
import { DeploymentStore, NewDeployment, Outcome } from './DeploymentStore';
import { IncidentStore, SEVERITIES, Severity } from './IncidentStore';
import { parseIncidentEvent, parseTime } from './incidentEvents';
import { TtlCache } from './TtlCache';
import { EndpointMap } from '../schema/endpoints';
import { spec } from '../schema/openapi';

const OUTCOMES: Outcome[] = ['success', 'failure', 'rolled_back'];
const MAX_BODY = '64kb';
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');
const ENV_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;

export interface RouterOptions {
  store: DeploymentStore;
  incidents: IncidentStore;
  metrics: MetricsService;
  userInfo: UserInfoService;
  /** Members may act on any service's incidents. */
  platformGroups: string[];
  /** The environment figures are for unless a request names one. */
  defaultEnvironment: string;
  /** The time zone of days and weeks unless a request names one. */
  timeZone: string;
  gitHost: GitHostService;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  logger: LoggerService;
  environments: string[];
  clockSkewMs: number;
}

function bearer(req: express.Request) {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** express.json's errors as Paved says them. */
function jsonErrors(
  error: Error & { type?: string; status?: number },
  _req: express.Request,
  res: express.Response,
  next: express.NextFunction,
) {
  if (error.type === 'entity.too.large') {
    res.status(413).json({
      error: {
        name: 'PayloadTooLargeError',
        message: `A request body may be at most ${MAX_BODY}`,
      },
    });
    return;
  }
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({
      error: { name: 'InputError', message: 'The body is not valid JSON' },
    });
    return;
  }
  next(error);
}

/** The deployments HTTP API. */
export async function createRouter(options: RouterOptions) {
  const {
    store,
    incidents,
    metrics,
    gitHost,
    catalog,
    auth,
    httpAuth,
    auditor,
    logger,
  } = options;
  const router =
    createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(spec, {
      middleware: [
        express.json({ limit: MAX_BODY }),
        // express.json's own errors, said plainly, before the validator
        // turns every error into a 400 (express knows an error handler by
        // its four parameters; the option's type only has request handlers).
        jsonErrors as unknown as express.RequestHandler,
      ],
    });
  // A pipeline's reports come in bursts: the repository's entities and a
  // commit's existence are asked of the git host once per few seconds.
  const repositoryEntities = new TtlCache<
    Awaited<ReturnType<GitHostService['entitiesOf']>>
  >(10_000);
  const commitsKnown = new TtlCache<boolean>(60 * 60_000, 10_000);
  const refreshed = new Map<string, number>();

  /** The deploy token of a request from CI, asked of the git host every time. */
  async function deployToken(req: express.Request) {
    const secret = bearer(req);
    if (!secret) {
      throw new AuthenticationError(
        'Send the deploy token as "Authorization: Bearer <token>" (the PAVED_DEPLOY_TOKEN secret)',
      );
    }
    // Asked every time: a revoked token is refused at once.
    const token = await gitHost.verifyDeployToken(secret);
    if (!token) {
      throw new AuthenticationError(
        'The deploy token is unknown, expired, revoked or may not report deployments',
      );
    }
    return token;
  }

  /**
   * A deployment report from the embedded runner or any CI, authenticated
   * with a deploy token of the service's repository (scope
   * deployments:report). Recorded once per idempotency key.
   */
  router.post('/report', async (req, res) => {
    const token = await deployToken(req);
    // CI sends no Backstage token: the actor is the deploy token, in meta.
    const audit = await auditor.createEvent({
      eventId: 'deployment-report',
      severityLevel: 'medium',
      meta: {
        actor: `deploy-token:${token.tokenName} (${token.tokenId})`,
        repository: token.repository,
      },
    });
    try {
      const body = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new InputError('The body must be a JSON object');
      }
      const deployment = await validate(body, token);
      const previous = await store.previousSuccess(
        deployment.service,
        deployment.environment,
        deployment.finishedAt,
      );
      const existing = await store.byKey(deployment.idempotencyKey);
      if (existing) {
        await audit.success({
          meta: { duplicate: true, deploymentId: existing.id },
        });
        res.status(200).json({ duplicate: true, deployment: existing });
        return;
      }
      // The commits this deployment brought, from the git host itself
      // (none when the environment already runs this commit).
      const redeploy = previous?.commit === deployment.commit;
      const commits = redeploy
        ? []
        : (
            await gitHost.commitsBetween(
              token.repository,
              previous?.commit,
              deployment.commit,
            )
          ).map(c => ({
            sha: c.sha,
            author: c.author,
            authorEmail: c.authorEmail,
            committedAt: c.date,
            message: c.message,
          }));
      const { deployment: stored, created } = await store.insert(deployment, {
        previousId: previous?.id,
        commits,
      });
      if (created && stored.outcome === 'success' && !previous) {
        await recordFirstDeploy(
          stored.service,
          stored.environment,
          stored.id,
          deployment.finishedAt,
          token.repository,
        );
      }
      const lastRefresh = refreshed.get(stored.service) ?? 0;
      if (created && Date.now() - lastRefresh > 5_000) {
        refreshed.set(stored.service, Date.now());
        // The entity's paved.dev/deployed-<environment> annotation follows.
        await catalog
          .refreshEntity(stored.service, {
            credentials: await auth.getOwnServiceCredentials(),
          })
          .catch(error =>
            logger.warn(`Could not refresh ${stored.service}: ${error}`),
          );
      }
      await audit.success({
        meta: { deploymentId: stored.id, duplicate: !created },
      });
      res.status(created ? 201 : 200).json({
        duplicate: !created || undefined,
        deployment: stored,
      });
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  /**
   * The component a deploy token may speak for: one its repository
   * declares in its catalog files.
   */
  async function serviceOfToken(
    service: unknown,
    token: { repository: string },
  ): Promise<string> {
    if (typeof service !== 'string' || !service) {
      throw new InputError(
        "service is required: the component's name or entity ref",
      );
    }
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(service, {
          defaultKind: 'component',
          defaultNamespace: 'default',
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      throw new InputError(
        `service '${service}' is not a component name or entity ref`,
      );
    }
    if (!ref.startsWith('component:')) {
      throw new InputError(`service must be a Component, not ${ref}`);
    }
    const entities = await repositoryEntities.get(token.repository, () =>
      gitHost.entitiesOf(token.repository),
    );
    const declared = entities.find(
      e => e.ref.toLocaleLowerCase('en-US') === ref,
    );
    if (!declared) {
      const entity = await catalog.getEntityByRef(ref, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      if (!entity) {
        throw new NotFoundError(`No component ${ref} in the catalog`);
      }
      throw new NotAllowedError(
        `This deploy token is for ${token.repository}, which does not declare ${ref}; report with a token of that service's repository`,
      );
    }
    return ref;
  }

  async function validate(
    body: Record<string, unknown>,
    token: {
      repository: string;
      owner: string;
      pipeline?: string;
      tokenName: string;
    },
  ): Promise<NewDeployment> {
    const { service, environment, commit, version, outcome, pipelineUrl } =
      body;
    const ref = await serviceOfToken(service, token);
    if (typeof environment !== 'string' || !ENV_NAME.test(environment)) {
      throw new InputError(
        'environment is required: lowercase letters, digits and dashes, e.g. dev',
      );
    }
    if (!options.environments.includes(environment)) {
      throw new InputError(
        `Unknown environment '${environment}': Paved knows ${options.environments.join(
          ', ',
        )} (paved.deployments.environments)`,
      );
    }
    if (
      typeof commit !== 'string' ||
      !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)
    ) {
      throw new InputError(
        'commit must be the full commit SHA (40 hexadecimal digits)',
      );
    }
    const known = await commitsKnown.get(`${token.repository}@${commit}`, () =>
      gitHost.hasCommit(token.repository, commit),
    );
    if (!known) {
      // It may be pushed in a moment: only a commit found is remembered.
      commitsKnown.forget(`${token.repository}@${commit}`);
      throw new InputError(`Commit ${commit} is not in ${token.repository}`);
    }
    if (!OUTCOMES.includes(outcome as Outcome)) {
      throw new InputError(`outcome must be one of ${OUTCOMES.join(', ')}`);
    }
    if (
      version !== undefined &&
      (typeof version !== 'string' || version.length > 200)
    ) {
      throw new InputError(
        'version must be a string of at most 200 characters',
      );
    }
    if (
      pipelineUrl !== undefined &&
      (typeof pipelineUrl !== 'string' ||
        !/^https?:\/\//.test(pipelineUrl) ||
        pipelineUrl.length > 2000)
    ) {
      throw new InputError('pipelineUrl must be an http(s) URL');
    }
    const startedAt = parseTime(
      body.startedAt,
      'startedAt',
      options.clockSkewMs,
    );
    const finishedAt =
      parseTime(body.finishedAt, 'finishedAt', options.clockSkewMs) ??
      new Date();
    if (startedAt && startedAt > finishedAt) {
      throw new InputError('startedAt must not be after finishedAt');
    }
    let key = body.idempotencyKey;
    if (key === undefined) {
      if (!pipelineUrl) {
        throw new InputError(
          'idempotencyKey is required (pipeline and job, e.g. "<pipeline URL>#deploy-dev"), or at least pipelineUrl',
        );
      }
      key = `${pipelineUrl}#${environment}`;
    }
    if (typeof key !== 'string' || !key || key.length > 300) {
      throw new InputError(
        'idempotencyKey must be a string of at most 300 characters',
      );
    }
    return {
      // Keys are per repository: another repository's key never collides.
      idempotencyKey: `${token.repository}:${key}`,
      service: ref,
      environment,
      commit,
      version: version as string | undefined,
      outcome: outcome as Outcome,
      startedAt,
      finishedAt,
      pipelineUrl: pipelineUrl as string | undefined,
      repository: token.repository,
      reportedBy: token.tokenName,
      source: token.pipeline ? 'paved-runner' : 'external',
    };
  }

  async function recordFirstDeploy(
    service: string,
    environment: string,
    deploymentId: string,
    deployedAt: Date,
    repository: string,
  ) {
    try {
      const entity = await catalog.getEntityByRef(service, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const annotations = entity?.metadata.annotations ?? {};
      const repo = await gitHost
        .getRepository(repository)
        .catch(() => undefined);
      await store.recordFirstDeploy({
        service,
        environment,
        deploymentId,
        template: annotations['backstage.io/source-template'],
        templateVersion: annotations['backstage.io/template-version'],
        serviceCreatedAt: repo?.created_at
          ? new Date(repo.created_at)
          : undefined,
        deployedAt,
      });
    } catch (error) {
      logger.warn(
        `Could not record the first deployment of ${service}: ${error}`,
      );
    }
  }

  const serviceOf = (req: express.Request) => {
    const value = req.query.service;
    if (typeof value !== 'string' || !value) {
      throw new InputError(
        'service is required, e.g. component:default/orders-api',
      );
    }
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  };

  router.get('/deployments', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const limit = Math.min(
      Math.max(Number(req.query.limit ?? 50) || 50, 1),
      500,
    );
    const environment =
      typeof req.query.environment === 'string'
        ? req.query.environment
        : undefined;
    res.json({
      items: await store.list({ service: serviceOf(req), environment, limit }),
    });
  });

  router.get('/current', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const service = serviceOf(req);
    res.json({
      service,
      environments: await store.current(service),
      firstDeploys: await store.firstDeploys(service),
    });
  });

  router.get('/deployments/:id', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const deployment = await store.get(req.params.id);
    if (!deployment) throw new NotFoundError(`No deployment ${req.params.id}`);
    res.json({ ...deployment, commits: await store.commits(deployment.id) });
  });

  /** The component a user may act for: its owners and the platform team. */
  async function assertOwner(
    req: express.Request,
    service: string,
    action: string,
  ) {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { ownershipEntityRefs, userEntityRef } =
      await options.userInfo.getUserInfo(credentials);
    const claims = ownershipEntityRefs.map(lower);
    const entity = await catalog.getEntityByRef(service, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (!entity)
      throw new NotFoundError(`No component ${service} in the catalog`);
    const owners = ownersOf(entity);
    const platform = options.platformGroups.map(lower);
    if (!claims.some(c => owners.includes(c) || platform.includes(c))) {
      throw new NotAllowedError(
        `Only the owners of ${service} (${
          owners.join(', ') || 'none'
        }) or the platform team may ${action}`,
      );
    }
    return userEntityRef;
  }

  /**
   * Incidents from CI, scripts or PagerDuty (its v3 webhook payload, with
   * the deploy token as a custom header), authenticated like deployment
   * reports. Recorded once per source and id; a resolution sent later
   * resolves the incident.
   */
  router.post('/incidents', async (req, res) => {
    const token = await deployToken(req);
    const audit = await auditor.createEvent({
      eventId: 'incident-report',
      severityLevel: 'medium',
      meta: {
        actor: `deploy-token:${token.tokenName} (${token.tokenId})`,
        repository: token.repository,
      },
    });
    try {
      const body = req.body as Record<string, any>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new InputError('The body must be a JSON object');
      }
      const query = {
        service:
          typeof req.query.service === 'string' ? req.query.service : undefined,
        environment:
          typeof req.query.environment === 'string'
            ? req.query.environment
            : undefined,
      };
      const event = parseIncidentEvent(body, query, options.clockSkewMs);
      if (!event) {
        await audit.success({ meta: { ignored: body.event?.event_type } });
        res.status(202).json({
          ignored: true,
          message: `Paved records incident.triggered and incident.resolved; ${body.event?.event_type} is ignored`,
        });
        return;
      }
      let service = event.service;
      if (!service && event.pagerDutyServiceId) {
        const found = await catalog.getEntities(
          {
            filter: {
              kind: 'component',
              'metadata.annotations.pagerduty.com/service-id':
                event.pagerDutyServiceId,
            },
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          },
          { credentials: await auth.getOwnServiceCredentials() },
        );
        if (found.items.length === 1)
          service = stringifyEntityRef(found.items[0]);
      }
      if (!service) {
        throw new InputError(
          event.source === 'pagerduty'
            ? `No component has the annotation pagerduty.com/service-id: ${event.pagerDutyServiceId}; add it, or name the component in the webhook URL (?service=component:default/<name>)`
            : "service is required: the component's name or entity ref",
        );
      }
      const ref = await serviceOfToken(service, token);
      const environment = event.environment ?? options.defaultEnvironment;
      if (
        !ENV_NAME.test(environment) ||
        !options.environments.includes(environment)
      ) {
        throw new InputError(
          `Unknown environment '${environment}': Paved knows ${options.environments.join(
            ', ',
          )} (paved.deployments.environments)`,
        );
      }
      if (event.deploymentId) {
        const deployment = await store.get(event.deploymentId);
        if (!deployment || deployment.service !== ref) {
          throw new InputError(
            `deploymentId ${event.deploymentId} is not a deployment of ${ref}`,
          );
        }
      }
      const dedupKey =
        event.source === 'pagerduty'
          ? `pagerduty:${event.externalId}`
          : `api:${token.repository}:${event.externalId}`;
      const existing = await incidents.byKey(dedupKey);
      const openedAt =
        event.openedAt ?? (existing && new Date(existing.openedAt));
      if (!openedAt) {
        throw new InputError(
          'event.data.created_at is required for an incident Paved has not seen triggered',
        );
      }
      if (event.resolvedAt && event.resolvedAt < openedAt) {
        throw new InputError(
          `resolvedAt ${event.resolvedAt.toISOString()} is before openedAt ${openedAt.toISOString()}`,
        );
      }
      const recorded = await incidents.record({
        dedupKey,
        service: ref,
        environment,
        title: event.title ?? existing?.title ?? 'Incident',
        severity: event.severity,
        openedAt,
        resolvedAt: event.resolvedAt,
        deploymentId: event.deploymentId,
        commit: event.commit,
        source: event.source,
        url: event.url,
        createdBy: `deploy-token:${token.tokenName}`,
      });
      const duplicate = !recorded.created && !recorded.resolved;
      await audit.success({
        meta: { incidentId: recorded.incident.id, duplicate },
      });
      res.status(recorded.created ? 201 : 200).json({
        duplicate: duplicate || undefined,
        incident: recorded.incident,
      });
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.get('/incidents', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json({ items: await incidents.list({ services: [serviceOf(req)] }) });
  });

  /** "This deployment caused an incident", from the portal. */
  router.post('/deployments/:id/incidents', async (req, res) => {
    const deployment = await store.get(req.params.id);
    if (!deployment) throw new NotFoundError(`No deployment ${req.params.id}`);
    const user = await assertOwner(
      req,
      deployment.service,
      'record its incidents',
    );
    const audit = await auditor.createEvent({
      eventId: 'incident-report',
      severityLevel: 'medium',
      request: req,
      meta: { deploymentId: deployment.id },
    });
    try {
      const body = req.body ?? {};
      const title = typeof body.title === 'string' ? body.title.trim() : '';
      if (!title || title.length > 500) {
        throw new InputError('title is required (at most 500 characters)');
      }
      const severity = (body.severity ?? 'medium') as Severity;
      if (!SEVERITIES.includes(severity)) {
        throw new InputError(
          `severity must be one of ${SEVERITIES.join(', ')}`,
        );
      }
      const openedAt =
        parseTime(body.openedAt, 'openedAt', options.clockSkewMs) ?? new Date();
      const { incident } = await incidents.record({
        dedupKey: `portal:${randomUUID()}`,
        service: deployment.service,
        environment: deployment.environment,
        title,
        severity,
        openedAt,
        deploymentId: deployment.id,
        source: 'portal',
        createdBy: user,
      });
      await audit.success({ meta: { incidentId: incident.id } });
      res.status(201).json(incident);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  router.post('/incidents/:id/resolve', async (req, res) => {
    const incident = await incidents.get(req.params.id);
    if (!incident) throw new NotFoundError(`No incident ${req.params.id}`);
    await assertOwner(req, incident.service, 'resolve its incidents');
    const audit = await auditor.createEvent({
      eventId: 'incident-resolve',
      severityLevel: 'medium',
      request: req,
      meta: { incidentId: incident.id },
    });
    try {
      if (incident.resolvedAt) {
        throw new ConflictError(
          `The incident was already resolved at ${incident.resolvedAt}`,
        );
      }
      const resolvedAt =
        parseTime(req.body?.resolvedAt, 'resolvedAt', options.clockSkewMs) ??
        new Date();
      if (resolvedAt < new Date(incident.openedAt)) {
        throw new InputError(
          `resolvedAt ${resolvedAt.toISOString()} is before the incident opened (${
            incident.openedAt
          })`,
        );
      }
      const resolved =
        (await incidents.resolveIfOpen(incident, resolvedAt)) ??
        (await incidents.get(incident.id))!;
      await audit.success();
      res.json(resolved);
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  });

  /** The window, environment and time zone of a figures request. */
  function figuresQuery(req: { query: object }) {
    const q = req.query as Record<string, unknown>;
    const single = (key: string) => {
      const value = q[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !value) {
        throw new InputError(`${key} must be given once, as a value`);
      }
      return value;
    };
    const days = Number(single('days') ?? 30);
    const environment = single('environment') ?? options.defaultEnvironment;
    if (!options.environments.includes(environment)) {
      throw new InputError(
        `Unknown environment '${environment}': Paved knows ${options.environments.join(
          ', ',
        )}`,
      );
    }
    const timeZone = single('timeZone') ?? options.timeZone;
    if (!isTimeZone(timeZone)) {
      throw new InputError(
        `timeZone '${timeZone}' is not an IANA time zone, e.g. Europe/Berlin`,
      );
    }
    const toValue = single('to');
    const to = toValue === undefined ? undefined : new Date(toValue);
    if (to && Number.isNaN(to.getTime())) {
      throw new InputError('to must be an ISO 8601 time');
    }
    return {
      environment,
      window: metrics.window({ days, to, timeZone }),
      entity: single('entity'),
      templateVersion: single('templateVersion'),
    };
  }

  /** The delivery figures of a service, a team, a golden path or everyone. */
  router.get('/metrics', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = figuresQuery(req);
    res.json(await metrics.metrics(query));
  });

  /** Teams and golden paths side by side, and golden-path adoption. */
  router.get('/insights', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { environment, window } = figuresQuery(req);
    res.json(await metrics.insights({ environment, window }));
  });

  return router;
}
