import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The Repositories page. */
export const rootRouteRef = createRouteRef();

/**
 * One repository's page, `owner` being its namespace (`payments` of
 * `payments/shop`). The git host redirects browsers here.
 */
export const repositoryRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:owner/:name',
});

/** One change request of a repository, by its number. */
export const changeRequestRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:owner/:name/pulls/:index',
});

/** One pipeline of a repository, by its number. */
export const pipelineRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:owner/:name/pipelines/:number',
});

/** Delivery insights: every team's and golden path's delivery figures. */
export const deliveryInsightsRouteRef = createRouteRef();
