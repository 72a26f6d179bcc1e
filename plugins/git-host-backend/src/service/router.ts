import express from 'express';
import Router from 'express-promise-router';
import {
  AuditorService,
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  assertOwnerSegment,
  assertRepositoryName,
  ownerSegmentOf,
} from '@internal/plugin-git-host-common';
import { BareRepositories } from './BareRepositories';
import {
  RepositoryRecord,
  RepositoryStore,
  TokenRecord,
  TokenScope,
  Visibility,
} from './RepositoryStore';
import {
  Caller,
  callerName,
  normalizeOwner,
  refusal,
  RepositoryAccess,
} from './access';
import { GIT_PROTOCOL_PATH, runGitHttpBackend } from './smartHttp';
import {
  entitiesOfRepository,
  refreshCatalogAfterPush,
} from './catalogRefresh';
import { gitHostBaseUrl, tokenPolicy } from '../config';
import { ChangeRequests } from './ChangeRequests';
import { CommitStatuses } from './CommitStatuses';
import { createGiteaRouter } from './giteaRouter';
import { addPipelineRoutes, Pipelines } from '../pipelines/Pipelines';
import { PipelineStore } from '../pipelines/PipelineStore';

export interface RouterOptions {
  logger: LoggerService;
  auth: AuthService;
  config: RootConfigService;
  store: RepositoryStore;
  repositories: BareRepositories;
  changeRequests: ChangeRequests;
  statuses: CommitStatuses;
  catalog: CatalogService;
  access: RepositoryAccess;
  auditor: AuditorService;
  /** git's update hook, which checks every pushed ref (../../hooks). */
  hooksPath: string;
  pipelines: Pipelines;
  pipelineStore: PipelineStore;
}

/** What a handler needs to find, check and describe repositories. */
export type GitHostContext = ReturnType<typeof createContext>;

