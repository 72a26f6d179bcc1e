import fs from 'node:fs';
import path from 'node:path';
import { APIRequestContext, expect, test } from '@playwright/test';
import { environmentsApi } from './environments';
import { cloneHosted, guestToken, run, runTemplate } from './goldenPaths';
import { saveScreenshot, signInAsGuest } from './signIn';

const suffix = Date.now().toString(36);

/** Waits for pipeline #number of a repository to end; generous, not tight. */
async function finishedPipeline(
  request: APIRequestContext,
  token: string,
  fullName: string,
  number: number,
) {
  const started = Date.now();
  for (;;) {
    const res = await request.get(
      `/api/git-host/repositories/${fullName}/pipelines/${number}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (res.ok()) {
      const body = await res.json();
      if (
        ['success', 'failed', 'invalid', 'canceled', 'interrupted'].includes(
          body.status,
        )
      ) {
        return body;
      }
    }
    expect(
      Date.now() - started,
      `pipeline #${number} of ${fullName} still running`,
    ).toBeLessThan(900_000);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/** Starts a manual job of a finished pipeline and waits for it to end. */
async function playJob(
  request: APIRequestContext,
  token: string,
  fullName: string,
  number: number,
  job: string,
) {
  const played = await request.post(
    `/api/git-host/repositories/${fullName}/pipelines/${number}/jobs/${job}/play`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(played.ok(), await played.text()).toBe(true);
  const pipeline = await finishedPipeline(request, token, fullName, number);
  return pipeline.jobs.find((j: { name: string }) => j.name === job) as {
    status: string;
  };
}

async function jobLog(
  request: APIRequestContext,
  token: string,
  fullName: string,
  number: number,
  job: string,
) {
  const res = await request.get(
    `/api/git-host/repositories/${fullName}/pipelines/${number}/jobs/${job}/log`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  expect(res.ok()).toBe(true);
  return ((await res.json()).chunks as Array<{ text: string }>)
    .map(c => c.text)
    .join('');
}

test.describe('pipelines and deployments', () => {
  test.setTimeout(1_500_000);

  test('the TypeScript golden path goes green on the embedded runner, deploys to dev and production (once failing), a broken test turns it red, and the Delivery tab shows the hand-computed figures', async ({
    page,
    request,
  }) => {
    const token = await guestToken(request);
    const name = `ci-svc-${suffix}`;
    // Another team's service, as the platform team sees it: the guest's own
    // team keeps owning no service (the catalog test starts on all of them).
    const fullName = `payments/${name}`;
    const database = `${name.replace(/-/g, '_')}_dev`;

    const task = await runTemplate(request, token, 'typescript-service', {
      name,
      description: 'End-to-end test of pipelines',
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      repoHost: 'paved',
      ciSystem: 'gitlab-ci',
      environments: ['dev', 'production'],
      createEnvironment: true,
      environmentName: 'dev',
      environmentSize: 'small',
      environmentResources: ['postgres'],
      environmentTtlHours: 24,
    });
    expect(task.status, task.log).toBe('completed');

    // The first pipeline: build, test, the security stage and deploy-dev
    // pass; production waits for a person.
    const first = await finishedPipeline(request, token, fullName, 1);
    const jobs = Object.fromEntries(
      first.jobs.map((j: { name: string; status: string }) => [
        j.name,
        j.status,
      ]),
    );
    expect(first.status, JSON.stringify(first.jobs)).toBe('success');
    expect(jobs).toMatchObject({
      build: 'success',
      test: 'success',
      'dependency-audit': 'success',
      'secret-scan': 'success',
      'deploy-dev': 'success',
      'deploy-production': 'manual',
    });
    const deployLog = await jobLog(request, token, fullName, 1, 'deploy-dev');
    expect(deployLog).toMatch(/Smoke check passed/);
    // The environment's credentials were masked, never printed.
    const api = environmentsApi(request, token);
    const [env] = await api.list(`?service=component:default/${name}`);
    const { postgres_url: url, postgres_password: password } =
      await api.secrets(env.id);
    expect(deployLog).not.toContain(password);
    // The deploy job migrated the dev database: the table is there, reached
    // with the environment's own credentials.
    const { stdout } = await run('.', 'psql', [
      url,
      '-Atc',
      "select current_database(), to_regclass('public.service_greetings') is not null",
    ]);
    expect(stdout.trim()).toBe(`${database}|t`);

    // The deployment is recorded with its commit, and shown.
    const current = await (
      await request.get(
        `/api/deployments/current?service=component:default/${name}`,
        { headers: { Authorization: `Bearer ${token}` } },
      )
    ).json();
    const dev = current.environments.find(
      (e: { environment: string }) => e.environment === 'dev',
    );
    expect(dev.current).toMatchObject({
      commit: first.sha,
      outcome: 'success',
      source: 'paved-runner',
    });
    expect(current.firstDeploys).toEqual([
      expect.objectContaining({
        environment: 'dev',
        template: 'template:default/typescript-service',
      }),
    ]);
    await signInAsGuest(page, `/catalog/default/component/${name}/deployments`);
    await expect(page.getByText(first.sha.slice(0, 8)).first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText('dev').first()).toBeVisible();
    await saveScreenshot(page, 'deployments-view');

    // A pushed commit that breaks a test: a red pipeline whose failing
    // job's log is shown.
    const { dir, gitEnv } = await cloneHosted(request, token, fullName);
    const testFile = path.join(dir, 'src/app.test.ts');
    fs.writeFileSync(
      testFile,
      `${fs.readFileSync(
        testFile,
        'utf8',
      )}\ntest('a change that breaks the service', () => {\n  assert.equal(1 + 1, 3);\n});\n`,
    );
    const author = {
      ...gitEnv,
      GIT_AUTHOR_NAME: 'E2E',
      GIT_AUTHOR_EMAIL: 'e2e@example.com',
      GIT_COMMITTER_NAME: 'E2E',
      GIT_COMMITTER_EMAIL: 'e2e@example.com',
    };
    await run(dir, 'git', ['commit', '--quiet', '-am', 'Break a test'], author);
    await run(dir, 'git', ['push', '--quiet', 'origin', 'main'], author);
    const second = await finishedPipeline(request, token, fullName, 2);
    expect(second.status).toBe('failed');
    const failed = second.jobs.find((j: { name: string }) => j.name === 'test');
    expect(failed.status).toBe('failed');
    expect(
      second.jobs.find((j: { name: string }) => j.name === 'deploy-dev').status,
    ).toBe('skipped');
    await page.goto(`/repositories/${fullName}/pipelines/2`);
    await expect(page.getByText('failed').first()).toBeVisible({
      timeout: 60_000,
    });
    await page.getByText('test', { exact: true }).first().click();
    await expect(
      page.getByText(/a change that breaks the service/).first(),
    ).toBeVisible({ timeout: 60_000 });
    await saveScreenshot(page, 'pipeline-failed-log');

    // Production through the pipeline: a person starts deploy-production of
    // the first, green pipeline; it deploys.
    expect(
      (await playJob(request, token, fullName, 1, 'deploy-production')).status,
    ).toBe('success');
    // The test is fixed, and the production deploy command is wired in
    // wrong: dev deploys, production fails and reports its failure.
    fs.writeFileSync(
      testFile,
      fs
        .readFileSync(testFile, 'utf8')
        .replace(/\ntest\('a change that breaks the service'[^]*$/, '\n'),
    );
    const pipelineFile = path.join(dir, '.gitlab-ci.yml');
    const placeholder =
      '- echo "Deploying $PAVED_SERVICE to $PAVED_ENVIRONMENT (replace with your deploy command)"';
    const pipelineText = fs.readFileSync(pipelineFile, 'utf8');
    expect(pipelineText.split(placeholder)).toHaveLength(3);
    fs.writeFileSync(
      pipelineFile,
      pipelineText.replaceAll(
        placeholder,
        `- 'if [ "$PAVED_ENVIRONMENT" = production ]; then ./deploy/production.sh; fi'`,
      ),
    );
    await run(
      dir,
      'git',
      ['commit', '--quiet', '-am', 'Fix the test; deploy production'],
      author,
    );
    await run(dir, 'git', ['push', '--quiet', 'origin', 'main'], author);
    const third = await finishedPipeline(request, token, fullName, 3);
    expect(third.status, JSON.stringify(third.jobs)).toBe('success');
    expect(
      (await playJob(request, token, fullName, 3, 'deploy-production')).status,
    ).toBe('failed');
    expect(
      await jobLog(request, token, fullName, 3, 'deploy-production'),
    ).toMatch(/Deployment report: recorded by the portal/);

    // An external CI (a GitHub Actions job's curl) reports a deployment
    // with a deploy token, putting the first commit back in production:
    // recorded once, although sent twice.
    const issued = await request.post(
      `/api/git-host/repositories/${fullName}/deploy-tokens`,
      {
        headers: { Authorization: `Bearer ${token}` },
        data: { scope: 'deployments:report', name: 'GitHub Actions' },
      },
    );
    expect(issued.status(), await issued.text()).toBe(201);
    const deployToken = (await issued.json()).token as string;
    const body = JSON.stringify({
      service: name,
      environment: 'production',
      commit: first.sha,
      version: '1.0.0',
      outcome: 'success',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      finishedAt: new Date().toISOString(),
      pipelineUrl: `https://github.example/payments/${name}/actions/runs/42`,
      idempotencyKey: '42-1-deploy-production',
    });
    const origin = new URL(issued.url()).origin;
    const curl = () =>
      run('.', 'curl', [
        '--silent',
        '--show-error',
        '--max-time',
        '10',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-H',
        `Authorization: Bearer ${deployToken}`,
        '--data',
        body,
        `${origin}/api/deployments/report`,
      ]);
    expect((await curl()).stdout).toBe('201');
    expect((await curl()).stdout).toBe('200');
    const production = await (
      await request.get(
        `/api/deployments/deployments?service=component:default/${name}&environment=production`,
        { headers: { Authorization: `Bearer ${token}` } },
      )
    ).json();
    // Three production deployments: the pipeline's, its failed one, and
    // the external one.
    type Deployment = {
      id: string;
      source: string;
      commit: string;
      outcome: string;
    };
    const deployments = production.items as Deployment[];
    expect(
      deployments.map(d => `${d.source} ${d.commit} ${d.outcome}`).sort(),
    ).toEqual(
      [
        `external ${first.sha} success`,
        `paved-runner ${first.sha} success`,
        `paved-runner ${third.sha} failure`,
      ].sort(),
    );
    const byOutcome = (source: string, outcome: string) =>
      deployments.find(d => d.source === source && d.outcome === outcome)!;
    const pipelineDeploy = byOutcome('paved-runner', 'success');
    const failedDeploy = byOutcome('paved-runner', 'failure');
    const externalDeploy = byOutcome('external', 'success');

    // An incident the deployment caused, opened and resolved: the
    // Delivery tab counts it failed once, with the incident behind it.
    const incident = await request.post('/api/deployments/incidents', {
      headers: { Authorization: `Bearer ${deployToken}` },
      data: {
        id: 'INC-42',
        service: name,
        title: 'Greetings answer 500',
        severity: 'high',
        openedAt: new Date(Date.now() - 30_000).toISOString(),
        resolvedAt: new Date().toISOString(),
        deploymentId: externalDeploy.id,
      },
    });
    expect(incident.status(), await incident.text()).toBe(201);
    const metrics = await (
      await request.get(
        `/api/deployments/metrics?entity=${encodeURIComponent(
          `component:default/${name}`,
        )}&days=30`,
        { headers: { Authorization: `Bearer ${token}` } },
      )
    ).json();
    // By hand: two successful deployments; the failed one and the one the
    // incident is tied to are change failures (2 of 3); the first success
    // after the failure restores (rework 1 of 3); both failures recovered.
    const { figures } = metrics;
    expect(figures.deploymentFrequency.numerator.value).toBe(2);
    expect(figures.changeFailureRate).toMatchObject({
      numerator: { value: 2 },
      denominator: { value: 3 },
    });
    expect([...figures.changeFailureRate.deploymentIds].sort()).toEqual(
      [failedDeploy.id, externalDeploy.id].sort(),
    );
    expect(figures.reworkRate).toMatchObject({
      numerator: { value: 1 },
      denominator: { value: 3 },
      deploymentIds: [externalDeploy.id],
    });
    expect(figures.recoveryTime.unrecovered).toBe(0);
    // Lead time comes from the commits the pipeline's deployment brought;
    // the external one brought nothing new.
    expect(figures.leadTime.deploymentIds).toEqual([pipelineDeploy.id]);
    await page.goto(`/catalog/default/component/${name}/delivery`);
    await expect(page.getByText('failed 2 of 3').first()).toBeVisible({
      timeout: 60_000,
    });
    await expect(page.getByText('1 of 3').first()).toBeVisible();
    await expect(page.getByText('Greetings answer 500').first()).toBeVisible();
    await saveScreenshot(page, 'delivery-tab');
    // The platform's view: the golden path, with its time to first deploy.
    await page.goto('/delivery-insights');
    const goldenPath = page
      .getByRole('region', { name: 'Golden paths' })
      .getByRole('row')
      .filter({ hasText: /TypeScript HTTP service|typescript-service/ })
      .first();
    await expect(goldenPath).toBeVisible({ timeout: 60_000 });
    // Its time to first (production) deploy, now that one has happened.
    await expect(goldenPath).toContainText(/median of \d+/);
    await saveScreenshot(page, 'delivery-insights');
  });
});
