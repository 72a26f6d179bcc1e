import { makeStyles } from '@material-ui/core';
import { useTheme } from '@material-ui/core/styles';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { WeekFigures } from '../../api';

/** One line or bar of a chart: a value per week, null where there is none. */
export interface TrendSeries {
  name: string;
  colour: string;
  values: Array<number | null>;
}

const HEIGHT = 150;

const useStyles = makeStyles(theme => ({
  chart: { marginTop: theme.spacing(1) },
}));

/** "2026-W48" → "W48": the year is in the tooltip's start date. */
function weekLabel(week: string): string {
  return week.replace(/^\d{4}-/, '');
}

/**
 * A small weekly trend of one figure: bars for counts, stacked, or a line
 * for a median or a rate; in the theme's colours so it reads in the dark
 * theme too.
 */
export function TrendChart({
  label,
  weeks,
  kind,
  series,
  yLabel,
  valueText,
}: {
  /** What the chart shows, e.g. "Deployments per week". */
  label: string;
  weeks: WeekFigures[];
  kind: 'bar' | 'line';
  series: TrendSeries[];
  yLabel: string;
  valueText: (value: number) => string;
}) {
  const classes = useStyles();
  const { palette, typography } = useTheme();
  const data = weeks.map((week, index) => ({
    week: weekLabel(week.week),
    start: week.start.slice(0, 10),
    ...Object.fromEntries(series.map(s => [s.name, s.values[index]])),
  }));
  const tick = { fill: palette.text.secondary, fontSize: 11 };
  const axisLabel = {
    fill: palette.text.secondary,
    fontSize: 11,
    fontFamily: typography.fontFamily,
  };
  const common = (
    <>
      <CartesianGrid stroke={palette.divider} vertical={false} />
      <XAxis
        dataKey="week"
        tick={tick}
        stroke={palette.divider}
        label={{ ...axisLabel, value: 'Week', position: 'insideBottom' }}
        height={36}
      />
      <YAxis
        tick={tick}
        stroke={palette.divider}
        width={44}
        allowDecimals={kind === 'line'}
        label={{
          ...axisLabel,
          value: yLabel,
          angle: -90,
          position: 'insideLeft',
        }}
      />
      <Tooltip
        formatter={value =>
          typeof value === 'number' ? valueText(value) : '—'
        }
        labelFormatter={(week, payload) =>
          `${week}, from ${payload?.[0]?.payload?.start ?? ''}`
        }
        contentStyle={{
          backgroundColor: palette.background.paper,
          borderColor: palette.divider,
          color: palette.text.primary,
        }}
        cursor={{ fill: palette.action.hover }}
      />
      {series.length > 1 && (
        <Legend
          wrapperStyle={{ fontSize: 11, color: palette.text.secondary }}
        />
      )}
    </>
  );

  return (
    <div role="img" aria-label={`${label}, by week`} className={classes.chart}>
      <ResponsiveContainer
        width="100%"
        height={HEIGHT}
        initialDimension={{ width: 320, height: HEIGHT }}
      >
        {kind === 'bar' ? (
          <BarChart data={data}>
            {common}
            {series.map(s => (
              <Bar
                key={s.name}
                dataKey={s.name}
                stackId="weeks"
                fill={s.colour}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        ) : (
          <LineChart data={data}>
            {common}
            {series.map(s => (
              <Line
                key={s.name}
                dataKey={s.name}
                stroke={s.colour}
                strokeWidth={2}
                dot={{ r: 2, fill: s.colour }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