function createContext(options: RouterOptions) {
  const { store, repositories, access, auditor, config } = options;
  const baseUrl = gitHostBaseUrl(config);
  const appBaseUrl =
    config.getOptionalString('app.baseUrl') ??
    config.getString('backend.baseUrl');

  /** The repository a request's :owner and :repo name, or a 400/404. */
  async function repositoryOf(owner: unknown, repo: unknown) {
    if (owner === 'git') {
      // A flat repository of an earlier release, `git/<name>.git`.
      const name = String(repo).replace(/\.git$/, '');
      assertRepositoryName(name);
      return store.require('git', name);
    }
    assertOwnerSegment(owner);
    const name = String(repo).replace(/\.git$/, '');
    assertRepositoryName(name);
    return store.require(owner, name);
  }

  /** As repositoryOf, for a caller who must be allowed `action`; on disk. */
  async function authorized(
    caller: Caller,
    owner: unknown,
    repo: unknown,
    action: 'read' | 'write' | 'admin',
  ) {
    const repository = await repositoryOf(owner, repo);
    await access.assert(caller, action, repository);
    await repositories.assertOnDisk(repository.folder, repository.fullName);
    return repository;
  }

  async function permissionsOf(caller: Caller, repository: RepositoryRecord) {
    const [read, write, admin] = await Promise.all([
      access.may(caller, 'read', repository),
      access.may(caller, 'write', repository),
      access.may(caller, 'admin', repository),
    ]);
    return { read, write, admin };
  }

  const cloneUrl = (repository: RepositoryRecord) =>
    `${baseUrl}/${repository.fullName}.git`;

  async function describe(
    repository: RepositoryRecord,
    permissions: { read: boolean; write: boolean; admin: boolean },
  ) {
    const onDisk = await repositories.exists(repository.folder);
    return {
      id: repository.id,
      owner: repository.owner,
      namespace: repository.namespace,
      name: repository.name,
      fullName: repository.fullName,
      legacyName: repository.legacyName,
      description: repository.description,
      visibility: repository.visibility,
      createdBy: repository.createdBy,
      createdAt: repository.createdAt,
      createdByTask: repository.createdByTask,
      cloneUrl: cloneUrl(repository),
      defaultBranch: repositories.defaultBranch,
      protectTags: repository.protectTags,
      requireChecks: repository.requireChecks,
      missingOnDisk: !onDisk || undefined,
      lastCommit: onDisk
        ? await repositories.lastCommit(repository.folder)
        : undefined,
      permissions,
    };
  }

  /**
   * An auditor event for something a caller did. git requests carry no
   * Backstage token, so the actor goes into the event's meta.
   */
  async function audit<T>(
    eventId: string,
    caller: Caller,
    meta: Record<string, unknown>,
    fn: () => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId,
      severityLevel: 'medium',
      meta: { actor: callerName(caller), ...meta },
    });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  /** Creates a repository on disk and in the database, or neither. */
  async function createRepository(
    caller: Caller,
    input: {
      name: unknown;
      owner: string;
      description?: unknown;
      visibility?: unknown;
      taskId?: unknown;
    },
  ) {
    const { name, owner, description, taskId } = input;
    assertRepositoryName(name);
    const namespace = ownerSegmentOf(owner);
    assertOwnerSegment(namespace);
    if (description !== undefined && typeof description !== 'string') {
      throw new InputError('description must be a string');
    }
    if (taskId !== undefined && (typeof taskId !== 'string' || !taskId)) {
      throw new InputError('taskId must be the id of a scaffolder task');
    }
    const visibility = input.visibility ?? 'internal';
    if (visibility !== 'internal' && visibility !== 'private') {
      throw new InputError("visibility must be 'internal' or 'private'");
    }
    const fullName = `${namespace}/${name}`;
    await access.assertCreate(caller, owner, fullName);
    // A resumed scaffolder task gets the repository it made before.
    const existing = await store.get(namespace, name);
    if (
      existing &&
      taskId &&
      existing.createdByTask === taskId &&
      existing.owner === owner
    ) {
      return { repository: existing, created: false };
    }
    return audit(
      'git-repository-create',
      caller,
      { repository: fullName, owner, visibility },
      async () => {
        const repository = await store.create({
          namespace,
          name,
          owner,
          description,
          visibility: visibility as Visibility,
          createdBy: callerName(caller),
          createdByTask: taskId as string | undefined,
        });
        try {
          await repositories.init(repository.folder);
        } catch (error) {
          // Nothing half-made stays behind (a leftover folder is not ours).
          await store.delete(repository.id);
          throw error;
        }
        options.logger.info(
          `Created repository ${fullName} for ${owner} (by ${callerName(
            caller,
          )})`,
        );
        return { repository, created: true };
      },
    );
  }

  return {
    baseUrl,
    appBaseUrl,
    repositoryOf,
    authorized,
    permissionsOf,
    describe,
    audit,
    createRepository,
    cloneUrl,
  };
}

const parseDays = (
  value: unknown,
  policy: { defaultDays: number; maxDays: number },
) => {
  if (value === undefined || value === null) return policy.defaultDays;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > policy.maxDays) {
    throw new InputError(
      `expiresInDays must be a whole number of days from 1 to ${policy.maxDays}`,
    );
  }
  return days;
};

const tokenName = (value: unknown, fallback: string) => {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    !value.trim() ||
    value.length > 100 ||
    /[\r\n]/.test(value)
  ) {
    throw new InputError('name must be one line of at most 100 characters');
  }
  return value.trim();
};

