import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { environmentsApiRef } from '@internal/plugin-environments';
import { Environment } from '@internal/plugin-environments-common';
import useAsync from 'react-use/esm/useAsync';

export type MyHome = {
  /** The signed-in person's ownership refs: themselves and their groups. */
  ownership: string[];
  /** Every environment the portal lists for them. */
  environments: Environment[];
};

/**
 * What the home page's personal cards share, loaded once for all of them.
 */
export function useMyHome() {
  const identityApi = useApi(identityApiRef);
  const environmentsApi = useApi(environmentsApiRef);
  return useAsync(async (): Promise<MyHome> => {
    const [{ ownershipEntityRefs }, environments] = await Promise.all([
      identityApi.getBackstageIdentity(),
      environmentsApi.listEnvironments(),
    ]);
    return { ownership: ownershipEntityRefs, environments };
  }, [identityApi, environmentsApi]);
}
