import { Grid } from '@material-ui/core';
import { useTheme } from '@material-ui/core/styles';
import { Figure, MetricsResponse, WeekFigures } from '../../api';
import {
  durationScale,
  durationText,
  numberText,
  percentText,
} from './deliveryText';
import { FigureCard } from './FigureCard';
import { TrendChart } from './TrendChart';

/** The deployments behind one figure, for the table to show. */
export interface DeploymentSelection {
  figure: string;
  deploymentIds: string[];
}

/** How a line trend's values read: seconds or ratios. */
type LineUnit = 'duration' | 'rate';

function LineTrend({
  label,
  weeks,
  values,
  colour,
  unit,
}: {
  label: string;
  weeks: WeekFigures[];
  values: Array<number | null>;
  colour: string;
  unit: LineUnit;
}) {
  const scale =
    unit === 'duration'
      ? durationScale(Math.max(0, ...values.map(v => v ?? 0)))
      : undefined;
  // Charted in the scale's unit (minutes, hours...) or in percent.
  const factor = scale ? 1 / scale.seconds : 100;
  return (
    <TrendChart
      label={label}
      weeks={weeks}
      kind="line"
      yLabel={scale ? scale.label : '%'}
      series={[
        {
          name: scale ? 'Median' : 'Rate',
          colour,
          values: values.map(v => (v === null ? null : v * factor)),
        },
      ]}
      valueText={value =>
        scale ? durationText(value / factor) : percentText(value / factor)
      }
    />
  );
}

/**
 * The five delivery figures of a service, team or golden path, each with its
 * weekly trend; `onShow` asks the deployments table to show a figure's
 * deployments.
 */
export function FigureCards({
  metrics,
  onShow,
}: {
  metrics: MetricsResponse;
  onShow: (selection: DeploymentSelection) => void;
}) {
  const { palette } = useTheme();
  const { figures, weeks } = metrics;
  const days = metrics.window.days;
  const card = (
    title: string,
    figure: Figure,
    details: string[],
    chart: JSX.Element,
  ) => (
    <Grid item xs={12} md={6} lg={4}>
      <FigureCard
        title={title}
        figure={figure}
        details={details}
        days={days}
        bandsSource={metrics.bands.source}
        chart={chart}
        onShowDeployments={() =>
          onShow({ figure: title, deploymentIds: figure.deploymentIds })
        }
      />
    </Grid>
  );
  const {
    deploymentFrequency,
    leadTime,
    changeFailureRate,
    recoveryTime,
    reworkRate,
  } = figures;
  const optional = (value: number | null, text: (v: number) => string) =>
    value === null ? [] : [text(value)];

  return (
    <Grid container spacing={2} alignItems="stretch">
      {card(
        'Deployment frequency',
        deploymentFrequency,
        [
          ...optional(
            deploymentFrequency.perDay,
            v => `${numberText(v)} per day`,
          ),
          ...optional(
            deploymentFrequency.deployDaysPerWeek,
            v => `${numberText(v)} deploy days per week`,
          ),
        ],
        <TrendChart
          label="Deployments per week"
          weeks={weeks}
          kind="bar"
          yLabel="deployments"
          series={[
            // Stacked, so each deployment is in one part of its week's bar:
            // a successful deployment that caused an incident is a failure.
            {
              name: 'Without a change failure',
              colour: palette.primary.main,
              values: weeks.map(w => w.deployments - w.failed),
            },
            {
              name: 'Change failures',
              colour: palette.error.main,
              values: weeks.map(w => w.failed),
            },
          ]}
          valueText={numberText}
        />,
      )}
      {card(
        'Lead time for changes',
        leadTime,
        optional(leadTime.p90, v => `p90 ${durationText(v)}`),
        <LineTrend
          unit="duration"
          label="Median lead time"
          weeks={weeks}
          values={weeks.map(w => w.leadTimeMedian)}
          colour={palette.primary.main}
        />,
      )}
      {card(
        'Change failure rate',
        changeFailureRate,
        optional(
          changeFailureRate.value,
          () =>
            `failed ${changeFailureRate.numerator.value} of ${changeFailureRate.denominator.value}`,
        ),
        <LineTrend
          unit="rate"
          label="Change failure rate"
          weeks={weeks}
          values={weeks.map(w => w.changeFailureRate)}
          colour={palette.error.main}
        />,
      )}
      {card(
        'Time to recover',
        recoveryTime,
        recoveryTime.unrecovered > 0
          ? [`${recoveryTime.unrecovered} not yet recovered`]
          : [],
        <LineTrend
          unit="duration"
          label="Median time to recover"
          weeks={weeks}
          values={weeks.map(w => w.recoveryTimeMedian)}
          colour={palette.warning.main}
        />,
      )}
      {card(
        'Rework rate',
        reworkRate,
        optional(
          reworkRate.value,
          () =>
            `${reworkRate.numerator.value} of ${reworkRate.denominator.value}`,
        ),
        <LineTrend
          unit="rate"
          label="Rework rate"
          weeks={weeks}
          values={weeks.map(w => w.reworkRate)}
          colour={palette.secondary.main}
        />,
      )}
    </Grid>
  );
}