export async function createRouter(options: RouterOptions) {
  const { logger, auth, store, repositories, catalog, access } = options;
  const ctx = createContext(options);
  const policy = tokenPolicy(options.config);
  const router = Router();

  // Git smart HTTP at <base>/<owner>/<name>.git (and the flat
  // <base>/git/<name>.git of earlier releases). Its body is git's own
  // protocol, so it is handled before any JSON parsing.
  router.all('/:owner/:file/*', async (req, res, next) => {
    const { owner, file } = req.params;
    if (!file.endsWith('.git')) {
      next();
      return;
    }
    const rest = `/${(req.params as Record<string, string>)['0'] ?? ''}`;
    if (!GIT_PROTOCOL_PATH.test(rest)) {
      next();
      return;
    }
    const refuse = (status: number, message: string) =>
      res.status(status).type('text/plain').send(`${message}\n`);
    let caller: Caller;
    try {
      caller = await access.fromRequest(req);
    } catch (error) {
      res.setHeader('WWW-Authenticate', 'Basic realm="Paved git"');
      refuse(401, (error as Error).message);
      return;
    }
    let repository: RepositoryRecord;
    try {
      repository = await ctx.repositoryOf(owner, file);
      await access.assert(caller, 'read', repository);
    } catch (error) {
      const status = (error as Error).name === 'NotAllowedError' ? 403 : 404;
      refuse(status, (error as Error).message);
      return;
    }
    if (!(await repositories.exists(repository.folder))) {
      refuse(
        404,
        `Repository '${repository.fullName}' is registered, but its folder is missing on the host`,
      );
      return;
    }
    // Both halves of a push: the ref advertisement and the pack itself.
    const isPush =
      rest === '/git-receive-pack' ||
      (rest === '/info/refs' && req.query.service === 'git-receive-pack');
    if (isPush && !(await access.may(caller, 'write', repository))) {
      logger.info(
        `Refused a push to ${repository.fullName} by ${callerName(caller)}`,
      );
      await options.auditor
        .createEvent({
          eventId: 'git-push',
          severityLevel: 'medium',
          meta: { actor: callerName(caller), repository: repository.fullName },
        })
        .then(event =>
          event.fail({
            error: new NotAllowedError(refusal(caller, 'write', repository)),
          }),
        );
      refuse(403, refusal(caller, 'write', repository));
      return;
    }
    const who = callerName(caller);
    const before =
      rest === '/git-receive-pack'
        ? await repositories.branches(repository.folder)
        : undefined;
    const exitCode = await runGitHttpBackend({
      req,
      res,
      projectRoot: repositories.root,
      pathInfo: `/${repository.folder}${rest}`,
      remoteUser: who,
      hooksPath: options.hooksPath,
      protectTags: repository.protectTags,
      requireChecks: repository.requireChecks,
      defaultBranch: repositories.defaultBranch,
    });
    if (before) {
      const after = await repositories.branches(repository.folder);
      const old = new Map(before.map(b => [b.name, b.sha]));
      const refs = [
        ...after
          .filter(b => old.get(b.name) !== b.sha)
          .map(
            b =>
              `${b.name} ${
                old.get(b.name)?.slice(0, 8) ?? 'new'
              }..${b.sha.slice(0, 8)}`,
          ),
        ...before
          .filter(b => !after.some(a => a.name === b.name))
          .map(b => `${b.name} deleted`),
      ];
      const event = await options.auditor.createEvent({
        eventId: 'git-push',
        severityLevel: 'medium',
        meta: { actor: who, repository: repository.fullName, refs },
      });
      if (exitCode === 0) {
        await event.success();
      } else {
        await event.fail({ error: new Error(`git exited with ${exitCode}`) });
      }
      if (exitCode === 0) {
        logger.info(`Push to ${repository.fullName} by ${who}`);
        await options.pipelines.afterRefsUpdated(
          repository,
          after
            .filter(b => old.get(b.name) !== b.sha)
            .map(b => ({ ref: b.name, sha: b.sha })),
          who,
        );
        await refreshCatalogAfterPush({
          repository,
          defaultBranch: repositories.defaultBranch,
          baseUrl: ctx.baseUrl,
          catalog,
          auth,
          logger,
        });
      }
    }
  });

  router.use(express.json({ limit: '1mb' }));

  // Paved's own API: repositories and git tokens.

  router.get('/token-policy', async (req, res) => {
    await access.fromRequest(req);
    res.json(policy);
  });

  router.get('/repositories', async (req, res) => {
    const caller = await access.fromRequest(req);
    const [read, write, admin] = await Promise.all([
      access.checker(caller, 'read'),
      access.checker(caller, 'write'),
      access.checker(caller, 'admin'),
    ]);
    // ?name=shop: the repositories of that name under any owner (a name
    // check), without describing every other repository.
    const name =
      typeof req.query.name === 'string' ? req.query.name : undefined;
    const visible = (await store.list()).filter(
      repository => (!name || repository.name === name) && read(repository),
    );
    res.json({
      items: await Promise.all(
        visible.map(repository =>
          ctx.describe(repository, {
            read: true,
            write: write(repository),
            admin: admin(repository),
          }),
        ),
      ),
    });
  });

  router.post('/repositories', async (req, res) => {
    const caller = await access.fromRequest(req);
    const body = req.body ?? {};
    const owner = normalizeOwner(body.owner);
    const { repository, created } = await ctx.createRepository(caller, {
      ...body,
      owner,
    });
    res
      .status(created ? 201 : 200)
      .json(
        await ctx.describe(
          repository,
          await ctx.permissionsOf(caller, repository),
        ),
      );
  });

  router.get('/repositories/:owner/:repo', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    await access.assert(caller, 'read', repository);
    res.json(
      await ctx.describe(
        repository,
        await ctx.permissionsOf(caller, repository),
      ),
    );
  });

  router.patch('/repositories/:owner/:repo', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    const { protectTags, visibility, requireChecks } = req.body ?? {};
    if (protectTags !== undefined && typeof protectTags !== 'boolean') {
      throw new InputError('protectTags must be true or false');
    }
    if (requireChecks !== undefined && typeof requireChecks !== 'boolean') {
      throw new InputError('requireChecks must be true or false');
    }
    if (
      visibility !== undefined &&
      visibility !== 'internal' &&
      visibility !== 'private'
    ) {
      throw new InputError("visibility must be 'internal' or 'private'");
    }
    if (protectTags !== undefined && !access.isPlatform(caller)) {
      // Movable tags can rewrite what a release points at.
      throw new NotAllowedError(
        'Only the platform team may change whether tags are protected',
      );
    }
    await access.assert(caller, 'admin', repository);
    await ctx.audit(
      'git-repository-update',
      caller,
      {
        repository: repository.fullName,
        protectTags,
        visibility,
        requireChecks,
      },
      () =>
        store.update(repository.id, { protectTags, visibility, requireChecks }),
    );
    const updated = (await store.byId(repository.id))!;
    res.json(
      await ctx.describe(updated, await ctx.permissionsOf(caller, updated)),
    );
  });

  // Removes a repository that holds nothing yet, e.g. one left by a golden
  // path that failed; the platform team may remove any.
  router.delete('/repositories/:owner/:repo', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    const isCreator =
      caller.type === 'user' && caller.userEntityRef === repository.createdBy;
    if (!isCreator) {
      await access.assert(caller, 'admin', repository);
    }
    if (
      !access.isPlatform(caller) &&
      (await repositories.exists(repository.folder)) &&
      !(await repositories.isEmpty(repository.folder))
    ) {
      throw new ConflictError(
        `'${repository.fullName}' has commits; only the platform team may delete a repository that holds work`,
      );
    }
    await ctx.audit(
      'git-repository-delete',
      caller,
      { repository: repository.fullName },
      async () => {
        await store.delete(repository.id);
        await repositories.remove(repository.folder);
      },
    );
    logger.info(
      `Deleted repository ${repository.fullName} (by ${callerName(caller)})`,
    );
    res.status(204).end();
  });

  const userOf = (caller: Caller, what: string) => {
    if (caller.type !== 'user') {
      throw new InputError(`${what} are issued to and listed for users`);
    }
    return caller;
  };

  router.get('/tokens', async (req, res) => {
    const user = userOf(await access.fromRequest(req), 'git tokens');
    res.json({ items: await store.tokensOf(user.userEntityRef) });
  });

  router.post('/tokens', async (req, res) => {
    const user = userOf(await access.fromRequest(req), 'git tokens');
    if (user.token) {
      throw new NotAllowedError(
        'A git token cannot issue more tokens; sign in to the portal to issue one',
      );
    }
    const days = parseDays(req.body?.expiresInDays, policy);
    const name = tokenName(req.body?.name, 'Personal git token');
    const issued = await ctx.audit(
      'git-token-issue',
      user,
      { name, expiresInDays: days },
      () =>
        store.issueToken({
          name,
          subject: user.userEntityRef,
          scope: 'write',
          expiresAt: new Date(Date.now() + days * 86_400_000),
        }),
    );
    res.status(201).json({ token: issued.token, ...issued.record });
  });

  router.delete('/tokens/:id', async (req, res) => {
    const caller = await access.fromRequest(req);
    const token = await store.token(req.params.id);
    if (!token) {
      throw new NotFoundError(`No git token ${req.params.id}`);
    }
    await assertMayRevoke(caller, token);
    await ctx.audit(
      'git-token-revoke',
      caller,
      {
        tokenId: token.id,
        name: token.name,
        repository: token.repository,
        subject: token.subject,
      },
      () => store.revokeToken(token.id, callerName(caller)),
    );
    res.status(204).end();
  });

  async function assertMayRevoke(caller: Caller, token: TokenRecord) {
    if (caller.type === 'user' && caller.userEntityRef === token.subject) {
      return;
    }
    if (token.repositoryId) {
      const repository = await store.byId(token.repositoryId);
      if (repository) {
        await access.assert(caller, 'admin', repository);
        return;
      }
    }
    if (!access.isPlatform(caller)) {
      throw new NotAllowedError(
        `Only ${token.subject} or the platform team may revoke this token`,
      );
    }
  }

  router.get('/repositories/:owner/:repo/deploy-tokens', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    await access.assert(caller, 'admin', repository);
    res.json({ items: await store.deployTokensOf(repository.id) });
  });

  router.post('/repositories/:owner/:repo/deploy-tokens', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    await access.assert(caller, 'admin', repository);
    if (
      caller.type === 'deploy-token' ||
      (caller.type === 'user' && caller.token)
    ) {
      throw new NotAllowedError(
        'A git token cannot issue tokens; sign in to the portal to issue one',
      );
    }
    const scope = req.body?.scope ?? 'read';
    if (
      scope !== 'read' &&
      scope !== 'write' &&
      scope !== 'deployments:report'
    ) {
      throw new InputError(
        "scope must be 'read', 'write' or 'deployments:report'",
      );
    }
    const days = parseDays(req.body?.expiresInDays, policy);
    const name = tokenName(
      req.body?.name,
      `Deploy token for ${repository.fullName}`,
    );
    const issued = await ctx.audit(
      'git-token-issue',
      caller,
      { name, repository: repository.fullName, scope, expiresInDays: days },
      () =>
        store.issueToken({
          name,
          subject: callerName(caller),
          repositoryId: repository.id,
          scope: scope as TokenScope,
          expiresAt: new Date(Date.now() + days * 86_400_000),
        }),
    );
    res.status(201).json({ token: issued.token, ...issued.record });
  });

  addPipelineRoutes(router, {
    ctx,
    access,
    pipelines: options.pipelines,
    store: options.pipelineStore,
  });

  /**
   * For the deployments plugin: who a deploy token stands for. Only
   * Backstage plugins may ask; a token that is unknown, expired, revoked or
   * not a deployments:report or write deploy token is a 401.
   */
  router.post('/deploy-tokens/verify', async (req, res) => {
    const caller = await access.fromRequest(req);
    if (caller.type !== 'service' || !caller.subject.startsWith('plugin:')) {
      throw new NotAllowedError(
        'Only Backstage plugins may verify deploy tokens',
      );
    }
    const secret = req.body?.token;
    const token =
      typeof secret === 'string' && secret.length <= 200
        ? await store.findToken(secret)
        : undefined;
    const valid =
      token &&
      token.repositoryId &&
      !token.revokedAt &&
      Date.parse(token.expiresAt) > Date.now() &&
      (token.scope === 'deployments:report' || token.scope === 'write');
    if (!valid) {
      res.status(401).json({
        error: {
          name: 'AuthenticationError',
          message:
            'The deploy token is unknown, expired, revoked or may not report deployments',
        },
      });
      return;
    }
    await store.touchToken(token);
    const repository = (await store.byId(token.repositoryId!))!;
    res.json({
      tokenId: token.id,
      tokenName: token.name,
      scope: token.scope,
      repository: repository.fullName,
      owner: repository.owner,
      pipeline: token.subject.startsWith('pipeline:')
        ? token.subject
        : undefined,
    });
  });

  /** The catalog entities that come from a repository (for other plugins). */
  router.get('/repositories/:owner/:repo/entities', async (req, res) => {
    const caller = await access.fromRequest(req);
    const repository = await ctx.repositoryOf(
      req.params.owner,
      req.params.repo,
    );
    await access.assert(caller, 'read', repository);
    res.json({
      items: await entitiesOfRepository({
        repository,
        defaultBranch: repositories.defaultBranch,
        baseUrl: ctx.baseUrl,
        catalog,
        auth,
      }),
    });
  });

  // Gitea's API, as Backstage's Gitea integration calls it.
  router.use('/api/v1', createGiteaRouter({ ...options, ctx }));

  // Links a browser follows (View Source, a component's Repository link,
  // Gitea's file URLs): the repository's page in the portal. Anonymous
  // clients (publish:gitea waiting for the new repository) are told whether
  // the branch exists, for internal repositories only.
  router.get('/:owner/:repo', browse);
  router.get('/:owner/:repo/*', browse);
  async function browse(req: express.Request, res: express.Response) {
    const { owner, repo } = req.params;
    const rest = ((req.params as Record<string, string>)['0'] ?? '').split('/');
    const [kind, ...more] = rest;
    let target = `/repositories/${encodeURIComponent(
      owner,
    )}/${encodeURIComponent(repo.replace(/\.git$/, ''))}`;
    let ref: string | undefined;
    let filePath = '';
    if (kind === 'src' && more.length >= 2) {
      // src/branch/<ref>/<path>, src/commit/<sha>/<path>, src/tag/<tag>/<path>
      [, ref] = more;
      filePath = more.slice(2).join('/');
    } else if (kind === '_edit' && more.length >= 1) {
      [ref] = more;
      filePath = more.slice(1).join('/');
    } else if (kind === 'pulls' && /^\d+$/.test(more[0] ?? '')) {
      target += `/pulls/${more[0]}`;
    }
    const repository = await ctx
      .repositoryOf(owner, repo)
      .catch(() => undefined);
    const onDisk =
      repository?.visibility === 'internal' &&
      (await repositories.exists(repository.folder));
    if (ref && !filePath && repository && onDisk) {
      // `src/branch/catalog-info.yaml`: see rootFileAsRef.
      const quirk = await repositories
        .rootFileAsRef(repository.folder, ref)
        .catch(() => undefined);
      if (quirk) {
        ref = repositories.defaultBranch;
        filePath = quirk.treePath;
      }
    }
    if (ref) {
      target += `/src/${encodeURIComponent(ref)}/${filePath
        .split('/')
        .map(encodeURIComponent)
        .join('/')}`.replace(/\/$/, '');
    }
    if (!(req.get('accept') ?? '').includes('text/html')) {
      // A program, not a browser: answer whether the branch exists.
      const exists =
        repository &&
        onDisk &&
        (!ref ||
          (await repositories
            .branchHead(repository.folder, ref)
            .catch(() => undefined)));
      res
        .status(exists ? 200 : 404)
        .json({ portalUrl: `${ctx.appBaseUrl}${target}` });
      return;
    }
    res.redirect(`${ctx.appBaseUrl}${target}`);
  }

  router.use((_req, _res, next) => {
    next(new NotFoundError('Not found'));
  });

  return router;
}
