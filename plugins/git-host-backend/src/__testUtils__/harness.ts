import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  AuditorServiceEvent,
  BackendFeature,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { GIT_REPOSITORY_RESOURCE_TYPE } from '@internal/plugin-git-host-common';
import { gitHostPlugin } from '../plugin';
import { decideGitRepositoryPermission } from '../service/permissions';
import { giteaIntegrationConfig, startForwarder } from '../testUtils';
import { as, git, teamServices, withToken } from './index';

export const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
});

/**
 * The Gitea integration's credential in the test backend: Backstage's mock
 * auth stands for the static external access token a real backend has
 * (app-config.yaml); the real token is exercised by the portal tests.
 */
export const integrationToken = mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('gitea-integration'),
  targetPluginId: 'git-host',
});

/**
 * The git host in Backstage's test backend, at a base URL known before it
 * starts (through a forwarder), with `integrations.gitea` for it, and
 * Backstage's own URL readers built from the same config.
 */
export async function startGitHost(
  databaseId: TestDatabaseId,
  extraConfig: { gitHost?: Record<string, unknown> } = {},
  /** More features, e.g. a plugin that uses the git host. */
  features: BackendFeature[] = [],
  /** Who is in which team, and the catalog; the mock catalog by default. */
  teams: BackendFeature[] = teamServices(),
) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-git-host-'));
  const forwarder = await startForwarder();
  const data = {
    app: { baseUrl: 'http://portal.test' },
    backend: { baseUrl: forwarder.url },
    integrations: giteaIntegrationConfig(forwarder.url, integrationToken),
    gitHost: { root: path.join(tmp, 'repos'), ...extraConfig.gitHost },
    // Only a push-triggered refresh can update an entity in a test.
    catalog: { processingInterval: { hours: 1 } },
  };
  const knex = await databases.init(databaseId);
  const events: AuditedEvent[] = [];
  const record =
    (eventId: string, meta: Record<string, any>) =>
    async (status: AuditedEvent['status'], extra?: { meta?: object }) => {
      events.push({ eventId, status, meta: { ...meta, ...extra?.meta } });
    };
  const auditor = createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(options): Promise<AuditorServiceEvent> {
        const log = record(options.eventId, options.meta ?? {});
        await log('initiated');
        return {
          success: async params => log('succeeded', params),
          fail: async params => log('failed', params),
        };
      },
    }),
  });
  // Paved's permission policy for repositories (the same decision function
  // packages/backend's policy returns), behind Backstage's permission API:
  // services are allowed, the platform team is allowed, others get the
  // owner rule's conditions.
  const permissions = createServiceFactory({
    service: coreServices.permissions,
    deps: { userInfo: coreServices.userInfo, auth: coreServices.auth },
    factory: ({ userInfo, auth }) => {
      const decide = async (
        queries: { permission: any }[],
        credentials: any,
      ): Promise<any[]> => {
        if (auth.isPrincipal(credentials, 'service')) {
          return queries.map(() => ({ result: AuthorizeResult.ALLOW }));
        }
        const info = await userInfo.getUserInfo(credentials);
        return queries.map(({ permission }) => {
          if (!isResourcePermission(permission, GIT_REPOSITORY_RESOURCE_TYPE)) {
            return { result: AuthorizeResult.ALLOW };
          }
          if (info.ownershipEntityRefs.includes('group:default/platform')) {
            return { result: AuthorizeResult.ALLOW };
          }
          return decideGitRepositoryPermission(
            permission,
            info.ownershipEntityRefs,
          );
        });
      };
      return {
        authorizeConditional: (queries, { credentials }) =>
          decide(queries, credentials),
        // Other plugins in a test (the catalog) are allowed everything.
        authorize: async queries =>
          queries.map(() => ({ result: AuthorizeResult.ALLOW })),
      };
    },
  });
  const backend: TestBackend = await startTestBackend({
    features: [
      gitHostPlugin,
      ...teams,
      auditor,
      permissions,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data }),
      ...features,
    ],
  });
  forwarder.forwardTo((backend.server.address() as AddressInfo).port);
  const base = `${forwarder.url}/api/git-host`;
  const reader = UrlReaders.default({
    config: new ConfigReader(data),
    logger: mockServices.logger.mock(),
  });

  const call = (
    method: 'get' | 'post' | 'patch' | 'delete',
    user: string | undefined,
    url: string,
    body?: object,
  ) => {
    const req = request(backend.server)[method](`/api/git-host${url}`);
    if (user) req.set('Authorization', as(user));
    return body ? req.send(body) : req;
  };

  const tokenOf = async (user: string, body: object = {}) => {
    const res = await call('post', user, '/tokens', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body.token as string;
  };

  /** Creates `owner/name` as `user` (who must be allowed). */
  const create = async (
    user: string,
    name: string,
    owner = 'group:default/payments',
    extra: object = {},
  ) => {
    const res = await call('post', user, '/repositories', {
      name,
      owner,
      ...extra,
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    return res.body as { fullName: string; cloneUrl: string };
  };

  const cloneUrl = (fullName: string, token: string) =>
    withToken(`${base}/${fullName}.git`, token);

  /** A working copy with `files` committed on `branch` and pushed. */
  const pushFiles = async (
    user: string,
    fullName: string,
    files: Record<string, string | Buffer>,
    options: { branch?: string; work?: string; message?: string } = {},
  ) => {
    const branch = options.branch ?? 'main';
    let work = options.work;
    if (!work) {
      work = fs.mkdtempSync(path.join(tmp, 'work-'));
      await git(work, 'init', '--quiet', '--initial-branch=main');
    }
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
      fs.writeFileSync(path.join(work, file), content);
    }
    await git(work, 'add', '--all');
    await git(work, 'commit', '--quiet', '-m', options.message ?? 'Change');
    await git(
      work,
      'push',
      '--quiet',
      cloneUrl(fullName, await tokenOf(user)),
      `HEAD:refs/heads/${branch}`,
    );
    return work;
  };

  return {
    tmp,
    base,
    knex,
    /** What the git host told the auditor, in order. */
    auditEvents: () => events,
    /** Moves a token's expiry into the past, as time passing would. */
    async expireToken(id: string) {
      await knex('git_host_access_tokens')
        .where({ id })
        .update({ expires_at: new Date(Date.now() - 1000) });
    },
    backend,
    reader,
    forwarder,
    call,
    tokenOf,
    create,
    cloneUrl,
    pushFiles,
    async stop() {
      await backend.stop();
      await forwarder.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export interface AuditedEvent {
  eventId: string;
  status: 'initiated' | 'succeeded' | 'failed';
  meta: Record<string, any>;
}

export type GitHostHarness = Awaited<ReturnType<typeof startGitHost>>;
