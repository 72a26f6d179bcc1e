import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  databases,
  GitHostHarness,
  startGitHost,
} from './__testUtils__/harness';
import { git } from './__testUtils__';

jest.setTimeout(300_000);

const alice = 'user:default/alice'; // payments
const bob = 'user:default/bob'; // checkout

const FINISHED = ['success', 'failed', 'canceled', 'interrupted', 'invalid'];

const PIPELINE = `stages: [build, test, deploy]
build:
  stage: build
  script:
    - echo "building on $CI_COMMIT_BRANCH"
    - node --version
test:
  stage: test
  needs: [build]
  script:
    - echo "testing $CI_COMMIT_SHORT_SHA"
deploy-dev:
  stage: deploy
  needs: [test]
  environment:
    name: dev
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - echo "token is $PAVED_DEPLOY_TOKEN"
    - echo "leak is [$PAVED_TEST_PORTAL_SECRET]"
deploy-production:
  stage: deploy
  needs: [deploy-dev]
  environment:
    name: production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  script:
    - echo "deploying production"
`;

/**
 * Stands in for the notifications backend (the production browser test
 * uses the real one): what the git host sent.
 */
const sent: NotificationSendOptions[] = [];
const recordingNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({
    async send(options: NotificationSendOptions) {
      sent.push(options);
    },
  }),
});

