import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import EnvironmentsIcon from '@material-ui/icons/Layers';
import { environmentsApiRef, EnvironmentsClient } from './api';
import { environmentRouteRef, rootRouteRef } from './routes';

/** The client for the environments backend plugin. */
export const environmentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: environmentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new EnvironmentsClient({ discoveryApi, fetchApi }),
    }),
});

// The page's extension id is page:environments; the app's sidebar places it
// by that id. One environment's page is a route inside it (/environments/:id).
/** The Environments page: every environment, and each one's own page. */
export const environmentsPage = PageBlueprint.make({
  params: {
    path: '/environments',
    routeRef: rootRouteRef,
    title: 'Environments',
    icon: <EnvironmentsIcon />,
    loader: () =>
      import('./components/EnvironmentsRouter').then(m => (
        <m.EnvironmentsRouter />
      )),
  },
});

/** The Environments tab of a service (a Component entity). */
export const entityEnvironmentsContent = EntityContentBlueprint.make({
  params: {
    path: 'environments',
    title: 'Environments',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityEnvironmentsContent').then(m => (
        <m.EntityEnvironmentsContent />
      )),
  },
});

/** Paved's environments in the portal. */
export const environmentsPlugin = createFrontendPlugin({
  pluginId: 'environments',
  title: 'Environments',
  icon: <EnvironmentsIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef, environment: environmentRouteRef },
  extensions: [environmentsApi, environmentsPage, entityEnvironmentsContent],
});
