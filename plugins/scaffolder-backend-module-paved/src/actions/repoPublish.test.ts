import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ConfigReader } from '@backstage/config';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
// The real git host runs in the test backend; the action reaches it over HTTP.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitHostPlugin from '@internal/plugin-git-host-backend';
import request from 'supertest';
import { createRepoPublishAction } from './repoPublish';
import { examples } from './repoPublish.examples';
import yaml from 'yaml';

jest.setTimeout(60_000);

const execFileAsync = promisify(execFile);

describe('paved:repo:publish', () => {
  let tmp: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: ReturnType<typeof createRepoPublishAction>;
  let gitHostUrl: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-publish-'));
    // The real git host, in a test backend; the action reaches it over HTTP.
    backend = await startTestBackend({
      features: [
        gitHostPlugin,
        // The mock user is in payments and checkout, which own the repositories.
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            getUserInfo: async () => ({
              userEntityRef: 'user:default/mock',
              ownershipEntityRefs: [
                'user:default/mock',
                'group:default/payments',
                'group:default/checkout',
              ],
            }),
          }),
        }),
        // Git tokens' teams come from the catalog's User, as in the portal.
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'mock', namespace: 'default' },
              spec: { memberOf: ['payments', 'checkout'] },
              relations: [
                { type: 'memberOf', targetRef: 'group:default/payments' },
                { type: 'memberOf', targetRef: 'group:default/checkout' },
              ],
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://paved.test' },
            gitHost: { root: path.join(tmp, 'repos') },
          },
        }),
      ],
    });
    gitHostUrl = `http://localhost:${
      (backend.server.address() as AddressInfo).port
    }/api/git-host`;
    action = createRepoPublishAction({
      config: new ConfigReader({ backend: { baseUrl: 'http://paved.test' } }),
      discovery: {
        getBaseUrl: async () => gitHostUrl,
        getExternalBaseUrl: async () => gitHostUrl,
      },
      auth: mockServices.auth(),
    });
  });

  afterAll(async () => {
    await backend.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** A workspace with a small service in it. */
  function workspace(name: string) {
    const dir = path.join(tmp, 'workspaces', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
    fs.writeFileSync(
      path.join(dir, 'catalog-info.yaml'),
      'kind: Component\nmetadata:\n  name: shop\n',
    );
    return dir;
  }

  const taskIds = new WeakMap<Map<string, unknown>, string>();

  /** Checkpoints kept across runs, as the task store keeps them on retry. */
  function contextFor(
    name: string,
    checkpoints = new Map<string, unknown>(),
    afterCheckpoint: (key: string) => void = () => {},
  ) {
    const ctx = createMockActionContext({
      input: { name, owner: 'group:default/payments' },
      workspacePath: workspace(name),
    });
    // One task per set of checkpoints: a retry is the same task.
    if (!taskIds.has(checkpoints)) taskIds.set(checkpoints, randomUUID());
    return Object.assign(ctx, {
      task: { id: taskIds.get(checkpoints)! },
      async checkpoint({ key, fn }: { key: string; fn: () => Promise<any> }) {
        if (!checkpoints.has(key)) {
          checkpoints.set(key, await fn());
          afterCheckpoint(key);
        }
        return checkpoints.get(key);
      },
    });
  }

  async function hostedRepository(name: string) {
    const res = await request(backend.server)
      .get('/api/git-host/repositories')
      .set('Authorization', mockCredentials.user.header());
    return res.body.items.find((r: { name: string }) => r.name === name);
  }

  it('creates the repository and pushes the workspace', async () => {
    const ctx = contextFor('shop');
    await action.handler(ctx as any);

    const commitHash = (ctx.output as jest.Mock).mock.calls.find(
      c => c[0] === 'commitHash',
    )[1];
    expect(ctx.output).toHaveBeenCalledWith(
      'remoteUrl',
      'http://paved.test/api/git-host/payments/shop.git',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoUrl',
      'http://paved.test/api/git-host/payments/shop/src/branch/main/catalog-info.yaml',
    );
    const hosted = await hostedRepository('shop');
    expect(hosted.owner).toBe('group:default/payments');
    expect(hosted.lastCommit.sha).toBe(commitHash);

    // The standard git client sees exactly the workspace.
    const token = (
      await request(backend.server)
        .post('/api/git-host/tokens')
        .set('Authorization', mockCredentials.user.header())
    ).body.token;
    const url = gitHostUrl.replace('http://', `http://paved:${token}@`);
    await execFileAsync('git', [
      'clone',
      '--quiet',
      `${url}/payments/shop.git`,
      path.join(tmp, 'shop-clone'),
    ]);
    expect(fs.readdirSync(path.join(tmp, 'shop-clone')).sort()).toEqual([
      '.git',
      'README.md',
      'catalog-info.yaml',
    ]);
    // The pushed catalog-info.yaml says where the code lives.
    const entity = yaml.parse(
      fs.readFileSync(
        path.join(tmp, 'shop-clone', 'catalog-info.yaml'),
        'utf8',
      ),
    );
    expect(entity.metadata.annotations['backstage.io/source-location']).toBe(
      'url:http://paved.test/api/git-host/payments/shop/src/branch/main/',
    );
    expect(entity.metadata.links).toEqual([
      expect.objectContaining({
        title: 'Repository',
        url: 'http://paved.test/api/git-host/payments/shop',
      }),
    ]);
  });

  it('publishes only the workspace when it sits inside another repository', async () => {
    // The scaffolder's working directory can be inside a checkout.
    const outer = path.join(tmp, 'outer');
    fs.mkdirSync(outer);
    await execFileAsync('git', ['init', '--quiet', outer]);
    await execFileAsync(
      'git',
      [
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@x',
        'commit',
        '--quiet',
        '--allow-empty',
        '-m',
        'Outer',
      ],
      { cwd: outer },
    );
    const ctx = contextFor('nested');
    const nested = path.join(outer, 'workspace');
    fs.cpSync(ctx.workspacePath, nested, { recursive: true });
    Object.assign(ctx, { workspacePath: nested });
    await action.handler(ctx as any);
    const hosted = await hostedRepository('nested');
    expect(hosted.lastCommit.message).toBe(
      'Initial commit from a Paved golden path',
    );
    const { stdout: count } = await execFileAsync(
      'git',
      ['rev-list', '--count', 'main'],
      {
        cwd: path.join(tmp, 'repos', 'payments', 'nested.git'),
      },
    );
    expect(count.trim()).toBe('1');
  });

  it('does not create a second repository or commit when the task is retried', async () => {
    const checkpoints = new Map<string, unknown>();
    await action.handler(contextFor('cart', checkpoints) as any);
    const first = await hostedRepository('cart');

    const retry = contextFor('cart', checkpoints);
    await action.handler(retry as any);
    const after = await hostedRepository('cart');
    expect(after.lastCommit.sha).toBe(first.lastCommit.sha);
    expect(retry.output).toHaveBeenCalledWith(
      'commitHash',
      first.lastCommit.sha,
    );
  });

  it('fails clearly when the push is refused, and a retry after the fix completes it once', async () => {
    const checkpoints = new Map<string, unknown>();
    const hook = path.join(
      tmp,
      'repos',
      'payments',
      'orders.git',
      'hooks',
      'update',
    );
    // Once the repository exists, the server refuses pushes to it, as a
    // push rule or a server fault would.
    const ctx = contextFor('orders', checkpoints, key => {
      if (key.startsWith('paved.repo.create')) {
        fs.writeFileSync(
          hook,
          '#!/bin/sh\necho "pushes are paused" >&2\nexit 1\n',
          { mode: 0o755 },
        );
      }
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /pushes are paused/,
    );
    const created = await hostedRepository('orders');
    expect(created.lastCommit).toBeUndefined();

    // The failure message never carries the user's token.
    const failure = await action
      .handler(contextFor('orders', checkpoints) as any)
      .catch(e => e);
    expect(String(failure.message)).not.toMatch(/Bearer [^*]/);

    // The cause is fixed and the task retried with its checkpoints and its
    // workspace: the repository is reused, not created again, and gets
    // exactly one commit with one set of links.
    fs.rmSync(hook);
    const retry = contextFor('orders', checkpoints);
    Object.assign(retry, { workspacePath: ctx.workspacePath });
    await action.handler(retry as any);
    const after = await hostedRepository('orders');
    expect(after.createdAt).toBe(created.createdAt);
    expect(after.lastCommit.message).toBe(
      'Initial commit from a Paved golden path',
    );
    const listed = await request(backend.server)
      .get('/api/git-host/repositories')
      .set('Authorization', mockCredentials.user.header());
    expect(
      listed.body.items.filter((r: { name: string }) => r.name === 'orders'),
    ).toHaveLength(1);
    const { stdout: count } = await execFileAsync(
      'git',
      ['rev-list', '--count', 'main'],
      {
        cwd: path.join(tmp, 'repos', 'payments', 'orders.git'),
      },
    );
    expect(count.trim()).toBe('1');
    const { stdout: pushed } = await execFileAsync(
      'git',
      ['show', 'main:catalog-info.yaml'],
      {
        cwd: path.join(tmp, 'repos', 'payments', 'orders.git'),
      },
    );
    expect(yaml.parse(pushed).metadata.links).toHaveLength(1);
  });

  it('refuses a missing source folder before creating anything', async () => {
    const ctx = contextFor('inventory');
    Object.assign(ctx.input, { sourcePath: 'service' });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      "Nothing to publish: the workspace has no folder 'service'",
    );
    expect(await hostedRepository('inventory')).toBeUndefined();
  });

  it('refuses a name that is taken before changing anything', async () => {
    const before = await hostedRepository('shop');
    await expect(action.handler(contextFor('shop') as any)).rejects.toThrow(
      "A repository named 'payments/shop' already exists; choose another name",
    );
    expect((await hostedRepository('shop')).lastCommit.sha).toBe(
      before.lastCommit.sha,
    );
  });

  it.each([
    'Shop',
    'my shop',
    '../escape',
    'a;rm -rf',
    '$(id)',
    '`id`',
    'x'.repeat(64),
  ])('refuses the name %p with the rule', async name => {
    const ctx = contextFor('unused');
    ctx.input = { name, owner: 'group:default/payments' };
    await expect(action.handler(ctx as any)).rejects.toThrow(
      /lowercase letters, digits and single dashes/,
    );
    expect(await hostedRepository('unused')).toBeUndefined();
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const step = yaml.parse(example).steps[0];
      const ctx = contextFor(step.input.name);
      fs.mkdirSync(path.join(ctx.workspacePath, 'service'), {
        recursive: true,
      });
      fs.writeFileSync(
        path.join(ctx.workspacePath, 'service', 'index.ts'),
        'export {};\n',
      );
      ctx.input = step.input;
      await action.handler(ctx as any);
      const hosted = await hostedRepository(step.input.name);
      expect(hosted.description).toBe(step.input.description);
      expect(hosted.lastCommit.message).toBe(
        step.input.gitCommitMessage ??
          'Initial commit from a Paved golden path',
      );
    },
  );
});
