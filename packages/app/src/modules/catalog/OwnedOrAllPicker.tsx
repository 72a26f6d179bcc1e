import { useApi, identityApiRef } from '@backstage/frontend-plugin-api';
import { catalogApiRef, UserListPicker } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The catalog's Owned / Starred / All switch, starting at "Owned" for
 * someone whose teams own a service, and at "All" for someone whose teams
 * own none (a new team, the platform team): the first view is never empty.
 */
export function OwnedOrAllPicker() {
  const catalogApi = useApi(catalogApiRef);
  const identityApi = useApi(identityApiRef);
  const { value: initialFilter } = useAsync(async () => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'component',
        'spec.type': 'service',
        'relations.ownedBy': ownershipEntityRefs,
      },
      fields: ['metadata.name'],
      limit: 1,
    });
    return items.length ? ('owned' as const) : ('all' as const);
  }, [catalogApi, identityApi]);
  return initialFilter ? (
    <UserListPicker initialFilter={initialFilter} />
  ) : null;
}
