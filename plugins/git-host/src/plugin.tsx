import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import RepositoriesIcon from '@material-ui/icons/AccountTree';
import DeliveryInsightsIcon from '@material-ui/icons/TrendingUp';
import {
  deliveryApiRef,
  DeliveryClient,
  deploymentsApiRef,
  DeploymentsClient,
  gitHostApiRef,
  GitHostClient,
} from './api';
import { isGitHostComponent } from './entityRepository';
import {
  changeRequestRouteRef,
  deliveryInsightsRouteRef,
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

/** The client for the deployments backend's delivery figures and incidents. */
export const deliveryApi = ApiBlueprint.make({
  name: 'delivery',
  params: defineParams =>
    defineParams({
      api: deliveryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeliveryClient({ discoveryApi, fetchApi }),
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

const isKind = (kind: string) => (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === kind;

/**
 * The Delivery tab of every component: its DORA figures with the
 * deployments and incidents behind them. Deployments reported from another
 * CI count too, so it is not limited to components on the git host.
 */
export const entityDeliveryContent = EntityContentBlueprint.make({
  name: 'delivery',
  params: {
    path: 'delivery',
    title: 'Delivery',
    filter: isKind('component'),
    loader: () =>
      import('./components/EntityDeliveryContent').then(m => (
        <m.EntityDeliveryContent />
      )),
  },
});

/** The Delivery tab of a team: the figures of the services it owns. */
export const groupDeliveryContent = EntityContentBlueprint.make({
  name: 'group-delivery',
  params: {
    path: 'delivery',
    title: 'Delivery',
    filter: isKind('group'),
    loader: () =>
      import('./components/GroupDeliveryContent').then(m => (
        <m.GroupDeliveryContent />
      )),
  },
});

// Its own header: the default one would link the title to the plugin's
// root, the Repositories page.
/**
 * Delivery insights, for the platform team: every team's and golden path's
 * figures and golden path adoption. A sidebar item, as the page has a title
 * and an icon of its own.
 */
export const deliveryInsightsPage = PageBlueprint.make({
  name: 'delivery-insights',
  params: {
    path: '/delivery-insights',
    routeRef: deliveryInsightsRouteRef,
    title: 'Delivery insights',
    icon: <DeliveryInsightsIcon />,
    noHeader: true,
    loader: () =>
      import('./components/DeliveryInsightsPage').then(m => (
        <m.DeliveryInsightsPage />
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
    deliveryInsights: deliveryInsightsRouteRef,
  },
  extensions: [
    gitHostApi,
    deploymentsApi,
    deliveryApi,
    repositoriesPage,
    deliveryInsightsPage,
    entityCiCdContent,
    entityDeploymentsContent,
    entityDeliveryContent,
    groupDeliveryContent,
  ],
});
