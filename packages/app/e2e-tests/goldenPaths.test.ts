import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import {
  catalogEntity,
  cloneHosted,
  guestToken,
  pipelineSchemaErrors,
  run,
  runTemplate,
} from './goldenPaths';

// Each run creates a new repository, so names carry a per-run suffix.
const suffix = Date.now().toString(36);

const goldenPaths = [
  {
    template: 'typescript-service',
    name: `ts-svc-${suffix}`,
    ciSystem: 'github-actions',
    pipelineFile: '.github/workflows/paved.yaml',
    hasApi: true,
    runTests: (dir: string) =>
      run(dir, 'npm', ['install', '--no-audit', '--no-fund']).then(() =>
        run(dir, 'npm', ['test']),
      ),
  },
  {
    template: 'python-service',
    name: `py-svc-${suffix}`,
    ciSystem: 'gitlab-ci',
    pipelineFile: '.gitlab-ci.yml',
    hasApi: true,
    // Debian's python3, where python3-fastapi is installed.
    runTests: (dir: string) =>
      run(dir, '/usr/bin/python3', ['-m', 'pytest', '-q']),
  },
  {
    template: 'static-web-app',
    name: `web-${suffix}`,
    ciSystem: 'github-actions',
    pipelineFile: '.github/workflows/paved.yaml',
    hasApi: false,
    runTests: (dir: string) => run(dir, 'npm', ['test']),
  },
];

test.describe('golden paths through the scaffolder API', () => {
  test.setTimeout(300_000);

  for (const golden of goldenPaths) {
    test(`${golden.template}: repository, pipeline, tests and catalog`, async ({
      request,
    }) => {
      const token = await guestToken(request);
      const task = await runTemplate(request, token, golden.template, {
        name: golden.name,
        description: `End-to-end test of ${golden.template}`,
        owner: 'group:default/payments',
        system: 'system:default/payments-platform',
        repoHost: 'paved',
        ciSystem: golden.ciSystem,
        environments: ['dev', 'staging', 'production'],
      });
      expect(task.status, task.log).toBe('completed');
      test.info().annotations.push({
        type: 'task duration',
        description: `${task.seconds.toFixed(1)} s`,
      });

      // The standard git client clones what the golden path pushed.
      const { dir } = await cloneHosted(
        request,
        token,
        `payments/${golden.name}`,
      );
      const pipeline = path.join(dir, golden.pipelineFile);
      expect(
        fs.existsSync(pipeline),
        `${golden.pipelineFile} in the repository`,
      ).toBe(true);
      expect(pipelineSchemaErrors(golden.ciSystem, pipeline)).toEqual([]);
      expect(fs.readFileSync(pipeline, 'utf8')).toContain('gitleaks');

      // The generated service's own tests pass.
      await golden.runTests(dir);

      // The catalog has the component with its owner, system, API, source
      // template and pipeline.
      const component = await catalogEntity(
        request,
        token,
        `component/default/${golden.name}`,
        entity => entity.relations?.some((r: any) => r.type === 'ownedBy'),
      );
      const relations = component.relations.map(
        (r: any) => `${r.type} ${r.targetRef}`,
      );
      expect(relations).toContain('ownedBy group:default/payments');
      expect(relations).toContain('partOf system:default/payments-platform');
      const annotations = component.metadata.annotations;
      expect(annotations['backstage.io/source-template']).toBe(
        `template:default/${golden.template}`,
      );
      expect(annotations['backstage.io/template-version']).toBe('1.0.0');
      expect(annotations['paved.dev/ci-system']).toBe(golden.ciSystem);
      expect(annotations['paved.dev/pipeline-path']).toBe(golden.pipelineFile);
      expect(component.metadata.links.map((l: any) => l.title)).toEqual(
        expect.arrayContaining(['Repository', 'CI/CD pipeline']),
      );
      if (golden.hasApi) {
        expect(relations).toContain(
          `providesApi api:default/${golden.name}-api`,
        );
        const api = await catalogEntity(
          request,
          token,
          `api/default/${golden.name}-api`,
        );
        expect(api.spec.definition).toContain('openapi:');
      }
    });
  }

  test('a push to catalog-info.yaml updates the catalog', async ({
    request,
  }) => {
    const token = await guestToken(request);
    const name = `push-${suffix}`;
    const task = await runTemplate(request, token, 'static-web-app', {
      name,
      owner: 'group:default/growth',
      system: 'system:default/promotions',
      repoHost: 'paved',
      ciSystem: 'gitlab-ci',
      environments: ['dev'],
    });
    expect(task.status, task.log).toBe('completed');
    await catalogEntity(request, token, `component/default/${name}`);

    const { dir, url, gitEnv } = await cloneHosted(
      request,
      token,
      `growth/${name}`,
    );
    const file = path.join(dir, 'catalog-info.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(/lifecycle: experimental/, 'lifecycle: production'),
    );
    const identity = [
      '-c',
      'user.name=E2E',
      '-c',
      'user.email=e2e@example.com',
    ];
    await run(dir, 'git', [
      ...identity,
      'commit',
      '--quiet',
      '-am',
      'Promote to production',
    ]);
    await run(dir, 'git', ['push', '--quiet', url, 'main'], gitEnv);

    const updated = await catalogEntity(
      request,
      token,
      `component/default/${name}`,
      entity => entity.spec.lifecycle === 'production',
    );
    expect(updated.spec.lifecycle).toBe('production');
  });

  test('the scaffolder API refuses a bad name before any task runs', async ({
    request,
  }) => {
    const token = await guestToken(request);
    // The form checks the pattern, the scaffolder checks it again on the
    // server, and paved:repo:publish checks it a third time (its own tests).
    const res = await request.post('/api/scaffolder/v2/tasks', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        templateRef: 'template:default/static-web-app',
        values: {
          name: '../$(id)',
          owner: 'group:default/growth',
          system: 'system:default/promotions',
          repoHost: 'paved',
          ciSystem: 'gitlab-ci',
          environments: ['dev'],
        },
      },
    });
    expect(res.status()).toBe(400);
    expect(await res.text()).toMatch(/instance.name does not match pattern/);
  });
});
