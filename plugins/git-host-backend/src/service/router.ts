import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  RootConfigService,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { BareRepositories } from './BareRepositories';
import { RepositoryRecord, RepositoryStore } from './RepositoryStore';
import { authorizeGitRequest } from './gitAuth';
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
}

export async function createRouter(options: RouterOptions) {
  const { logger, auth, httpAuth, config, store, repositories, catalog } =
    options;
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
  const callerRef = async (req: express.Request) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (auth.isPrincipal(credentials, 'user')) {
      return credentials.principal.userEntityRef;
    }
    return (credentials.principal as { subject: string }).subject;
  };

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
    const access = await authorizeGitRequest({
      req,
      repository: name,
      auth,
      store,
    });
    if (!access.ok) {
      if (access.status === 401) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Paved git"');
      }
      res.status(access.status).type('text/plain').send(`${access.message}\n`);
      return;
    }
    if (!(await store.get(name)) || !(await repositories.exists(name))) {
      res
        .status(404)
        .type('text/plain')
        .send(`No repository named '${name}'\n`);
      return;
    }
    const isPush = rest === '/git-receive-pack';
    const exitCode = await runGitHttpBackend({
      req,
      res,
      projectRoot: repositories.root,
      pathInfo: `/${name}.git${rest}`,
      remoteUser: access.who,
    });
    if (isPush && exitCode === 0) {
      logger.info(`Push to ${name} by ${access.who}`);
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
    await callerRef(req);
    const all = await store.list();
    res.json({ items: await Promise.all(all.map(describe)) });
  });

  router.get('/repositories/:name', async (req, res) => {
    await callerRef(req);
    assertRepositoryName(req.params.name);
    res.json(await describe(await store.require(req.params.name)));
  });

  router.post('/repositories', async (req, res) => {
    const caller = await callerRef(req);
    const { name, owner, description } = req.body ?? {};
    assertRepositoryName(name);
    if (typeof owner !== 'string' || !owner) {
      throw new InputError(
        'owner is required: the entity ref of the owning group or user',
      );
    }
    try {
      parseEntityRef(owner, { defaultKind: 'group' });
    } catch {
      throw new InputError(
        `Invalid owner '${owner}': use an entity ref such as group:default/payments`,
      );
    }
    if (description !== undefined && typeof description !== 'string') {
      throw new InputError('description must be a string');
    }
    await store.create({ name, owner, description, createdBy: caller });
    try {
      await repositories.init(name);
    } catch (error) {
      // Nothing half-made stays behind (a leftover folder is not ours).
      await store.delete(name);
      throw error;
    }
    logger.info(`Created repository ${name} for ${owner} (by ${caller})`);
    res.status(201).json(await describe(await store.require(name)));
  });

  router.post('/repositories/:name/deploy-tokens', async (req, res) => {
    const caller = await callerRef(req);
    assertRepositoryName(req.params.name);
    const repository = await store.require(req.params.name);
    const token = await store.issueToken({
      subject: caller,
      repository: repository.name,
    });
    res.status(201).json({ token, repository: repository.name });
  });

  router.post('/tokens', async (req, res) => {
    const caller = await callerRef(req);
    res
      .status(201)
      .json({ token: await store.issueToken({ subject: caller }) });
  });

  return router;
}
