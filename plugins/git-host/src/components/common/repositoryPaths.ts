import { useRouteRef } from '@backstage/frontend-plugin-api';
import { RepositoryLocator } from '../../api';
import { repositoryRouteRef } from '../../routes';

const encodePath = (path: string) =>
  path.split('/').filter(Boolean).map(encodeURIComponent).join('/');

/**
 * The app's pages of one repository, below its root. A ref is one URL
 * segment, so `feature/x` is encoded as `feature%2Fx`.
 */
export function repositoryPaths(root: string) {
  return {
    root,
    src: (ref: string, path = '') => {
      const rest = encodePath(path);
      return `${root}/src/${encodeURIComponent(ref)}${rest ? `/${rest}` : ''}`;
    },
    commits: (ref?: string) =>
      ref ? `${root}/commits/${encodeURIComponent(ref)}` : `${root}/commits`,
    branches: `${root}/branches`,
    changeRequests: `${root}/pulls`,
    changeRequest: (index: number) => `${root}/pulls/${index}`,
    pipelines: `${root}/pipelines`,
    pipeline: (number: number, job?: string) =>
      `${root}/pipelines/${number}${
        job ? `?job=${encodeURIComponent(job)}` : ''
      }`,
  };
}

export type RepositoryPaths = ReturnType<typeof repositoryPaths>;

/** The pages of a repository, e.g. `/repositories/payments/shop/branches`. */
export function useRepositoryPaths(repository: RepositoryLocator) {
  const repositoryLink = useRouteRef(repositoryRouteRef);
  return repositoryPaths(
    repositoryLink?.({ owner: repository.namespace, name: repository.name }) ??
      '',
  );
}
