import fs from 'node:fs/promises';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import nunjucks from 'nunjucks';
import yaml from 'yaml';

/** The CI systems the platform's pipeline library has a pipeline for. */
export const CI_SYSTEMS = {
  'github-actions': {
    template: 'github-actions.yaml.njk',
    schema: 'schemas/github-workflow.json',
    target: '.github/workflows/paved.yaml',
  },
  'gitlab-ci': {
    template: 'gitlab-ci.yaml.njk',
    schema: 'schemas/gitlab-ci.json',
    target: '.gitlab-ci.yml',
  },
} as const;

export type CiSystem = keyof typeof CI_SYSTEMS;

export interface PipelineValues {
  name: string;
  language: 'node' | 'python' | 'static';
  environments: string[];
  reportUrl: string;
  reportTokenSecret: string;
}

/**
 * The platform team's pipeline library (templates/pipelines): renders a
 * pipeline and checks it against the CI system's published JSON schema
 * before anything is written.
 */
export class PipelineLibrary {
  private readonly env: nunjucks.Environment;
  private readonly validators = new Map<CiSystem, ValidateFunction>();

  constructor(readonly dir: string) {
    // GitHub's own ${{ }} expressions must pass through untouched.
    this.env = new nunjucks.Environment(null, {
      autoescape: false,
      trimBlocks: true,
      lstripBlocks: true,
      throwOnUndefined: true,
      tags: {
        variableStart: '[[',
        variableEnd: ']]',
        blockStart: '[%',
        blockEnd: '%]',
        commentStart: '[#',
        commentEnd: '#]',
      },
    });
  }

  async render(ciSystem: CiSystem, values: PipelineValues) {
    const { template, target } = CI_SYSTEMS[ciSystem];
    const source = await fs.readFile(path.join(this.dir, template), 'utf8');
    const content = this.env.renderString(source, values);
    const problems = await this.validate(ciSystem, content);
    if (problems.length) {
      throw new Error(
        `The ${ciSystem} pipeline rendered from ${template} does not match the CI system's schema: ${problems.join(
          '; ',
        )}`,
      );
    }
    return { target, content };
  }

  /** Problems with a pipeline file, empty when it is valid. */
  async validate(ciSystem: CiSystem, content: string): Promise<string[]> {
    const document = yaml.parseDocument(content);
    if (document.errors.length) {
      return document.errors.map(e => e.message);
    }
    const validate = await this.validator(ciSystem);
    if (validate(document.toJS())) {
      return [];
    }
    return (validate.errors ?? []).map(
      e => `${e.instancePath || '/'} ${e.message}`,
    );
  }

  private async validator(ciSystem: CiSystem) {
    let validate = this.validators.get(ciSystem);
    if (!validate) {
      const schemaFile = path.join(this.dir, CI_SYSTEMS[ciSystem].schema);
      const schema = JSON.parse(await fs.readFile(schemaFile, 'utf8'));
      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats(ajv);
      validate = ajv.compile(schema);
      this.validators.set(ciSystem, validate);
    }
    return validate;
  }
}
