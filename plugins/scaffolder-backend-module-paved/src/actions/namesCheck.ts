import { AuthService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  assertRepositoryName,
  REPOSITORY_NAME_RULE,
} from '@internal/plugin-git-host-common';
import { findNameConflicts, serviceEntityNames } from '../names/serviceNames';
import { GitHostClient } from './gitHostClient';
import { examples } from './namesCheck.examples';

/**
 * paved:names:check — a golden path's first step: refuses a service name
 * that a Component or API in the catalog, or a repository on the git host,
 * already has, naming it and its owner, before anything is made. It also
 * says what the service's API entity will be called.
 */
export function createNamesCheckAction(options: {
  catalog: CatalogService;
  gitHost: GitHostClient;
  auth: AuthService;
}) {
  return createTemplateAction({
    id: 'paved:names:check',
    description:
      'Refuses a service name already used in the catalog (Component, API) or on the git host, before anything is made.',
    examples,
    schema: {
      input: {
        name: z => z.string().describe(`Service name: ${REPOSITORY_NAME_RULE}`),
        api: z =>
          z
            .boolean()
            .default(false)
            .describe('Whether the service also registers an API entity'),
      },
      output: {
        componentName: z => z.string().describe('Name of the Component'),
        apiName: z =>
          z
            .string()
            .describe('Name of its API: the name, with -api added once'),
      },
    },
    async handler(ctx) {
      assertRepositoryName(ctx.input.name);
      const conflicts = await findNameConflicts({
        ...options,
        name: ctx.input.name,
        withApi: ctx.input.api ?? false,
        credentials: await ctx.getInitiatorCredentials(),
        taskId: ctx.task.id,
      });
      if (conflicts.length) {
        throw new ConflictError(conflicts.map(c => c.message).join('; '));
      }
      const names = serviceEntityNames(ctx.input.name);
      ctx.output('componentName', names.component);
      ctx.output('apiName', names.api);
    },
  });
}
