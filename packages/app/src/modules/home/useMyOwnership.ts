import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';

/** The signed-in person's ownership refs: themselves and their groups. */
export function useMyOwnership() {
  const identityApi = useApi(identityApiRef);
  return useAsync(
    async () => (await identityApi.getBackstageIdentity()).ownershipEntityRefs,
    [identityApi],
  );
}
