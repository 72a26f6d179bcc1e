import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import RepositoriesIcon from '@material-ui/icons/AccountTree';
import {
  deploymentsApiRef,
  DeploymentsClient,
  gitHostApiRef,
  GitHostClient,
} from './api';
import { isGitHostComponent } from './entityRepository';
import {
  changeRequestRouteRef,
  pipelineRouteRef,
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

/** The client for the deployments backend plugin, which the tabs below read. */
export const deploymentsApi = ApiBlueprint.make({
  name: 'deployments',
  params: defineParams =>
    defineParams({
      api: deploymentsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeploymentsClient({ discoveryApi, fetchApi }),
    }),
});

// The page's extension id is page:git-host; the app's sidebar places it by
// that id. A repository's pages are routes inside it
// (/repositories/:owner/:name/...), where the git host redirects browsers.
/**
 * The Repositories page: every hosted repository and personal git tokens,
 * and each repository's files, commits, branches, change requests and
 * pipelines.
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

/**
 * The CI/CD tab of a component whose source is on the git host: its
 * repository's latest pipelines.
 */
export const entityCiCdContent = EntityContentBlueprint.make({
  name: 'ci-cd',
  params: {
    path: 'ci-cd',
    title: 'CI/CD',
    filter: isGitHostComponent,
    loader: () =>
      import('./components/EntityCiCdContent').then(m => (
        <m.EntityCiCdContent />
      )),
  },
});

/**
 * The Deployments tab of the same components: what each environment runs,
 * its history and the time to first deploy.
 */
export const entityDeploymentsContent = EntityContentBlueprint.make({
  name: 'deployments',
  params: {
    path: 'deployments',
    title: 'Deployments',
    filter: isGitHostComponent,
    loader: () =>
      import('./components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
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
    pipeline: pipelineRouteRef,
  },
  extensions: [
    gitHostApi,
    deploymentsApi,
    repositoriesPage,
    entityCiCdContent,
    entityDeploymentsContent,
  ],
});
