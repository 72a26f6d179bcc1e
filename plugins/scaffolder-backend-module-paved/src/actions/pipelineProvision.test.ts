import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createPipelineProvisionAction } from './pipelineProvision';
import { examples } from './pipelineProvision.examples';
import { PipelineLibrary } from './pipelineLibrary';

// The platform's real pipeline library and the schemas kept beside it.
const libraryDir = path.resolve(__dirname, '../../../../templates/pipelines');

const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout-api
  annotations:
    backstage.io/source-template: template:default/typescript-service
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: checkout-api
spec:
  type: openapi
  lifecycle: experimental
  owner: group:default/checkout
  definition: {}
`;

function makeAction(dir = libraryDir) {
  return createPipelineProvisionAction({
    config: new ConfigReader({
      backend: { baseUrl: 'http://localhost:7007' },
      paved: { pipelines: { libraryDir: dir } },
    }),
  });
}

/** Every folder a test made, removed after it. */
const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function makeContext(input: JsonObject) {
  const workspacePath = tempDir('paved-pipeline-');
  fs.writeFileSync(path.join(workspacePath, 'catalog-info.yaml'), catalogInfo);
  return createMockActionContext({ input, workspacePath });
}

describe('paved:pipeline:provision', () => {
  it.each([
    ['github-actions', 'node', '.github/workflows/paved.yaml'],
    ['github-actions', 'python', '.github/workflows/paved.yaml'],
    ['gitlab-ci', 'node', '.gitlab-ci.yml'],
    ['gitlab-ci', 'python', '.gitlab-ci.yml'],
    ['gitlab-ci', 'static', '.gitlab-ci.yml'],
  ])(
    'renders a valid %s pipeline for %s',
    async (ciSystem, language, target) => {
      const ctx = makeContext({
        name: 'checkout-api',
        ciSystem,
        language,
        environments: ['dev', 'staging', 'production'],
      });
      await makeAction().handler(ctx as any);

      const content = fs.readFileSync(
        path.join(ctx.workspacePath, target),
        'utf8',
      );
      expect(
        await new PipelineLibrary(libraryDir).validate(
          ciSystem as any,
          content,
        ),
      ).toEqual([]);
      // The platform's required parts are there, whatever the form said.
      expect(content).toMatch(/gitleaks/);
      expect(content).toContain('http://localhost:7007/api/deployments/report');
      for (const field of [
        'version',
        'startedAt',
        'finishedAt',
        'idempotencyKey',
      ]) {
        expect(content).toMatch(new RegExp(`${field}\\\\?":`));
      }
      // The audit passes, and says so, when its advisory service is away.
      expect(content).toContain('Dependency audit skipped:');
      // Paved's runner has no gitleaks: GitLab's secret scan falls back.
      expect(content.includes('secretlint')).toBe(ciSystem === 'gitlab-ci');
      for (const env of ['dev', 'staging', 'production']) {
        expect(content).toContain(`deploy-${env}`);
      }
      // GitHub's own expressions pass through the library's delimiters.
      expect(content.includes('${{ github.sha }}')).toBe(
        ciSystem === 'github-actions',
      );

      const [component, api] = yaml
        .parseAllDocuments(
          fs.readFileSync(
            path.join(ctx.workspacePath, 'catalog-info.yaml'),
            'utf8',
          ),
        )
        .map(d => d.toJS());
      expect(component.metadata.annotations).toEqual({
        'backstage.io/source-template': 'template:default/typescript-service',
        'paved.dev/ci-system': ciSystem,
        'paved.dev/pipeline-path': target,
      });
      expect(api.kind).toBe('API');
      expect(ctx.output).toHaveBeenCalledWith('pipelinePath', target);
    },
  );

  it.each([
    [['Dev'], /Invalid environment name 'Dev'/],
    [['dev', '$(id)'], /Invalid environment name '\$\(id\)'/],
    [['dev', 'dev'], /Environments must be distinct/],
  ])('refuses environments %p', async (environments, message) => {
    const ctx = makeContext({
      name: 'x',
      ciSystem: 'gitlab-ci',
      language: 'node',
      environments,
    });
    await expect(makeAction().handler(ctx as any)).rejects.toThrow(message);
    expect(fs.existsSync(path.join(ctx.workspacePath, '.gitlab-ci.yml'))).toBe(
      false,
    );
  });

  it('refuses a name that could break out of the pipeline YAML', async () => {
    const ctx = makeContext({
      name: 'x\non: [push]',
      ciSystem: 'gitlab-ci',
      language: 'node',
      environments: ['dev'],
    });
    await expect(makeAction().handler(ctx as any)).rejects.toThrow(
      /lowercase letters, digits and single dashes/,
    );
    expect(fs.existsSync(path.join(ctx.workspacePath, '.gitlab-ci.yml'))).toBe(
      false,
    );
  });

  it('writes nothing when the library renders an invalid pipeline', async () => {
    const broken = tempDir('paved-library-');
    fs.cpSync(libraryDir, broken, { recursive: true });
    fs.writeFileSync(
      path.join(broken, 'gitlab-ci.yaml.njk'),
      'build:\n  script: 42\n',
    );
    const ctx = makeContext({
      name: 'x',
      ciSystem: 'gitlab-ci',
      language: 'node',
      environments: ['dev'],
    });
    await expect(makeAction(broken).handler(ctx as any)).rejects.toThrow(
      /does not match the CI system's schema/,
    );
    expect(fs.existsSync(path.join(ctx.workspacePath, '.gitlab-ci.yml'))).toBe(
      false,
    );
  });

  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_description, example) => {
      const input = yaml.parse(example).steps[0].input;
      const ctx = makeContext(input);
      await makeAction().handler(ctx as any);
      expect(ctx.output).toHaveBeenCalledWith('ciSystem', input.ciSystem);
    },
  );
});