describe.each(databases.eachSupportedId())(
  'pipelines, on %p',
  (databaseId: TestDatabaseId) => {
    let host: GitHostHarness;
    let repo = 0;
    let workDir: string;

    beforeAll(async () => {
      // A portal secret in the backend's environment must never reach a job.
      process.env.PAVED_TEST_PORTAL_SECRET = 'portal-secret-value-42';
      workDir = fs.mkdtempSync(
        path.join(os.tmpdir(), 'paved-git-host-runner-'),
      );
      host = await startGitHost(
        databaseId,
        {
          gitHost: {
            pipelines: {
              runner: true,
              concurrency: 2,
              jobTimeout: { seconds: 20 },
              killGracePeriod: { seconds: 2 },
              pollIntervalMs: 500,
              maxLogBytes: 4096,
              workDir: path.join(workDir, 'work'),
              npmCache: path.join(workDir, 'npm'),
            },
          },
        },
        [recordingNotifications],
      );
    });
    afterAll(async () => {
      delete process.env.PAVED_TEST_PORTAL_SECRET;
      await host?.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    });

    const newRepo = async () => {
      repo += 1;
      return (await host.create(alice, `svc-${repo}`)).fullName;
    };
    const pipelines = async (fullName: string) =>
      (await host.call('get', alice, `/repositories/${fullName}/pipelines`))
        .body.items as any[];
    /** Waits for pipeline #number to reach one of `states`. */
    const waitFor = async (
      fullName: string,
      number: number,
      states = FINISHED,
    ) => {
      for (;;) {
        const res = await host.call(
          'get',
          alice,
          `/repositories/${fullName}/pipelines/${number}`,
        );
        if (res.status === 200 && states.includes(res.body.status)) {
          return res.body;
        }
        await new Promise(r => setTimeout(r, 250));
      }
    };
    const logOf = async (fullName: string, number: number, job: string) => {
      const res = await host.call(
        'get',
        alice,
        `/repositories/${fullName}/pipelines/${number}/jobs/${job}/log`,
      );
      expect(res.status).toBe(200);
      return (res.body.chunks as Array<{ text: string }>)
        .map(c => c.text)
        .join('');
    };

    it('runs .gitlab-ci.yml after a push, stage by stage, masks secrets, leaves the manual job for a person', async () => {
      const fullName = await newRepo();
      await host.pushFiles(alice, fullName, {
        '.gitlab-ci.yml': PIPELINE,
        'README.md': '# svc\n',
      });
      // The pipeline is queued once git's answer has gone out.
      await waitFor(fullName, 1, [...FINISHED, 'queued', 'running']);
      const [queued] = await pipelines(fullName);
      expect(queued).toMatchObject({
        number: 1,
        ref: 'main',
        trigger: 'push',
        createdBy: 'user:default/alice',
      });
      const done = await waitFor(fullName, 1);
      expect(done.status).toBe('success');
      expect(
        Object.fromEntries(done.jobs.map((j: any) => [j.name, j.status])),
      ).toEqual({
        build: 'success',
        test: 'success',
        'deploy-dev': 'success',
        'deploy-production': 'manual',
      });
      expect(done.jobs.find((j: any) => j.name === 'deploy-dev')).toMatchObject(
        { stage: 'deploy', environment: 'dev', exitCode: 0 },
      );
      expect(await logOf(fullName, 1, 'build')).toContain('building on main');

      // The report token was in the job, masked in its log, and is gone.
      const deployLog = await logOf(fullName, 1, 'deploy-dev');
      expect(deployLog).toContain('token is [MASKED]');
      expect(deployLog).not.toMatch(/paved_[A-Za-z0-9_-]{20,}/);
      // Nothing of the backend's environment reached the job.
      expect(deployLog).toContain('leak is []');
      expect(deployLog).not.toContain('portal-secret-value-42');
      const tokens = await host
        .knex('git_host_access_tokens')
        .where('subject', 'like', 'pipeline:%');
      expect(tokens).toEqual([]);

      // The commit's status says how the pipeline went.
      const status = await host.call(
        'get',
        alice,
        `/api/v1/repos/${fullName}/commits/${done.sha}/status`,
      );
      expect(status.body.state).toBe('success');

      // Its folder is gone.
      expect(fs.readdirSync(path.join(workDir, 'work'))).not.toContain(done.id);

      // Someone of another team may look, but not start, cancel or re-run.
      expect(
        (
          await host.call(
            'post',
            bob,
            `/repositories/${fullName}/pipelines/1/jobs/deploy-production/play`,
          )
        ).status,
      ).toBe(403);
      const refused = await host.call(
        'post',
        bob,
        `/repositories/${fullName}/pipelines/1/rerun`,
      );
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('group:default/payments');

      // The owner starts the manual job.
      const played = await host.call(
        'post',
        alice,
        `/repositories/${fullName}/pipelines/1/jobs/deploy-production/play`,
      );
      expect(played.status).toBe(202);
      const after = await waitFor(fullName, 1);
      expect(
        after.jobs.find((j: any) => j.name === 'deploy-production'),
      ).toMatchObject({ status: 'success', startedBy: 'user:default/alice' });
      expect(await logOf(fullName, 1, 'deploy-production')).toContain(
        'deploying production',
      );
    });

    it('marks an invalid file invalid with the parser message, and runs nothing', async () => {
      const fullName = await newRepo();
      await host.pushFiles(alice, fullName, {
        '.gitlab-ci.yml': 'build:\n  script: [unclosed\n',
      });
      const done = await waitFor(fullName, 1);
      expect(done.status).toBe('invalid');
      expect(done.error).toMatch(/not a valid pipeline/);
      expect(done.error).toMatch(/YAMLException|indentation|flow/i);
      expect(done.jobs).toEqual([]);
    });

    it('fails a job that breaks, skips what needs it, shows its log, tells the owners that main failed; a repository without a pipeline file gets none', async () => {
      sent.length = 0;
      const fullName = await newRepo();
      const work = await host.pushFiles(alice, fullName, {
        'README.md': '# none\n',
      });
      expect(await pipelines(fullName)).toEqual([]);
      await host.pushFiles(
        alice,
        fullName,
        {
          '.gitlab-ci.yml': `stages: [test, deploy]
test:
  stage: test
  script:
    - echo "1 test failed"
    - exit 3
deploy:
  stage: deploy
  script: [echo never]
deploy-production:
  stage: deploy
  when: manual
  script: [echo never]
`,
        },
        { work },
      );
      const done = await waitFor(fullName, 1);
      expect(done.status).toBe('failed');
      const [test, deploy, production] = done.jobs;
      expect(test).toMatchObject({
        name: 'test',
        status: 'failed',
        exitCode: 3,
      });
      expect(deploy).toMatchObject({ name: 'deploy', status: 'skipped' });
      // A manual job after a failure is skipped too: nobody can start a
      // deployment of a commit whose tests failed.
      expect(production).toMatchObject({
        name: 'deploy-production',
        status: 'skipped',
      });
      expect(await logOf(fullName, 1, 'test')).toContain('1 test failed');
      // main turned red: its owners are told, with a link to the pipeline.
      const owner = (await host.call('get', alice, `/repositories/${fullName}`))
        .body.owner;
      const told = sent.find(n =>
        n.payload.title.startsWith(`Pipeline #1 failed on main of ${fullName}`),
      );
      expect(told?.recipients).toEqual({ type: 'entity', entityRef: owner });
      expect(told?.payload.link).toMatch(
        new RegExp(`/repositories/${fullName}/pipelines/1$`),
      );
    });

    it('kills a job that hangs at its timeout, keeps its log; caps a long log', async () => {
      const fullName = await newRepo();
      await host.pushFiles(alice, fullName, {
        '.gitlab-ci.yml': `long-log:
  script:
    - for i in $(seq 1 400); do echo "line $i of a long log"; done
hang:
  needs: []
  script:
    - echo started
    - sleep 600
`,
      });
      const done = await waitFor(fullName, 1);
      const hang = done.jobs.find((j: any) => j.name === 'hang');
      if (!hang) throw new Error(JSON.stringify(done));
      expect(hang).toMatchObject({ status: 'failed' });
      expect(hang.error).toMatch(/Timed out after 20 s/);
      const log = await logOf(fullName, 1, 'hang');
      expect(log).toContain('started');
      expect(log).toContain('longer than its timeout');
      const long = done.jobs.find((j: any) => j.name === 'long-log');
      expect(long).toMatchObject({ status: 'success', logTruncated: true });
      expect(long.logBytes).toBe(4096);
      expect(await logOf(fullName, 1, 'long-log')).toContain('log truncated');
      // Nothing of the job is left running.
      const { execFileSync } = require('node:child_process');
      expect(
        String(execFileSync('ps', ['-eo', 'args'])).includes('sleep 600'),
      ).toBe(false);
    });

    it('runs two quick pushes as two pipelines in order; the older can be canceled', async () => {
      const fullName = await newRepo();
      const slow = `slow:\n  script:\n    - echo "run $CI_COMMIT_SHORT_SHA"\n    - sleep 600\n`;
      const work = await host.pushFiles(alice, fullName, {
        '.gitlab-ci.yml': slow,
      });
      await host.pushFiles(
        alice,
        fullName,
        { '.gitlab-ci.yml': 'quick:\n  script: [echo quick]\n' },
        { work },
      );
      await waitFor(fullName, 2, [...FINISHED, 'queued', 'running']);
      const list = await pipelines(fullName);
      expect(list.map(p => p.number)).toEqual([2, 1]);
      const head = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
      expect(list[0].sha).toBe(head);
      await waitFor(fullName, 1, ['running']);
      // One pipeline at a time per repository: the second waits.
      expect((await waitFor(fullName, 2, ['queued'])).status).toBe('queued');
      const cancel = await host.call(
        'post',
        alice,
        `/repositories/${fullName}/pipelines/1/cancel`,
      );
      expect(cancel.status).toBe(202);
      const first = await waitFor(fullName, 1);
      expect(first.status).toBe('canceled');
      expect(first.jobs[0].status).toBe('canceled');
      const second = await waitFor(fullName, 2);
      expect(second.status).toBe('success');
      expect(Date.parse(second.startedAt)).toBeGreaterThanOrEqual(
        Date.parse(first.finishedAt),
      );

      const rerun = await host.call(
        'post',
        alice,
        `/repositories/${fullName}/pipelines/1/rerun`,
      );
      expect(rerun.status).toBe(201);
      expect(rerun.body).toMatchObject({
        number: 3,
        trigger: 'rerun',
        sha: first.sha,
      });
      await host.call(
        'post',
        alice,
        `/repositories/${fullName}/pipelines/3/cancel`,
      );
      expect((await waitFor(fullName, 3)).status).toBe('canceled');
    });
  },
);
