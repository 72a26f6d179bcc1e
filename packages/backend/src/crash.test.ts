import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import knexFactory from 'knex';
import {
  eventually,
  freePort,
  PortalProcess,
} from './__testUtils__/PortalProcess';

// The real backend, killed with SIGKILL or stopped with SIGTERM in the
// middle of long work, then started again on the same data: what it says
// afterwards must be true, and the work must be recoverable. Real Terraform
// against this machine's PostgreSQL, Redis and RabbitMQ.
jest.setTimeout(1_200_000);

const pgUrl = (
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  process.env.PAVED_PG_URL ??
  'postgresql://postgres@127.0.0.1:5432'
).replace(/\/+$/, '');
const suffix = Date.now().toString(36);
const service = 'component:default/payments-api-service';

describe('the portal after a crash', () => {
  let dir: string;
  let portal: PortalProcess;

  const runLog = async (runId: string) =>
    (
      await portal.api('GET', `/api/environments/runs/${runId}/events?after=0`)
    ).body.items
      .map((e: { message: string }) => e.message)
      .join('\n');
  const waitForLog = (runId: string, pattern: RegExp) =>
    eventually(`${pattern} in the log of run ${runId}`, async () =>
      pattern.test(await runLog(runId)),
    );
  const waitForRun = (runId: string) =>
    eventually(`run ${runId} to end`, async () => {
      const { body } = await portal.api(
        'GET',
        `/api/environments/runs/${runId}`,
      );
      return ['queued', 'running'].includes(body.status) ? undefined : body;
    });
  const environment = async (id: string) =>
    (await portal.api('GET', `/api/environments/environments/${id}`)).body;
  const databaseExists = async (name: string) => {
    const admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
    });
    try {
      return (await admin('pg_database').where({ datname: name })).length > 0;
    } finally {
      await admin.destroy();
    }
  };
  /** Asks for an environment of the seeded service and waits until it is ready. */
  const readyEnvironment = async (name: string) => {
    const created = await portal.api('POST', '/api/environments/environments', {
      service,
      name,
      resources: ['postgres', 'redis', 'rabbitmq'],
      ttlHours: 2,
    });
    expect(created.status).toBe(202);
    expect((await waitForRun(created.body.run.id)).status).toBe('succeeded');
    return created.body.environment.id as string;
  };
  const destroy = async (id: string) => {
    const run = await portal.api(
      'POST',
      `/api/environments/environments/${id}/runs`,
      { kind: 'destroy' },
    );
    return run.body.id as string;
  };

  const PRIYA = 'user:default/priya-raman'; // platform, like the guest
  const GUEST = 'user:default/guest';
  /** Whom the guest sign-in gives now. */
  let guestUser = GUEST;
  /** Starts the portal again with the guest signed in as another user. */
  const restartAs = async (user: string, signal: 'SIGKILL' | 'SIGTERM') => {
    guestUser = user;
    await portal.stop(signal);
    portal.options.extraConfig = `auth: { providers: { guest: { userEntityRef: ${user} } } }`;
    await portal.start();
  };
  /** Approves a waiting plan as whoever the guest is now (overriding a held soft rule first). */
  const approve = async (runId: string) => {
    const run = await waitForRun(runId);
    expect(run.status).toBe('awaiting-approval');
    if (run.gate.overrideRequired) {
      const overridden = await portal.api(
        'POST',
        `/api/environments/runs/${runId}/override`,
        { reason: 'crash test outside the change window' },
      );
      expect(overridden.status).toBe(200);
    }
    const approved = await portal.api(
      'POST',
      `/api/environments/runs/${runId}/approve`,
      { planHash: run.gate.planHash },
    );
    expect(approved.status).toBe(200);
    return run;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-crash-'));
    portal = new PortalProcess({
      pgUrl,
      database: `paved_crash_${suffix}`,
      port: await freePort(),
      dir,
    });
    await portal.start();
    // The environments are for a seeded service, and the guest is in the
    // platform team once the catalog has the seed organization: wait for both.
    await eventually(
      'the seeded service and the guest in the catalog',
      async () => {
        const [seeded, guest] = await Promise.all([
          portal.api(
            'GET',
            '/api/catalog/entities/by-name/component/default/payments-api-service',
          ),
          portal.api('GET', '/api/catalog/entities/by-name/user/default/guest'),
        ]);
        return (
          seeded.status === 200 &&
          guest.body?.relations?.some(
            (r: { targetRef: string }) =>
              r.targetRef === 'group:default/platform',
          )
        );
      },
    );
  });

  afterAll(async () => {
    // Whatever a failed test left is destroyed while the portal still runs.
    if (portal) {
      const { body } = await portal
        .api('GET', '/api/environments/environments')
        .catch(() => ({ body: { items: [] } }));
      const waiting: Array<{ id: string; gate: any }> = [];
      for (const env of body?.items ?? []) {
        const id = await destroy(env.id).catch(() => undefined);
        const run = id
          ? await waitForRun(id).catch(() => undefined)
          : undefined;
        if (run?.status === 'awaiting-approval') waiting.push(run);
      }
      // A protected environment's destroy waits for someone else.
      if (waiting.length) {
        await restartAs(guestUser === GUEST ? PRIYA : GUEST, 'SIGTERM');
        for (const run of waiting) {
          if (run.gate.overrideRequired) {
            await portal.api(
              'POST',
              `/api/environments/runs/${run.id}/override`,
              { reason: 'clean-up after a failed test' },
            );
          }
          await portal.api('POST', `/api/environments/runs/${run.id}/approve`, {
            planHash: run.gate.planHash,
          });
          await waitForRun(run.id).catch(() => undefined);
        }
      }
      await portal.stop('SIGTERM');
      await portal.dropDatabase();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'leaves a destroy interrupted by %s resumable only, and finishes it on resume',
    async signal => {
      const name = `crash-d-${signal === 'SIGKILL' ? 'k' : 't'}${suffix}`.slice(
        0,
        20,
      );
      const id = await readyEnvironment(name);
      const runId = await destroy(id);
      // A moment into the destroy: Terraform has begun removing things.
      await waitForLog(runId, /Destroying\.\.\./);
      await portal.stop(signal);

      await portal.start();
      const after = await eventually('the interrupted destroy', async () => {
        const env = await environment(id);
        return env.status === 'destroy-interrupted' ? env : undefined;
      });
      expect(after.lastRun).toMatchObject({ id: runId, status: 'interrupted' });
      // Its folder (a saved plan with the passwords) is gone at once.
      expect(fs.existsSync(path.join(dir, 'environments', 'runs', runId))).toBe(
        false,
      );
      // Applying would trust a state that lists what may be gone.
      const apply = await portal.api(
        'POST',
        `/api/environments/environments/${id}/runs`,
        { kind: 'apply' },
      );
      expect(apply.status).toBe(409);
      expect(apply.body.error.message).toMatch(/resume the destroy/);

      const resumed = await destroy(id);
      expect((await waitForRun(resumed)).status).toBe('succeeded');
      expect((await environment(id)).status).toBe('destroyed');
      const dbName = `payments_api_service_${name.replace(/-/g, '_')}`;
      expect(await databaseExists(dbName)).toBe(false);
    },
  );

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'leaves a repository as it was when %s cuts a push off, and takes the push again',
    async signal => {
      const name = `crash-push-${signal === 'SIGKILL' ? 'k' : 't'}-${suffix}`;
      const created = await portal.api('POST', '/api/git-host/repositories', {
        name,
        owner: 'group:default/platform',
      });
      expect(created.status).toBe(201);
      const token = (await portal.api('POST', '/api/git-host/tokens')).body
        .token;
      const gitEnv = {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_AUTHOR_NAME: 'Crash',
        GIT_AUTHOR_EMAIL: 'crash@example.com',
        GIT_COMMITTER_NAME: 'Crash',
        GIT_COMMITTER_EMAIL: 'crash@example.com',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
          `crash:${token}`,
        ).toString('base64')}`,
      };
      const git = (cwd: string, ...args: string[]) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn('git', args, {
            cwd,
            env: gitEnv,
            stdio: 'ignore',
          });
          child.on('error', reject);
          child.on('exit', code => resolve(code ?? 1));
        });
      const work = path.join(dir, `${name}-work`);
      fs.mkdirSync(work);
      await git(work, 'init', '--quiet', '--initial-branch=main');
      fs.writeFileSync(path.join(work, 'README.md'), '# before\n');
      await git(work, 'add', '--all');
      await git(work, 'commit', '--quiet', '-m', 'Before');
      const url = created.body.cloneUrl;
      expect(await git(work, 'push', '--quiet', url, 'main')).toBe(0);
      const before = (
        await portal.api('GET', `/api/git-host/repositories/platform/${name}`)
      ).body.lastCommit.sha;

      // A large commit of incompressible files, pushed while the backend
      // goes down: it is cut off once git has begun receiving it.
      for (let i = 0; i < 16; i++) {
        fs.writeFileSync(
          path.join(work, `blob-${i}.bin`),
          crypto.randomBytes(6 * 1024 * 1024),
        );
      }
      await git(work, 'add', '--all');
      await git(work, 'commit', '--quiet', '-m', 'Large');
      const objects = path.join(
        dir,
        'git',
        'platform',
        `${name}.git`,
        'objects',
      );
      const pushing = git(work, 'push', '--quiet', url, 'main');
      await eventually(
        'git receiving the pack',
        async () => fs.readdirSync(objects).some(f => f.includes('incoming-')),
        120_000,
        10,
      );
      await portal.stop(signal);
      expect(await pushing).not.toBe(0);

      await portal.start();
      const after = await portal.api(
        'GET',
        `/api/git-host/repositories/platform/${name}`,
      );
      // main is where it was and the repository is intact (what git had
      // received stays in its quarantine folder, outside the repository's
      // objects).
      expect(after.body.lastCommit.sha).toBe(before);
      const fsck = await new Promise<number>(resolve =>
        spawn('git', ['fsck', '--no-progress'], {
          cwd: path.join(dir, 'git', 'platform', `${name}.git`),
          stdio: 'ignore',
        }).on('exit', code => resolve(code ?? 1)),
      );
      expect(fsck).toBe(0);
      expect(await git(work, 'push', '--quiet', url, 'main')).toBe(0);
      const pushed = await portal.api(
        'GET',
        `/api/git-host/repositories/platform/${name}`,
      );
      expect(pushed.body.lastCommit.message).toBe('Large');
    },
  );

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'marks a pipeline whose backend got %s interrupted, leaves nothing running, and runs it again',
    async signal => {
      const name = `crash-ci-${signal === 'SIGKILL' ? 'k' : 't'}-${suffix}`;
      const marker = signal === 'SIGKILL' ? 'sleep 611' : 'sleep 622';
      const created = await portal.api('POST', '/api/git-host/repositories', {
        name,
        owner: 'group:default/platform',
      });
      expect(created.status).toBe(201);
      const token = (await portal.api('POST', '/api/git-host/tokens')).body
        .token;
      const work = path.join(dir, `${name}-work`);
      fs.mkdirSync(work);
      fs.writeFileSync(
        path.join(work, '.gitlab-ci.yml'),
        `slow:\n  script:\n    - echo "job started"\n    - ${marker}\n`,
      );
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: 'Crash',
        GIT_AUTHOR_EMAIL: 'crash@example.com',
        GIT_COMMITTER_NAME: 'Crash',
        GIT_COMMITTER_EMAIL: 'crash@example.com',
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(
          `crash:${token}`,
        ).toString('base64')}`,
      };
      for (const args of [
        ['init', '--quiet', '--initial-branch=main'],
        ['add', '--all'],
        ['commit', '--quiet', '-m', 'Pipeline'],
        ['push', '--quiet', created.body.cloneUrl, 'main'],
      ]) {
        execFileSync('git', args, { cwd: work, env });
      }
      const pipelines = `/api/git-host/repositories/platform/${name}/pipelines`;
      const running = () =>
        String(execFileSync('ps', ['-eo', 'args'])).includes(marker);
      await eventually('the job to run', async () => {
        const log = await portal.api('GET', `${pipelines}/1/jobs/slow/log`);
        return (
          log.body?.job?.status === 'running' &&
          log.body.chunks.some((c: { text: string }) =>
            c.text.includes('job started'),
          )
        );
      });
      expect(running()).toBe(true);
      const folders = path.join(dir, 'pipelines');
      expect(fs.readdirSync(folders)).toHaveLength(1);

      await portal.stop(signal);
      // A clean stop stops the job itself; after kill -9 the next start does.
      const stoppedWithBackend =
        signal === 'SIGKILL' ||
        (await eventually(
          'the job stopped with the backend',
          async () => !running(),
        ));
      expect(stoppedWithBackend).toBe(true);
      await portal.start();
      const after = await eventually('the pipeline marked', async () => {
        const { body } = await portal.api('GET', `${pipelines}/1`);
        return body.status === 'interrupted' ? body : undefined;
      });
      expect(after.jobs[0]).toMatchObject({
        name: 'slow',
        status: 'interrupted',
      });
      expect(after.error).toMatch(/Re-run it/);
      // Nothing of the job is left running, and its folder is gone.
      await eventually('the job gone', async () => !running());
      expect(fs.readdirSync(folders)).toEqual([]);
      const log = await portal.api('GET', `${pipelines}/1/jobs/slow/log`);
      expect(
        log.body.chunks.map((c: { text: string }) => c.text).join(''),
      ).toContain('job started');

      // It can be run again.
      const rerun = await portal.api('POST', `${pipelines}/1/rerun`);
      expect(rerun.status).toBe(201);
      await eventually('the re-run to start', async () => {
        const { body } = await portal.api('GET', `${pipelines}/2`);
        return body.jobs?.[0]?.status === 'running';
      });
      expect((await portal.api('POST', `${pipelines}/2/cancel`)).status).toBe(
        202,
      );
      await eventually('the re-run canceled', async () => {
        const { body } = await portal.api('GET', `${pipelines}/2`);
        return body.status === 'canceled';
      });
      await eventually('the canceled job gone', async () => !running());
    },
  );

  it('removes the saved plan of an apply killed with SIGKILL at the next start, and applies again', async () => {
    const name = `crash-a-${suffix}`.slice(0, 20);
    const created = await portal.api('POST', '/api/environments/environments', {
      service,
      name,
      resources: ['postgres', 'redis', 'rabbitmq'],
      ttlHours: 2,
    });
    const runId = created.body.run.id;
    const id = created.body.environment.id;
    await waitForLog(runId, /Creating\.\.\./);
    await portal.stop('SIGKILL');
    // The saved plan, generated passwords included, is on disk now...
    const runDir = path.join(dir, 'environments', 'runs', runId);
    expect(fs.existsSync(runDir)).toBe(true);

    await portal.start();
    // ...and gone as soon as the run is known lost, at this start.
    expect(fs.existsSync(runDir)).toBe(false);
    const env = await environment(id);
    expect(env.status).toBe('interrupted');
    expect(env.lastRun).toMatchObject({ id: runId, status: 'interrupted' });

    const plan = await portal.api(
      'POST',
      `/api/environments/environments/${id}/runs`,
      { kind: 'plan' },
    );
    expect((await waitForRun(plan.body.id)).status).toBe('succeeded');
    const apply = await portal.api(
      'POST',
      `/api/environments/environments/${id}/runs`,
      { kind: 'apply' },
    );
    expect((await waitForRun(apply.body.id)).status).toBe('succeeded');
    const ready = await environment(id);
    expect(ready.status).toBe('ready');
    expect(ready.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect((await waitForRun(await destroy(id))).status).toBe('succeeded');
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'keeps a waiting plan through a SIGKILL, and leaves an approved apply stopped by %s interrupted, its plan gone and a new approval needed',
    async signal => {
      // prod-* is protected: the apply waits for someone else's approval.
      const name = `prod-c${signal === 'SIGKILL' ? 'k' : 't'}${suffix}`.slice(
        0,
        20,
      );
      const created = await portal.api(
        'POST',
        '/api/environments/environments',
        {
          service,
          name,
          resources: ['postgres', 'redis', 'rabbitmq'],
          ttlHours: 2,
        },
      );
      expect(created.status).toBe(202);
      const id = created.body.environment.id;
      const waiting = await waitForRun(created.body.run.id);
      expect(waiting.status).toBe('awaiting-approval');

      // Killed while it waits: it still waits, with the same plan.
      await restartAs(PRIYA, 'SIGKILL');
      const kept = await waitForRun(waiting.id);
      expect(kept.status).toBe('awaiting-approval');
      expect(kept.gate.planHash).toBe(waiting.gate.planHash);

      // Approved by another platform member, then stopped mid-apply.
      await approve(waiting.id);
      await waitForLog(waiting.id, /Creating\.\.\./);
      await portal.stop(signal);
      await portal.start();
      const after = await eventually('the interrupted apply', async () => {
        const env = await environment(id);
        return env.status === 'interrupted' ? env : undefined;
      });
      expect(after.lastRun).toMatchObject({
        id: waiting.id,
        status: 'interrupted',
      });
      // What was approved is spent: approving it again is refused...
      const again = await portal.api(
        'POST',
        `/api/environments/runs/${waiting.id}/approve`,
        { planHash: waiting.gate.planHash },
      );
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already approved/);
      // ...its sealed plan file is gone, and a re-plan asks again.
      const kept2 = await portal.database();
      try {
        expect(
          await kept2
            .withSchema('environments')
            .from('run_plans')
            .where({ run_id: waiting.id }),
        ).toEqual([]);
      } finally {
        await kept2.destroy();
      }
      const replan = await portal.api(
        'POST',
        `/api/environments/environments/${id}/runs`,
        { kind: 'apply' },
      );
      expect((await waitForRun(replan.body.id)).status).toBe(
        'awaiting-approval',
      );
      await restartAs(GUEST, 'SIGTERM');
      await approve(replan.body.id);
      expect((await waitForRun(replan.body.id)).status).toBe('succeeded');
      expect((await environment(id)).status).toBe('ready');

      // The destroy of a protected environment is approved too.
      const destroyRun = await destroy(id);
      expect((await waitForRun(destroyRun)).status).toBe('awaiting-approval');
      await restartAs(PRIYA, 'SIGTERM');
      await approve(destroyRun);
      expect((await waitForRun(destroyRun)).status).toBe('succeeded');
      await restartAs(GUEST, 'SIGTERM');
    },
  );

  it.each([
    ['SIGKILL', 'its repository exists'],
    ['SIGTERM', 'its repository exists'],
    ['SIGKILL', 'its environment was asked for'],
  ] as const)(
    'resumes a golden path stopped by %s once %s, reusing its repository',
    async (signal, stopWhen) => {
      const name = `crash-gp-${signal === 'SIGKILL' ? 'k' : 't'}${
        stopWhen.startsWith('its env') ? 'e' : ''
      }-${suffix}`;
      // The catalog reads the golden paths a moment after the start.
      await eventually(
        'the golden path in the catalog',
        async () =>
          (
            await portal.api(
              'GET',
              '/api/catalog/entities/by-name/template/default/typescript-service',
            )
          ).status === 200,
      );
      const task = await portal.api('POST', '/api/scaffolder/v2/tasks', {
        templateRef: 'template:default/typescript-service',
        values: {
          name,
          owner: 'group:default/payments',
          system: 'system:default/payments-platform',
          repoHost: 'paved',
          ciSystem: 'gitlab-ci',
          environments: ['dev'],
          createEnvironment: true,
          environmentName: 'dev',
          environmentSize: 'small',
          environmentResources: ['postgres'],
          environmentTtlHours: 2,
        },
      });
      expect(task.status).toBe(201);
      const taskId = task.body.id;
      const events = async () =>
        (await portal.api('GET', `/api/scaffolder/v2/tasks/${taskId}/events`))
          .body as Array<{ body: { message?: string; stepId?: string } }>;
      const serviceEnvironments = async () =>
        (
          await portal.api(
            'GET',
            `/api/environments/environments?service=component:default/${name}`,
          )
        ).body.items as Array<{ id: string; status: string }>;
      // Stop it as soon as its repository exists (registering it, waiting
      // for the catalog and the environment are still to come), or in the
      // middle of its environment step (its Terraform run queued, running or
      // just finished).
      await eventually(
        stopWhen,
        async () =>
          stopWhen === 'its repository exists'
            ? (
                await portal.api(
                  'GET',
                  `/api/git-host/repositories/payments/${name}`,
                )
              ).status === 200
            : (await serviceEnvironments()).length > 0,
        300_000,
        100,
      );
      await portal.stop(signal);
      const db = portal.database();
      const tasks = () => db.withSchema('scaffolder').table('tasks');
      const taskEvents = () => db.withSchema('scaffolder').table('task_events');
      const { status } = await tasks().where({ id: taskId }).first();
      if (status !== 'processing') {
        // What the task said last says why it ended.
        const said = (
          await taskEvents().where({ task_id: taskId }).orderBy('id')
        )
          .map(e => {
            const body =
              typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
            return `${body.stepId ?? ''} ${
              body.message ?? JSON.stringify(body)
            }`;
          })
          .slice(-20)
          .join('\n');
        await db.destroy();
        throw new Error(
          `The task ended ${status} on ${signal} instead of staying processing:\n${said}`,
        );
      }

      await portal.start();
      // The golden path may wait up to 10 minutes for a busy catalog after
      // a restart; when even that is not enough, the task's own last words
      // and its environment say where it stands.
      const finished = await eventually(
        'the golden path to finish after the restart',
        async () => {
          const { body } = await portal.api(
            'GET',
            `/api/scaffolder/v2/tasks/${taskId}`,
          );
          return ['completed', 'failed', 'cancelled'].includes(body.status)
            ? body
            : undefined;
        },
        660_000,
      ).catch(async error => {
        const { body: now } = await portal.api(
          'GET',
          `/api/scaffolder/v2/tasks/${taskId}`,
        );
        const said = (await events())
          .slice(-30)
          .map(e => `${e.body.stepId ?? ''} ${e.body.message ?? ''}`)
          .join('\n');
        throw new Error(
          `${error.message}: the task is ${
            now.status
          }, its environments ${JSON.stringify(
            await serviceEnvironments(),
          )}; it said last:\n${said}`,
        );
      });
      const log = (await events()).map(e => e.body.message ?? '').join('\n');
      // The log comes with the status, so a failure says why.
      expect(`${finished.status}\n${log}`).toMatch(/^completed\n/);
      // It was picked up again after the restart, not finished before it.
      try {
        const recovered = await taskEvents().where({
          task_id: taskId,
          event_type: 'recovered',
        });
        expect(recovered.length).toBeGreaterThanOrEqual(1);
      } finally {
        await db.destroy();
      }
      // One repository, the one this task made before the restart.
      const repository = await portal.api(
        'GET',
        `/api/git-host/repositories/payments/${name}`,
      );
      expect(repository.body).toMatchObject({ createdByTask: taskId });
      expect(repository.body.lastCommit).toBeDefined();
      const environments = await serviceEnvironments();
      expect(environments).toHaveLength(1);
      expect(environments[0].status).toBe('ready');
      expect((await waitForRun(await destroy(environments[0].id))).status).toBe(
        'succeeded',
      );
    },
  );

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    'works the delivery facts out again after %s in the middle of a first work-out, with the same figures',
    async signal => {
      // A staging history of 1,000 services written as the deployments
      // store writes it, each service marked stale: the first read works
      // it all out, 100 services per transaction.
      const stage = 'staging';
      const db = knexFactory({
        client: 'pg',
        connection: `${pgUrl}/${portal.options.database}`,
        searchPath: ['deployments'],
      });
      const stale = async () =>
        Number(
          (
            await db('deployment_facts_stale')
              .where({ environment: stage })
              .count({ n: '*' })
          )[0].n,
        );
      const to = new Date().toISOString();
      /** The figures, each one's deployments in a stable order. */
      const figures = async () => {
        const { status, body } = await portal.api(
          'GET',
          `/api/deployments/metrics?days=90&environment=${stage}&to=${to}`,
        );
        expect(status).toBe(200);
        for (const figure of Object.values<{ deploymentIds: string[] }>(
          body.figures,
        )) {
          figure.deploymentIds.sort();
        }
        return body.figures;
      };
      try {
        await db('deployments').where({ environment: stage }).delete();
        await db('deployment_facts_stale')
          .where({ environment: stage })
          .delete();
        await db.raw(
          `insert into deployments
             (id, idempotency_key, service, environment, commit_sha, outcome,
              finished_at, reported_by, source, commit_count, created_at)
           select md5(s || '-' || n), 'crash:' || s || ':' || n,
             'component:default/crash-' || s, ?, md5('c' || s || '-' || n),
             case when n % 7 = 0 then 'failure' else 'success' end,
             now() - (n * interval '2 days') - (s * interval '1 minute'),
             'crash', 'external', 2, now()
           from generate_series(1, 1000) s, generate_series(1, 50) n`,
          [stage],
        );
        await db.raw(
          `insert into deployment_commits
             (deployment_id, sha, committed_at, message, position)
           select d.id, md5(d.id || k), d.finished_at - k * interval '1 hour',
             case when k = 1 and right(d.id, 1) = 'a' then 'hotfix: ' else '' end
               || 'Change ' || k, k - 1
           from deployments d, generate_series(1, 2) k
           where d.environment = ?`,
          [stage],
        );
        await db.raw(
          `insert into deployment_facts_stale (service, environment, since, token)
           select service, environment, min(finished_at), 'crash'
           from deployments where environment = ? group by service, environment`,
          [stage],
        );
        expect(await stale()).toBe(1000);

        const reading = figures().catch(() => undefined);
        // Some pairs worked out and committed, others not yet.
        await eventually(
          'the first work-out under way',
          async () => (await stale()) < 1000,
          300_000,
          20,
        );
        await portal.stop(signal);
        await reading;
        const left = await stale();
        // SIGTERM may let the request finish; SIGKILL cannot.
        expect(left).toBeGreaterThanOrEqual(signal === 'SIGKILL' ? 1 : 0);
        // Each pair is either worked out whole, or still marked.
        const partial = await db('deployments as d')
          .leftJoin('deployment_facts as f', 'f.deployment_id', 'd.id')
          .where('d.environment', stage)
          .whereNull('f.deployment_id')
          .whereNotIn(
            'd.service',
            db('deployment_facts_stale')
              .where({ environment: stage })
              .select('service'),
          )
          .count({ n: '*' });
        expect(Number(partial[0].n)).toBe(0);

        await portal.start();
        const resumed = await figures();
        expect(await stale()).toBe(0);
        expect(resumed.changeFailureRate.denominator.value).toBeGreaterThan(
          10_000,
        );
        // The same figures as a work-out of the whole history in one go.
        await db('deployment_facts').where({ environment: stage }).delete();
        await db.raw(
          `insert into deployment_facts_stale (service, environment, since, token)
           select service, environment, min(finished_at), 'again'
           from deployments where environment = ? group by service, environment`,
          [stage],
        );
        expect(await figures()).toEqual(resumed);
      } finally {
        await db('deployments').where({ environment: stage }).delete();
        await db('deployment_facts_stale')
          .where({ environment: stage })
          .delete();
        await db.destroy();
      }
    },
  );

  it('exits, instead of running on, when a second backend cannot listen', async () => {
    // Only with the first one serving can the second one find its port taken.
    expect(
      (await fetch(`${portal.url}/.backstage/health/v1/readiness`)).ok,
    ).toBe(true);
    const second = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        path.resolve(__dirname, '../../../app-config.yaml'),
        '--config',
        path.resolve(__dirname, '../../../app-config.postgres.yaml'),
        '--config',
        path.join(dir, 'app-config.test.yaml'),
      ],
      {
        cwd: path.resolve(__dirname, '..'),
        env: {
          ...process.env,
          NODE_ENV: 'development',
          POSTGRES_HOST: new URL(pgUrl).hostname,
          POSTGRES_PORT: new URL(pgUrl).port || '5432',
          POSTGRES_USER: decodeURIComponent(new URL(pgUrl).username),
          POSTGRES_DB: portal.options.database,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    second.stdout.on('data', d => (output += d));
    second.stderr.on('data', d => (output += d));
    const code = await new Promise<number | null>(resolve =>
      second.once('exit', resolve),
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/Backend startup failed: .*EADDRINUSE/s);
    // The first one still serves.
    expect(
      (await fetch(`${portal.url}/.backstage/health/v1/readiness`)).ok,
    ).toBe(true);
  });
});
