import {
  AuditorService,
  AuthService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GitHostService } from '@internal/plugin-git-host-node';
import express from 'express';
import Router from 'express-promise-router';
import { DeploymentStore, NewDeployment, Outcome } from './DeploymentStore';
import { TtlCache } from './TtlCache';

const OUTCOMES: Outcome[] = ['success', 'failure', 'rolled_back'];
const MAX_BODY = '64kb';
const ENV_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;

export interface RouterOptions {
  store: DeploymentStore;
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

function time(value: unknown, field: string, skewMs: number) {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InputError(
      `${field} must be an ISO 8601 time, e.g. 2026-12-02T10:00:00Z`,
    );
  }
  const date = new Date(value);
  if (date.getTime() > Date.now() + skewMs) {
    throw new InputError(
      `${field} ${value} is in the future (the portal's time is ${new Date().toISOString()})`,
    );
  }
  return date;
}

/** The deployments HTTP API. */
export async function createRouter(options: RouterOptions) {
  const { store, gitHost, catalog, auth, httpAuth, auditor, logger } = options;
  const router = Router();
  // A pipeline's reports come in bursts: the repository's entities and a
  // commit's existence are asked of the git host once per few seconds.
  const repositoryEntities = new TtlCache<
    Awaited<ReturnType<GitHostService['entitiesOf']>>
  >(10_000);
  const commitsKnown = new TtlCache<boolean>(60 * 60_000, 10_000);
  const refreshed = new Map<string, number>();

  router.use(
    express.json({ limit: MAX_BODY }),
    // express.json's own errors, said plainly.
    (
      error: Error & { type?: string; status?: number },
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error.type === 'entity.too.large') {
        res.status(413).json({
          error: {
            name: 'PayloadTooLargeError',
            message: `A deployment report may be at most ${MAX_BODY}`,
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
    },
  );

  /**
   * A deployment report from the embedded runner or any CI, authenticated
   * with a deploy token of the service's repository (scope
   * deployments:report). Recorded once per idempotency key.
   */
  router.post('/report', async (req, res) => {
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
    const startedAt = time(body.startedAt, 'startedAt', options.clockSkewMs);
    const finishedAt =
      time(body.finishedAt, 'finishedAt', options.clockSkewMs) ?? new Date();
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

  return router;
}
