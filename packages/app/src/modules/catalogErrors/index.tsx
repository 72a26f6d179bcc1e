import {
  createFrontendModule,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import ErrorOutlineIcon from '@material-ui/icons/ErrorOutline';

/** Catalog errors: every entity that failed to process, and why. */
export const catalogErrorsModule = createFrontendModule({
  pluginId: 'app',
  extensions: [
    PageBlueprint.make({
      name: 'catalog-errors',
      params: {
        path: '/catalog-errors',
        title: 'Catalog errors',
        icon: <ErrorOutlineIcon />,
        noHeader: true,
        loader: () =>
          import('./CatalogErrorsPage').then(m => <m.CatalogErrorsPage />),
      },
    }),
  ],
});
