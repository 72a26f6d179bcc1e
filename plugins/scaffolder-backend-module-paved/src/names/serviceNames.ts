import {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GitHostClient } from '../actions/gitHostClient';

/**
 * The names a golden path gives what it makes from a service name: the
 * Component, its API (never `<name>-api-api`) and its repository.
 */
export function serviceEntityNames(name: string) {
  return {
    component: name,
    api: name.endsWith('-api') ? name : `${name}-api`,
    repository: name,
  };
}

/** Something of that name that already exists, and whose it is. */
export type NameConflict = {
  /** e.g. component:default/payments-api, or repository payments-api */
  what: string;
  owner?: string;
  message: string;
};

/**
 * What is already called like a new service would be: a Component or API
 * in the catalog, or a repository on the git host. A repository made by the
 * same task (a resumed run) is its own, not a conflict.
 */
export async function findNameConflicts(options: {
  name: string;
  withApi: boolean;
  catalog: CatalogService;
  gitHost: GitHostClient;
  auth: AuthService;
  credentials: BackstageCredentials;
  taskId?: string;
}): Promise<NameConflict[]> {
  const names = serviceEntityNames(options.name);
  const refs = [
    `component:default/${names.component}`,
    ...(options.withApi ? [`api:default/${names.api}`] : []),
  ];
  const service = await options.auth.getOwnServiceCredentials();
  const { items } = await options.catalog.getEntitiesByRefs(
    { entityRefs: refs, fields: ['kind', 'metadata.name', 'spec.owner'] },
    { credentials: service },
  );
  const conflicts: NameConflict[] = items.flatMap((entity, i) => {
    if (!entity) return [];
    const owner = entity.spec?.owner as string | undefined;
    return [
      {
        what: refs[i],
        owner,
        message: `${refs[i]} is already in the catalog${
          owner ? `, owned by ${owner}` : ''
        }: choose another name`,
      },
    ];
  });
  const repository = await options.gitHost.findByName(names.repository);
  if (
    repository &&
    !(options.taskId && repository.createdByTask === options.taskId)
  ) {
    conflicts.push({
      what: `repository ${repository.fullName}`,
      owner: repository.owner,
      message: `A repository named '${names.repository}' already exists on the git host (${repository.fullName}, owned by ${repository.owner}): choose another name`,
    });
  }
  return conflicts;
}
