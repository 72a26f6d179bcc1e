import { TableColumn } from '@backstage/core-components';
import { makeStyles } from '@material-ui/core';
import { Figures, FiguresSummary } from '../../api';
import {
  BandChip,
  durationText,
  numberText,
  percentText,
  rateText,
} from '../delivery';

const useStyles = makeStyles(theme => ({
  cell: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
  },
}));

function FigureCell({
  text,
  figures,
  figure,
  bandsSource,
}: {
  text: string | undefined;
  figures: FiguresSummary;
  figure: keyof Figures;
  bandsSource: string;
}) {
  const classes = useStyles();
  const band = figures.bands[figure];
  if (text === undefined) return <>—</>;
  return (
    <span className={classes.cell}>
      {text}
      {band && <BandChip band={band} source={bandsSource} />}
    </span>
  );
}

/**
 * Lower first, and no value last whichever way the column is sorted: the
 * table calls a column's sort (b, a, 'row', 'desc') for descending order.
 */
export function byValue(
  a: number | null,
  b: number | null,
  direction?: string,
): number {
  if (a === null && b === null) return 0;
  const last = direction === 'desc' ? -1 : 1;
  if (a === null) return last;
  if (b === null) return -last;
  return a - b;
}

type FigureColumn = {
  title: string;
  figure: keyof Figures;
  value: (figures: FiguresSummary) => number | null;
  text: (value: number, figures: FiguresSummary) => string;
};

const figureColumnsSpec: FigureColumn[] = [
  {
    title: 'Deployments per week',
    figure: 'deploymentFrequency',
    value: f => f.deploymentsPerWeek,
    text: v => numberText(v),
  },
  {
    title: 'Lead time',
    figure: 'leadTime',
    value: f => f.leadTimeMedian,
    text: v => durationText(v),
  },
  {
    title: 'Change failure rate',
    figure: 'changeFailureRate',
    value: f => f.changeFailureRate,
    text: (v, f) => rateText(v, f.failed, f.deployments),
  },
  {
    title: 'Time to recover',
    figure: 'recoveryTime',
    value: f => f.recoveryTimeMedian,
    text: v => durationText(v),
  },
  {
    title: 'Rework rate',
    figure: 'reworkRate',
    value: f => f.reworkRate,
    text: v => percentText(v),
  },
];

/**
 * The five figures as sortable columns, each value with its band, for rows
 * that carry a {@link FiguresSummary} (teams, golden paths).
 */
export function figureColumns<T extends object>(
  figuresOf: (row: T) => FiguresSummary,
  bandsSource: string,
): TableColumn<T>[] {
  return figureColumnsSpec.map(spec => ({
    title: spec.title,
    customSort: (a: T, b: T, _type: 'row' | 'group', direction?: string) =>
      byValue(spec.value(figuresOf(a)), spec.value(figuresOf(b)), direction),
    render: (row: T) => {
      const figures = figuresOf(row);
      const value = spec.value(figures);
      return (
        <FigureCell
          text={value === null ? undefined : spec.text(value, figures)}
          figures={figures}
          figure={spec.figure}
          bandsSource={bandsSource}
        />
      );
    },
  }));
}
