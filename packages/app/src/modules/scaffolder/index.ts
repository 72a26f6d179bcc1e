import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/** Paved's fields for the golden paths' forms. */
export const scaffolderModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    FormFieldBlueprint.make({
      name: 'service-name-picker',
      params: {
        field: () =>
          import('./ServiceNamePicker').then(m => m.ServiceNamePicker),
      },
    }),
    FormFieldBlueprint.make({
      name: 'environment-resources-picker',
      params: {
        field: () =>
          import('./EnvironmentResourcesPicker').then(
            m => m.EnvironmentResourcesPicker,
          ),
      },
    }),
  ],
});
