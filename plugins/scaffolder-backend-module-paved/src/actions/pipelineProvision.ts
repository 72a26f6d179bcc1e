import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CI_SYSTEMS, CiSystem, PipelineLibrary } from './pipelineLibrary';
import { examples } from './pipelineProvision.examples';
import { updateComponent } from './catalogInfo';
import { assertRepositoryName } from '@internal/plugin-git-host-common';

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** Annotations a component gets for its pipeline. */
export const CI_SYSTEM_ANNOTATION = 'paved.dev/ci-system';
export const PIPELINE_PATH_ANNOTATION = 'paved.dev/pipeline-path';

/**
 * paved:pipeline:provision — renders the CI/CD pipeline for the chosen CI
 * system from the platform's pipeline library, checks it against the CI
 * system's schema, writes it into the workspace and annotates the
 * component's catalog-info.yaml with the CI system and pipeline path. The
 * platform's required steps live in the library, not in the form.
 */
export function createPipelineProvisionAction(options: { config: Config }) {
  const { config } = options;
  const library = new PipelineLibrary(
    path.resolve(
      config.getOptionalString('paved.pipelines.libraryDir') ??
        'templates/pipelines',
    ),
  );
  const reportUrl =
    config.getOptionalString('paved.pipelines.reportUrl') ??
    `${config.getString('backend.baseUrl')}/api/deployments/report`;
  const reportTokenSecret =
    config.getOptionalString('paved.pipelines.reportTokenSecret') ??
    'PAVED_DEPLOY_TOKEN';

  return createTemplateAction({
    id: 'paved:pipeline:provision',
    description:
      "Renders the service's CI/CD pipeline from the platform's pipeline library, validates it against the CI system's schema and annotates the component.",
    examples,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe('Service name, used in job names and deployment reports'),
        ciSystem: z =>
          z
            .enum(Object.keys(CI_SYSTEMS) as [CiSystem, ...CiSystem[]])
            .describe('The CI system'),
        language: z =>
          z
            .enum(['node', 'python', 'static'])
            .describe('How the service builds and tests'),
        environments: z =>
          z
            .array(z.string())
            .min(1)
            .max(6)
            .default(['dev'])
            .describe('Environments to deploy to, in promotion order'),
      },
      output: {
        pipelinePath: z =>
          z.string().describe('Path of the pipeline file in the repository'),
        ciSystem: z => z.string().describe('The CI system'),
      },
    },
    async handler(ctx) {
      const { name, ciSystem, language } = ctx.input;
      // The name is printed into the pipeline's YAML: hold it to the rule.
      assertRepositoryName(name);
      const environments = ctx.input.environments ?? ['dev'];
      for (const environment of environments) {
        if (!ENVIRONMENT_NAME.test(environment)) {
          throw new InputError(
            `Invalid environment name '${environment}': use lowercase letters, digits and dashes, starting with a letter`,
          );
        }
      }
      if (new Set(environments).size !== environments.length) {
        throw new InputError(
          `Environments must be distinct: ${environments.join(', ')}`,
        );
      }

      const { target, content } = await library.render(ciSystem, {
        name,
        language,
        environments,
        reportUrl,
        reportTokenSecret,
      });
      const file = resolveSafeChildPath(ctx.workspacePath, target);
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, content);
      ctx.logger.info(
        `Wrote the ${ciSystem} pipeline to ${target} (validated against its schema)`,
      );

      await updateComponent(ctx.workspacePath, component => {
        component.setIn(
          ['metadata', 'annotations', CI_SYSTEM_ANNOTATION],
          ciSystem,
        );
        component.setIn(
          ['metadata', 'annotations', PIPELINE_PATH_ANNOTATION],
          target,
        );
      });

      ctx.output('pipelinePath', target);
      ctx.output('ciSystem', ciSystem);
    },
  });
}
