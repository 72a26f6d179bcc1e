import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { gitHostApiRef, RepositoryLocator } from '../../api';

/** A repository and its branches, which most of its tabs need. */
export function useRepository({ namespace, name }: RepositoryLocator) {
  const gitHostApi = useApi(gitHostApiRef);
  return useAsync(async () => {
    const locator = { namespace, name };
    const [repository, branches] = await Promise.all([
      gitHostApi.getRepository(locator),
      gitHostApi.listBranches(locator),
    ]);
    return { repository, branches };
  }, [gitHostApi, namespace, name]);
}
