import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Environments page. */
export const rootRouteRef = createRouteRef();

/** One environment's page, below the Environments page. */
export const environmentRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:id',
});
