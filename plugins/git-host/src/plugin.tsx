import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import RepositoriesIcon from '@material-ui/icons/AccountTree';
import { gitHostApiRef, GitHostClient } from './api';
import { rootRouteRef } from './routes';

/** The client for the git-host backend plugin. */
export const gitHostApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitHostApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitHostClient({ discoveryApi, fetchApi }),
    }),
});

// The page's extension id is page:git-host; the app's sidebar places it by
// that id.
/** The Repositories page: every hosted repository and personal git tokens. */
export const repositoriesPage = PageBlueprint.make({
  params: {
    path: '/repositories',
    routeRef: rootRouteRef,
    title: 'Repositories',
    icon: <RepositoriesIcon />,
    loader: () =>
      import('./components/RepositoriesPage').then(m => <m.RepositoriesPage />),
  },
});

/** Paved's embedded git host in the portal. */
export const gitHostPlugin = createFrontendPlugin({
  pluginId: 'git-host',
  title: 'Repositories',
  icon: <RepositoriesIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [gitHostApi, repositoriesPage],
});
