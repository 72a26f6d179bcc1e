import { TableColumn } from '@backstage/core-components';
import { CatalogTable, CatalogTableRow } from '@backstage/plugin-catalog';
import { CatalogTableColumnsFunc } from '@backstage/plugin-catalog/alpha';

// Cells break long words only where they must, never letter by letter.
const cellStyle = { wordBreak: 'normal', overflowWrap: 'break-word' } as const;

const sized = (
  column: TableColumn<CatalogTableRow>,
  width: string,
  minWidth?: number,
): TableColumn<CatalogTableRow> => ({
  ...column,
  width,
  cellStyle: { ...cellStyle, ...(minWidth && { minWidth }) },
  headerStyle: minWidth ? { minWidth } : undefined,
});

/**
 * The catalog list's columns, sized so names stay whole and descriptions get
 * room at 1280–1920 px: name, owner, system, type and lifecycle, then the
 * description with what is left (tags are on each entity's page, and the
 * Tags filter finds them).
 */
export const catalogColumns: CatalogTableColumnsFunc = ({ filters }) => {
  const { columns } = CatalogTable;
  const kind = filters.kind?.value?.toLocaleLowerCase('en-US');
  const specColumns =
    kind === 'component' || kind === 'api' || kind === 'resource'
      ? [
          sized(columns.createSpecTypeColumn(), '8%', 90),
          sized(columns.createSpecLifecycleColumn(), '8%', 100),
        ]
      : [];
  return [
    sized(columns.createNameColumn({ defaultKind: kind }), '20%', 180),
    sized(columns.createOwnerColumn(), '12%', 120),
    sized(columns.createSystemColumn(), '12%', 120),
    ...specColumns,
    sized(columns.createMetadataDescriptionColumn(), 'auto', 260),
  ];
};
