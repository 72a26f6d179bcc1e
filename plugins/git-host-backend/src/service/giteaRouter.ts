import { pipeline } from 'node:stream';
import express from 'express';
import Router from 'express-promise-router';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { assertOwnerSegment } from '@internal/plugin-git-host-common';
import { assertRef, assertTreePath } from './BareRepositories';
import { callerName } from './access';
import { CommitStatuses } from './CommitStatuses';
import { GiteaJson } from './giteaJson';
import type { GitHostContext, RouterOptions } from './router';

/** A file above this size is listed, not inlined, by the contents API. */
const MAX_CONTENT_BYTES = 10 * 1024 * 1024;

/**
 * The part of Gitea's API (v1) that Backstage's Gitea integration calls
 * (`@backstage/integration`'s gitea URLs, the Gitea URL reader of
 * `@backstage/backend-defaults`, `publish:gitea`), plus the repository,
 * branch, commit, pull request and commit status endpoints the portal's
 * own pages and other plugins use, in Gitea's shapes.
 */
export function createGiteaRouter(
  options: RouterOptions & { ctx: GitHostContext },
) {
  const { ctx, access, repositories, changeRequests, statuses, catalog, auth } =
    options;
  const json = new GiteaJson(ctx.baseUrl);
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const caller = (req: express.Request) => access.fromRequest(req);
  /** The caller and the repository of :owner/:repo, which they may `action`. */
  const repositoryFor = async (
    req: express.Request,
    action: 'read' | 'write' | 'admin',
  ) => {
    const who = await caller(req);
    const repository = await ctx.authorized(
      who,
      req.params.owner,
      req.params.repo,
      action,
    );
    return { who, repository };
  };

  /** The group behind a Gitea organization name, from the catalog. */
  async function groupOf(org: string) {
    assertOwnerSegment(org);
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'Group', 'metadata.name': org },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.description',
          'spec.profile.displayName',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    if (items.length === 0) {
      throw new NotFoundError(`No group named '${org}' in the catalog`);
    }
    const inDefault = items.filter(
      e => (e.metadata.namespace ?? 'default') === 'default',
    );
    if (items.length > 1 && inDefault.length !== 1) {
      throw new ConflictError(
        `'${org}' names groups in several namespaces; use the Repositories API with a full owner ref`,
      );
    }
    return inDefault[0] ?? items[0];
  }

  router.get('/version', (_req, res) => {
    // Clients probe this; Paved answers as the Gitea API level it follows.
    res.json({ version: '1.21.0+paved' });
  });

  router.get('/orgs/:org', async (req, res) => {
    await caller(req);
    const group = await groupOf(req.params.org);
    res.json({
      id: 0,
      name: group.metadata.name,
      username: group.metadata.name,
      full_name: stringifyEntityRef(group),
      description: group.metadata.description ?? '',
      visibility: 'public',
    });
  });

  router.post('/orgs/:org/repos', async (req, res) => {
    const who = await caller(req);
    const group = await groupOf(req.params.org);
    const body = req.body ?? {};
    if (body.private !== undefined && typeof body.private !== 'boolean') {
      throw new InputError('private must be true or false');
    }
    const { repository } = await ctx
      .createRepository(who, {
        name: body.name,
        owner: stringifyEntityRef(group).toLocaleLowerCase('en-US'),
        description: body.description || undefined,
        visibility: body.private ? 'private' : 'internal',
      })
      .catch(error => {
        // Gitea answers 409 for a taken name; so does Paved.
        throw error;
      });
    res
      .status(201)
      .json(
        json.repository(
          repository,
          true,
          await ctx.permissionsOf(who, repository),
        ),
      );
  });

  router.get('/repos/:owner/:repo', async (req, res) => {
    const { who, repository } = await repositoryFor(req, 'read');
    res.json(
      json.repository(
        repository,
        await repositories.isEmpty(repository.folder),
        await ctx.permissionsOf(who, repository),
      ),
    );
  });

  /** The commit a ?ref= (or the default branch) names, or a 404. */
  async function commitOf(folder: string, fullName: string, ref: unknown) {
    const name =
      ref === undefined || ref === '' ? repositories.defaultBranch : ref;
    assertRef(name);
    const commit = await repositories.resolveCommit(folder, name);
    if (!commit) {
      throw new NotFoundError(
        `No branch, tag or commit '${name}' in ${fullName}`,
      );
    }
    return commit;
  }

  async function contents(req: express.Request, res: express.Response) {
    const { repository } = await repositoryFor(req, 'read');
    const raw = (req.params as Record<string, string>)['0'] ?? '';
    let treePath = raw.replace(/\/+$/, '');
    assertTreePath(treePath);
    let commit: string;
    const quirk = treePath
      ? undefined
      : await repositories.rootFileAsRef(repository.folder, req.query.ref);
    if (quirk) {
      ({ commit, treePath } = quirk);
    } else {
      commit = await commitOf(
        repository.folder,
        repository.fullName,
        req.query.ref,
      );
    }
    if (!treePath) {
      res.json(await repositories.listTree(repository.folder, commit, ''));
      return;
    }
    const object = await repositories.objectAt(
      repository.folder,
      commit,
      treePath,
    );
    if (!object) {
      throw new NotFoundError(
        `Nothing at '${treePath}' in ${repository.fullName} at ${
          req.query.ref ?? repositories.defaultBranch
        }`,
      );
    }
    if (object.type === 'tree') {
      res.json(
        await repositories.listTree(repository.folder, commit, treePath),
      );
      return;
    }
    if (object.type !== 'blob') {
      throw new NotFoundError(`'${treePath}' is a ${object.type}, not a file`);
    }
    const name = treePath.slice(treePath.lastIndexOf('/') + 1);
    const file = {
      type: 'file',
      name,
      path: treePath,
      sha: object.sha,
      size: object.size,
      last_commit_sha: commit,
    };
    res.setHeader('ETag', `"${object.sha}"`);
    if (object.size > MAX_CONTENT_BYTES) {
      res.json({ ...file, too_large: true, encoding: null, content: null });
      return;
    }
    const content = await repositories.readBlob(repository.folder, object.sha);
    res.json({
      ...file,
      encoding: 'base64',
      content: content.toString('base64'),
    });
  }
  router.get('/repos/:owner/:repo/contents', contents);
  router.get('/repos/:owner/:repo/contents/*', contents);

  router.get('/repos/:owner/:repo/raw/*', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const treePath = (req.params as Record<string, string>)['0'] ?? '';
    assertTreePath(treePath);
    const commit = await commitOf(
      repository.folder,
      repository.fullName,
      req.query.ref,
    );
    const object = await repositories.objectAt(
      repository.folder,
      commit,
      treePath,
    );
    if (!object || object.type !== 'blob') {
      throw new NotFoundError(
        `No file '${treePath}' in ${repository.fullName}`,
      );
    }
    res
      .type('application/octet-stream')
      .send(await repositories.readBlob(repository.folder, object.sha));
  });

  router.get('/repos/:owner/:repo/archive/:archive', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const match = req.params.archive.match(/^(.+)\.tar\.gz$/);
    if (!match) {
      throw new InputError('Only .tar.gz archives are served: <ref>.tar.gz');
    }
    const commit = await commitOf(
      repository.folder,
      repository.fullName,
      match[1],
    );
    res.type('application/gzip');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${repository.name}-${match[1].replace(
        /[^\w.-]/g,
        '_',
      )}.tar.gz"`,
    );
    const archive = repositories.archive(
      repository.folder,
      commit,
      repository.name,
    );
    // A client that goes away destroys the archive, which stops git.
    pipeline(archive, res, error => {
      if (error) {
        options.logger.warn(
          `Archive of ${repository.fullName} ended early: ${error}`,
        );
      }
    });
  });

  router.get('/repos/:owner/:repo/git/commits/:ref', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const commit = await commitOf(
      repository.folder,
      repository.fullName,
      req.params.ref,
    );
    const [summary] = await repositories.log(repository.folder, commit, 1);
    res.json(json.commit(repository, summary));
  });

  router.get('/repos/:owner/:repo/commits', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    if (await repositories.isEmpty(repository.folder)) {
      res.json([]);
      return;
    }
    const limit = Math.min(
      Math.max(Number(req.query.limit ?? 30) || 30, 1),
      100,
    );
    const page = Math.max(Number(req.query.page ?? 1) || 1, 1);
    const commit = await commitOf(
      repository.folder,
      repository.fullName,
      req.query.sha,
    );
    const commits = await repositories.log(
      repository.folder,
      commit,
      limit,
      (page - 1) * limit,
    );
    res.json(commits.map(c => json.commit(repository, c)));
  });

  // Gitea's compare: the commits `head` has and `base` has not, newest
  // first (at most 1,000), as the deployments plugin asks for the commits
  // a deployment brought.
  router.get('/repos/:owner/:repo/compare/:basehead', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const [base, head, ...rest] = req.params.basehead.split('...');
    if (!base || !head || rest.length) {
      throw new InputError("compare takes 'base...head'");
    }
    const headCommit = await commitOf(
      repository.folder,
      repository.fullName,
      head,
    );
    const baseCommit = await commitOf(
      repository.folder,
      repository.fullName,
      base,
    );
    const commits = await repositories.log(
      repository.folder,
      headCommit,
      1000,
      0,
      baseCommit,
    );
    res.json({
      total_commits: commits.length,
      commits: commits.map(c => json.commit(repository, c)),
    });
  });

  router.get('/repos/:owner/:repo/branches', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const branches = await repositories.branches(repository.folder);
    res.json(
      branches.map(b => ({
        name: b.name,
        protected: b.name === repositories.defaultBranch,
        commit: {
          id: b.sha,
          message: b.subject,
          timestamp: b.date,
          author: { name: b.author, email: b.email },
        },
      })),
    );
  });

  router.get('/repos/:owner/:repo/branches/:branch', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    assertRef(req.params.branch);
    const branch = (await repositories.branches(repository.folder)).find(
      b => b.name === req.params.branch,
    );
    if (!branch) {
      throw new NotFoundError(
        `No branch '${req.params.branch}' in ${repository.fullName}`,
      );
    }
    res.json({
      name: branch.name,
      protected: branch.name === repositories.defaultBranch,
      commit: {
        id: branch.sha,
        message: branch.subject,
        timestamp: branch.date,
      },
    });
  });

  // Commit statuses: what CI systems report on a commit.
  router.post('/repos/:owner/:repo/statuses/:sha', async (req, res) => {
    const { who, repository } = await repositoryFor(req, 'write');
    if (who.type === 'user') {
      // A check is CI's word on a commit; a person could paint a failure green.
      throw new NotAllowedError(
        'Commit statuses are reported by CI: use a deploy token with write scope, or a service token',
      );
    }
    const sha = await commitOf(
      repository.folder,
      repository.fullName,
      req.params.sha,
    );
    const status = await statuses.report(
      repository.id,
      sha,
      req.body ?? {},
      callerName(who),
    );
    res.status(201).json({
      state: status.state,
      context: status.context,
      description: status.description ?? '',
      target_url: status.targetUrl ?? '',
      updated_at: status.updatedAt,
      creator: { login: status.createdBy },
    });
  });

  router.get('/repos/:owner/:repo/commits/:ref/status', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const sha = await commitOf(
      repository.folder,
      repository.fullName,
      req.params.ref,
    );
    const list = await statuses.of(repository.id, sha);
    res.json({
      sha,
      state: CommitStatuses.combined(list) ?? '',
      total_count: list.length,
      statuses: list.map(s => ({
        state: s.state,
        context: s.context,
        description: s.description ?? '',
        target_url: s.targetUrl ?? '',
        updated_at: s.updatedAt,
      })),
    });
  });

  // Change requests, as Gitea's pull requests.
  const pullNumber = (value: string) => {
    if (!/^\d{1,9}$/.test(value)) {
      throw new NotFoundError(`No change request '${value}'`);
    }
    return Number(value);
  };

  router.get('/repos/:owner/:repo/pulls', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const state = req.query.state ?? 'open';
    if (state !== 'open' && state !== 'closed' && state !== 'all') {
      throw new InputError("state must be 'open', 'closed' or 'all'");
    }
    const list = await changeRequests.list(repository, state);
    res.json(list.map(cr => json.pull(repository, cr)));
  });

  router.post('/repos/:owner/:repo/pulls', async (req, res) => {
    const { who, repository } = await repositoryFor(req, 'write');
    const body = req.body ?? {};
    const cr = await ctx.audit(
      'git-change-request-open',
      who,
      { repository: repository.fullName, head: body.head, base: body.base },
      () => changeRequests.open(repository, body, callerName(who)),
    );
    if (cr.headSha) {
      await options.pipelines.afterRefsUpdated(
        repository,
        [{ ref: cr.headRef, sha: cr.headSha }],
        callerName(who),
        'change_request',
        cr.number,
      );
    }
    res
      .status(201)
      .json(
        json.pull(
          repository,
          cr,
          await changeRequests.mergeability(repository, cr),
        ),
      );
  });

  router.get('/repos/:owner/:repo/pulls/:index', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const cr = await changeRequests.get(
      repository,
      pullNumber(req.params.index),
    );
    res.json(
      json.pull(
        repository,
        cr,
        await changeRequests.mergeability(repository, cr),
      ),
    );
  });

  router.patch('/repos/:owner/:repo/pulls/:index', async (req, res) => {
    const { who, repository } = await repositoryFor(req, 'write');
    const number = pullNumber(req.params.index);
    const body = req.body ?? {};
    const cr = await ctx.audit(
      body.state === 'closed'
        ? 'git-change-request-close'
        : 'git-change-request-update',
      who,
      { repository: repository.fullName, number, state: body.state },
      () => changeRequests.update(repository, number, body),
    );
    res.json(
      json.pull(
        repository,
        cr,
        await changeRequests.mergeability(repository, cr),
      ),
    );
  });

  router.get('/repos/:owner/:repo/pulls/:index/commits', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const commits = await changeRequests.commits(
      repository,
      pullNumber(req.params.index),
    );
    res.json(commits.map(c => json.commit(repository, c)));
  });

  router.get('/repos/:owner/:repo/pulls/:index/files', async (req, res) => {
    const { repository } = await repositoryFor(req, 'read');
    const files = await changeRequests.files(
      repository,
      pullNumber(req.params.index),
    );
    res.json(files.map(f => json.changedFile(f)));
  });

  router.post('/repos/:owner/:repo/pulls/:index/merge', async (req, res) => {
    const { who, repository } = await repositoryFor(req, 'write');
    const number = pullNumber(req.params.index);
    const body = req.body ?? {};
    if (body.Do !== undefined && body.Do !== 'merge') {
      throw new InputError("Only Do: 'merge' is supported (a merge commit)");
    }
    const name = callerName(who);
    const cr = await ctx.audit(
      'git-change-request-merge',
      who,
      { repository: repository.fullName, number },
      () =>
        changeRequests.merge(repository, number, {
          mergedBy: name,
          author: {
            name,
            email: `${name.replace(/[^\w.-]+/g, '.')}@paved.invalid`,
          },
          expectedHead: body.head_commit_id,
          message: body.merge_message_field,
          checkHead: async sha => {
            if (!repository.requireChecks) return undefined;
            const list = await statuses.of(repository.id, sha);
            const state = CommitStatuses.combined(list);
            if (state === 'success') return undefined;
            const failing = list
              .filter(s => s.state !== 'success')
              .map(s => `${s.context} ${s.state}`)
              .join(', ');
            return state
              ? `${
                  repository.fullName
                } requires passing checks to merge, and ${sha.slice(
                  0,
                  8,
                )} has ${failing}`
              : `${
                  repository.fullName
                } requires passing checks to merge, and ${sha.slice(
                  0,
                  8,
                )} has none yet`;
          },
        }),
    );
    if (cr.mergeCommitSha) {
      // The merge moved the base branch, as a push would have.
      await options.pipelines.afterRefsUpdated(
        repository,
        [{ ref: cr.baseRef, sha: cr.mergeCommitSha }],
        name,
      );
    }
    res.json(json.pull(repository, cr, { mergeable: false, reason: 'merged' }));
  });

  router.use((_req, _res, next) => {
    next(
      new NotFoundError('This part of the Gitea API is not served by Paved'),
    );
  });

  return router;
}
