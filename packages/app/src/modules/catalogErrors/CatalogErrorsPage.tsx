import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';

/** One entity the catalog could not process (GET /api/catalog/processing-errors). */
export type ProcessingError = {
  entityRef: string;
  owner?: string;
  location?: string;
  errors: Array<{ name: string; message: string }>;
  shown: 'last-good-version' | 'not-in-catalog';
};

const columns: TableColumn<ProcessingError>[] = [
  {
    title: 'Entity',
    field: 'entityRef',
    render: row =>
      row.shown === 'last-good-version' ? (
        <EntityRefLink entityRef={row.entityRef} />
      ) : (
        row.entityRef
      ),
  },
  {
    title: 'Owner in the file',
    field: 'owner',
    render: row => row.owner ?? '—',
  },
  {
    title: 'In the catalog',
    field: 'shown',
    render: row =>
      row.shown === 'last-good-version'
        ? 'Its last good version'
        : 'Not at all',
  },
  {
    title: 'What is wrong',
    field: 'errors',
    render: row => (
      <>
        {row.errors.map((error, i) => (
          <Typography
            key={i}
            variant="body2"
            style={{ wordBreak: 'break-word' }}
          >
            {error.message}
          </Typography>
        ))}
      </>
    ),
  },
  {
    title: 'File',
    field: 'location',
    render: row => {
      const url = row.location?.replace(/^url:/, '');
      return url?.startsWith('http') ? (
        <Link to={url}>{url}</Link>
      ) : (
        row.location ?? '—'
      );
    },
  },
];

/**
 * Every entity whose last processing failed, with why: those that never
 * got into the catalog, and those whose latest change was refused while the
 * catalog keeps showing their last good version.
 */
export function CatalogErrorsPage() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const { value, loading, error } = useAsync(async () => {
    const res = await fetchApi.fetch(
      `${await discoveryApi.getBaseUrl('catalog')}/processing-errors`,
    );
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()).items as ProcessingError[];
  }, [discoveryApi, fetchApi]);

  return (
    <Page themeId="tool">
      <Header
        title="Catalog errors"
        subtitle="Entity files the catalog could not read or accepted only in part"
      />
      <Content>
        <ContentHeader title="Failed entities" />
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && value.length === 0 && (
          <EmptyState
            missing="content"
            title="No catalog errors"
            description="Every entity file the catalog reads was processed. A file with a mistake shows here, with what is wrong and where."
          />
        )}
        {value && value.length > 0 && (
          <Table
            title={`${value.length} ${
              value.length === 1 ? 'entity' : 'entities'
            } with errors`}
            options={{ paging: value.length > 20, pageSize: 20, search: true }}
            columns={columns}
            data={value}
          />
        )}
      </Content>
    </Page>
  );
}
