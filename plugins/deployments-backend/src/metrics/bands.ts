import { Config } from '@backstage/config';
import type { Band } from '@internal/plugin-deployments-common';

/**
 * Where a figure's performance band starts. For deployment frequency a
 * value at or above the threshold reaches the band; for the others a value
 * below it (change failure rate: at or below).
 */
export interface BandThresholds {
  elite: number;
  high: number;
  medium: number;
}

export interface Bands {
  source: string;
  /** Successful deployments per week. */
  deploymentFrequency: BandThresholds;
  /** Seconds, median. */
  leadTime: BandThresholds;
  /** Ratio. */
  changeFailureRate: BandThresholds;
  /** Seconds, median. */
  recoveryTime: BandThresholds;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * DORA's published clusters, from the 2023 Accelerate State of DevOps
 * Report: elite deploys on demand (several times a day: a week's worth is
 * 7 or more), has a lead time under a day, 5% change failures and recovers
 * within an hour; high deploys between daily and weekly, within a week,
 * 10%, within a day; medium between weekly and monthly, within a month,
 * 15%, within a week; anything slower is low.
 */
export const DORA_2023_BANDS: Bands = {
  source: 'DORA, Accelerate State of DevOps Report 2023',
  deploymentFrequency: { elite: 7, high: 1, medium: 12 / 52 },
  leadTime: { elite: DAY, high: 7 * DAY, medium: 30 * DAY },
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  recoveryTime: { elite: HOUR, high: DAY, medium: 7 * DAY },
};

/** Bands from `paved.delivery.bands`, each value defaulting to DORA 2023's. */
export function readBands(config: Config): Bands {
  const bands = config.getOptionalConfig('paved.delivery.bands');
  if (!bands) return DORA_2023_BANDS;
  const read = (key: Exclude<keyof Bands, 'source'>): BandThresholds => {
    const defaults = DORA_2023_BANDS[key];
    const own = bands.getOptionalConfig(key);
    return {
      elite: own?.getOptionalNumber('elite') ?? defaults.elite,
      high: own?.getOptionalNumber('high') ?? defaults.high,
      medium: own?.getOptionalNumber('medium') ?? defaults.medium,
    };
  };
  return {
    source: bands.getOptionalString('source') ?? 'Configured bands',
    deploymentFrequency: read('deploymentFrequency'),
    leadTime: read('leadTime'),
    changeFailureRate: read('changeFailureRate'),
    recoveryTime: read('recoveryTime'),
  };
}

/** The band of a value; higher is better for deployment frequency only. */
export function bandOf(
  key: Exclude<keyof Bands, 'source'>,
  value: number | null,
  bands: Bands,
): Band | undefined {
  if (value === null) return undefined;
  const t = bands[key];
  if (key === 'deploymentFrequency') {
    if (value >= t.elite) return 'elite';
    if (value >= t.high) return 'high';
    if (value >= t.medium) return 'medium';
    return 'low';
  }
  if (key === 'changeFailureRate') {
    if (value <= t.elite) return 'elite';
    if (value <= t.high) return 'high';
    if (value <= t.medium) return 'medium';
    return 'low';
  }
  if (value < t.elite) return 'elite';
  if (value < t.high) return 'high';
  if (value < t.medium) return 'medium';
  return 'low';
}
