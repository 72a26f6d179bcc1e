import { Band, Figure } from '../../api';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** 2.5, 3, 0.3: at most one decimal, none when it is whole. */
export function numberText(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * How long something took, as the figures give it: "45 s", "12 min",
 * "3 h 20 min", "2.5 d".
 */
export function durationText(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < MINUTE) return `${Math.round(s)} s`;
  if (s < HOUR) return `${Math.round(s / MINUTE)} min`;
  if (s < DAY) {
    const minutes = Math.round(s / MINUTE);
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    if (hours === 24) return '1 d';
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
  }
  return `${numberText(s / DAY)} d`;
}

/** A ratio as a percentage: "25%", "12.5%". */
export function percentText(ratio: number): string {
  return `${numberText(ratio * 100)}%`;
}

/** "25% (1 of 4)" */
export function rateText(
  ratio: number,
  numerator: number,
  denominator: number,
): string {
  return `${percentText(ratio)} (${numerator} of ${denominator})`;
}

/** A figure's headline in its unit, or a dash when it has none. */
export function figureValueText(figure: Pick<Figure, 'value' | 'unit'>) {
  if (figure.value === null) return '—';
  switch (figure.unit) {
    case 'per_week':
      return `${numberText(figure.value)} per week`;
    case 'seconds':
      return durationText(figure.value);
    default:
      return percentText(figure.value);
  }
}

/** What a figure was computed from: "3 failed deployments / 12 deployments". */
export function fractionText(
  figure: Pick<Figure, 'numerator' | 'denominator'>,
) {
  const { numerator, denominator } = figure;
  return `${numberText(numerator.value)} ${numerator.label} / ${numberText(
    denominator.value,
  )} ${denominator.label}`;
}

/** "last 30 days" */
export function windowText(days: number): string {
  return `last ${days} days`;
}

export const bandLabels: Record<Band, string> = {
  elite: 'Elite',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
};

/**
 * The unit a chart of durations reads best in, for its largest value:
 * seconds under two minutes, minutes under two hours, hours under three
 * days, days beyond.
 */
export function durationScale(maxSeconds: number): {
  label: string;
  seconds: number;
} {
  if (maxSeconds < 2 * MINUTE) return { label: 'seconds', seconds: 1 };
  if (maxSeconds < 2 * HOUR) return { label: 'minutes', seconds: MINUTE };
  if (maxSeconds < 3 * DAY) return { label: 'hours', seconds: HOUR };
  return { label: 'days', seconds: DAY };
}
