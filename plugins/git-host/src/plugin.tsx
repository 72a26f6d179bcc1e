import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import RepositoriesIcon from '@material-ui/icons/AccountTree';
import { gitHostApiRef, GitHostClient } from './api';
import {
  changeRequestRouteRef,
  repositoryRouteRef,
  rootRouteRef,
} from './routes';

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
// that id. A repository's pages are routes inside it
// (/repositories/:owner/:name/...), where the git host redirects browsers.
/**
 * The Repositories page: every hosted repository and personal git tokens,
 * and each repository's files, commits, branches and change requests.
 */
export const repositoriesPage = PageBlueprint.make({
  params: {
    path: '/repositories',
    routeRef: rootRouteRef,
    title: 'Repositories',
    icon: <RepositoriesIcon />,
    loader: () =>
      import('./components/GitHostRouter').then(m => <m.GitHostRouter />),
  },
});

/** Paved's embedded git host in the portal. */
export const gitHostPlugin = createFrontendPlugin({
  pluginId: 'git-host',
  title: 'Repositories',
  icon: <RepositoriesIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    repository: repositoryRouteRef,
    changeRequest: changeRequestRouteRef,
  },
  extensions: [gitHostApi, repositoriesPage],
});
