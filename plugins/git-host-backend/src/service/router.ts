import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  RootConfigService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { BareRepositories } from './BareRepositories';
import { RepositoryRecord, RepositoryStore } from './RepositoryStore';
import { authorizeGitRequest } from './gitAuth';
import {
  Caller,
  callerName,
  normalizeOwner,
  RepositoryAccess,
  writeRefusal,
} from './access';
import { assertRepositoryName } from '@internal/plugin-git-host-common';
import { GIT_PROTOCOL_PATH, runGitHttpBackend } from './smartHttp';
import { refreshCatalogAfterPush } from './catalogRefresh';
import { gitHostBaseUrl } from '../config';
import { CatalogService } from '@backstage/plugin-catalog-node';

export interface RouterOptions {
  logger: LoggerService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  config: RootConfigService;
  store: RepositoryStore;
  repositories: BareRepositories;
  catalog: CatalogService;
  access: RepositoryAccess;
  /** git's update hook, which checks every pushed ref (../../hooks). */
  hooksPath: string;
}

export async function createRouter(options: RouterOptions) {
  const {
    logger,
    auth,
    httpAuth,
    config,
    store,
    repositories,
    catalog,
    access,
  } = options;
  const baseUrl = gitHostBaseUrl(config);
  const appBaseUrl =
    config.getOptionalString('app.baseUrl') ??
    config.getString('backend.baseUrl');
  const cloneUrl = (name: string) => `${baseUrl}/git/${name}.git`;
  const describe = async (repository: RepositoryRecord) => ({
    ...repository,
    cloneUrl: cloneUrl(repository.name),
    lastCommit: await repositories.lastCommit(repository.name),
  });
  const callerOf = async (req: express.Request): Promise<Caller> =>
    access.fromCredentials(
      await httpAuth.credentials(req, { allow: ['user', 'service'] }),
    );

  const router = Router();

  // Git smart HTTP. Its body is git's own protocol, so it is handled before
  // any JSON parsing, and it authenticates git credentials itself.
  router.all('/git/:file/*', async (req, res) => {
    const file = req.params.file;
    const name = file.endsWith('.git') ? file.slice(0, -4) : file;
    assertRepositoryName(name);
    const rest = `/${(req.params as Record<string, string>)['0'] ?? ''}`;
    if (!GIT_PROTOCOL_PATH.test(rest)) {
      // Not git's protocol: a person following a link in a browser.
      res.redirect(`${appBaseUrl}/repositories`);
      return;
    }
    const granted = await authorizeGitRequest({
      req,
      repository: name,
      auth,
      store,
      access,
    });
    const refuse = (status: number, message: string) =>
      res.status(status).type('text/plain').send(`${message}\n`);
    if (!granted.ok) {
      if (granted.status === 401) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Paved git"');
      }
      refuse(granted.status, granted.message);
      return;
    }
    const repository = await store.get(name);
    if (!repository || !(await repositories.exists(name))) {
      refuse(404, `No repository named '${name}'`);
      return;
    }
    // Both halves of a push: the ref advertisement and the pack itself.
    const isPush =
      rest === '/git-receive-pack' ||
      (rest === '/info/refs' && req.query.service === 'git-receive-pack');
    if (
      isPush &&
      granted.deployTokenFor !== name &&
      !access.mayWrite(granted.caller, repository)
    ) {
      logger.info(
        `Refused a push to ${name} by ${callerName(
          granted.caller,
        )}: not a member of ${repository.owner}`,
      );
      refuse(403, writeRefusal(repository, 'push to'));
      return;
    }
    const who = callerName(granted.caller);
    const exitCode = await runGitHttpBackend({
      req,
      res,
      projectRoot: repositories.root,
      pathInfo: `/${name}.git${rest}`,
      remoteUser: who,
      hooksPath: options.hooksPath,
      protectTags: repository.protectTags,
    });
    if (rest === '/git-receive-pack' && exitCode === 0) {
      logger.info(`Push to ${name} by ${who}`);
      await refreshCatalogAfterPush({
        repository: name,
        defaultBranch: repositories.defaultBranch,
        baseUrl,
        catalog,
        auth,
        logger,
      });
    }
  });

  router.use(express.json());

  router.get('/repositories', async (req, res) => {
    await callerOf(req);
    const all = await store.list();
    res.json({ items: await Promise.all(all.map(describe)) });
  });

  router.get('/repositories/:name', async (req, res) => {
    await callerOf(req);
    assertRepositoryName(req.params.name);
    res.json(await describe(await store.require(req.params.name)));
  });

  router.post('/repositories', async (req, res) => {
    const caller = await callerOf(req);
    const { name, description, taskId } = req.body ?? {};
    assertRepositoryName(name);
    const owner = normalizeOwner(req.body?.owner);
    if (description !== undefined && typeof description !== 'string') {
      throw new InputError('description must be a string');
    }
    if (taskId !== undefined && (typeof taskId !== 'string' || !taskId)) {
      throw new InputError('taskId must be the id of a scaffolder task');
    }
    if (!access.mayActFor(caller, owner)) {
      throw new NotAllowedError(
        `Only members of ${owner} or the platform team may create a repository for it`,
      );
    }
    // A resumed scaffolder task gets the repository it made before.
    const existing = await store.get(name);
    if (existing && taskId && existing.createdByTask === taskId) {
      res.status(200).json(await describe(existing));
      return;
    }
    await store.create({
      name,
      owner,
      description,
      createdBy: callerName(caller),
      createdByTask: taskId,
    });
    try {
      await repositories.init(name);
    } catch (error) {
      // Nothing half-made stays behind (a leftover folder is not ours).
      await store.delete(name);
      throw error;
    }
    logger.info(
      `Created repository ${name} for ${owner} (by ${callerName(caller)})`,
    );
    res.status(201).json(await describe(await store.require(name)));
  });

  router.patch('/repositories/:name', async (req, res) => {
    const caller = await callerOf(req);
    assertRepositoryName(req.params.name);
    const repository = await store.require(req.params.name);
    const { protectTags } = req.body ?? {};
    if (typeof protectTags !== 'boolean') {
      throw new InputError('protectTags must be true or false');
    }
    access.assertPlatform(caller, 'change whether tags are protected');
    await store.update(repository.name, { protectTags });
    logger.info(
      `Tags of ${repository.name} are ${
        protectTags ? 'protected' : 'movable'
      } (by ${callerName(caller)})`,
    );
    res.json(await describe(await store.require(repository.name)));
  });

  // Removes a repository that holds nothing yet, e.g. one left by a golden
  // path that failed; the platform team may remove any.
  router.delete('/repositories/:name', async (req, res) => {
    const caller = await callerOf(req);
    assertRepositoryName(req.params.name);
    const repository = await store.require(req.params.name);
    const isCreator =
      caller.type === 'user' && caller.userEntityRef === repository.createdBy;
    if (!isCreator) {
      access.assertWrite(caller, repository, 'delete');
    }
    if (
      !access.isPlatform(caller) &&
      !(await repositories.isEmpty(repository.name))
    ) {
      throw new ConflictError(
        `'${repository.name}' has commits; only the platform team may delete a repository that holds work`,
      );
    }
    await store.delete(repository.name);
    await repositories.remove(repository.name);
    logger.info(
      `Deleted repository ${repository.name} (by ${callerName(caller)})`,
    );
    res.status(204).end();
  });

  router.post('/repositories/:name/deploy-tokens', async (req, res) => {
    const caller = await callerOf(req);
    assertRepositoryName(req.params.name);
    const repository = await store.require(req.params.name);
    access.assertWrite(caller, repository, 'issue deploy tokens for');
    const token = await store.issueToken({
      subject: callerName(caller),
      repository: repository.name,
    });
    res.status(201).json({ token, repository: repository.name });
  });

  router.post('/tokens', async (req, res) => {
    const caller = await callerOf(req);
    if (caller.type !== 'user') {
      throw new InputError('git tokens are issued to users');
    }
    res.status(201).json({
      token: await store.issueToken({ subject: caller.userEntityRef }),
    });
  });

  return router;
}
