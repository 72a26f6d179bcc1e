import { Table, TableColumn } from '@backstage/core-components';
import { parseEntityRef } from '@backstage/catalog-model';
import { makeStyles, Typography } from '@material-ui/core';
import { InsightsResponse } from '../../api';
import { EntityRefText } from '../common';
import { durationText } from '../delivery';
import { EmptyText } from './EmptyText';
import { byValue, figureColumns } from './figureColumns';

type GoldenPath = InsightsResponse['goldenPaths'][number];

const useStyles = makeStyles({
  names: { display: 'block', maxWidth: 280 },
});

function serviceName(ref: string): string {
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

function Template({ path }: { path: GoldenPath }) {
  if (!path.template) return <>Not from a golden path</>;
  const behind =
    path.version && path.latestVersion && path.version !== path.latestVersion;
  return (
    <>
      <EntityRefText entityRef={path.template} />
      {path.version && ` ${path.version}`}
      {behind && (
        <Typography variant="caption" color="textSecondary" component="div">
          latest is {path.latestVersion}
        </Typography>
      )}
    </>
  );
}

/** Names shown in a row before the rest is summed up as "and N more". */
const NAMES_SHOWN = 3;

function Services({ path }: { path: GoldenPath }) {
  const classes = useStyles();
  const names = path.services.map(serviceName);
  const more = names.length - NAMES_SHOWN;
  return (
    <>
      {names.length}
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.names}
        title={more > 0 ? names.join(', ') : undefined}
      >
        {names.slice(0, NAMES_SHOWN).join(', ')}
        {more > 0 && ` and ${more} more`}
      </Typography>
    </>
  );
}

/**
 * Every golden path version's services and their figures, and how soon a
 * service made from it first reached production; services made from none
 * are a row of their own.
 */
export function GoldenPathsTable({ insights }: { insights: InsightsResponse }) {
  const columns: TableColumn<GoldenPath>[] = [
    {
      title: 'Golden path',
      highlight: true,
      customSort: (a, b) =>
        `${a.template ?? '~'} ${a.version ?? ''}`.localeCompare(
          `${b.template ?? '~'} ${b.version ?? ''}`,
        ),
      render: path => <Template path={path} />,
    },
    {
      title: 'Services',
      customSort: (a, b) => a.services.length - b.services.length,
      render: path => <Services path={path} />,
    },
    {
      title: 'Time to first deploy',
      customSort: (a, b, _type, direction?: string) =>
        byValue(
          a.timeToFirstDeployMedian,
          b.timeToFirstDeployMedian,
          direction,
        ),
      render: path =>
        path.timeToFirstDeployMedian === null ? (
          '—'
        ) : (
          <>
            {durationText(path.timeToFirstDeployMedian)}
            <Typography variant="caption" color="textSecondary" component="div">
              median of {path.firstDeploys}
            </Typography>
          </>
        ),
    },
    ...figureColumns<GoldenPath>(path => path.figures, insights.bands.source),
  ];
  return (
    <div role="region" aria-label="Golden paths">
      <Table<GoldenPath>
        title="Golden paths"
        subtitle="By template version; time to first deploy is from the repository's creation to its first deployment"
        columns={columns}
        data={insights.goldenPaths}
        options={{
          paging: insights.goldenPaths.length > 20,
          pageSize: 20,
          padding: 'dense',
          search: false,
        }}
        emptyContent={<EmptyText>No service has been deployed yet.</EmptyText>}
      />
    </div>
  );
}
