import { coreExtensionData } from '@backstage/frontend-plugin-api';
import catalogPlugin, {
  CatalogIndexPage,
} from '@backstage/plugin-catalog/alpha';
import { EntityTypePicker } from '@backstage/plugin-catalog-react';
import { catalogColumns } from './columns';
import { OwnedOrAllPicker } from './OwnedOrAllPicker';

/**
 * Backstage's catalog with a list people can read: columns sized for names
 * and descriptions, services first, and Owned or All as the first view.
 */
export const pavedCatalogPlugin = catalogPlugin.withOverrides({
  extensions: [
    catalogPlugin.getExtension('page:catalog').override({
      factory(originalFactory, { inputs, config }) {
        return originalFactory({
          params: {
            loader: async () => (
              <CatalogIndexPage
                filters={
                  <>
                    {inputs.filters.map(filter =>
                      filter.get(coreExtensionData.reactElement),
                    )}
                  </>
                }
                pagination={config.pagination}
                columns={catalogColumns}
              />
            ),
          },
        });
      },
    }),
    catalogPlugin.getExtension('catalog-filter:catalog/type').override({
      factory(originalFactory) {
        return originalFactory({
          params: {
            loader: async () => <EntityTypePicker initialFilter="service" />,
          },
        });
      },
    }),
    catalogPlugin.getExtension('catalog-filter:catalog/list').override({
      factory(originalFactory) {
        return originalFactory({
          params: { loader: async () => <OwnedOrAllPicker /> },
        });
      },
    }),
  ],
});
