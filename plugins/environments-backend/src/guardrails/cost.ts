import { EnvironmentRow } from '../database/tables';
import { PriceTable } from './config';

const DAY_MS = 86_400_000;

/** Two decimals, the way money is shown. */
export const round = (value: number) => Math.round(value * 100) / 100;

/** The monthly price of one building block of a size. */
export function priceOf(prices: PriceTable, module: string, size: string) {
  return prices.modules[module]?.[size] ?? prices.default;
}

/** What an environment of these building blocks costs a month. */
export function monthlyCost(
  prices: PriceTable,
  resources: string[],
  size: string,
) {
  return round(resources.reduce((sum, r) => sum + priceOf(prices, r, size), 0));
}

/** The calendar month (UTC) that holds `now`. */
function monthOf(now: Date) {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return { start, end, days: (end - start) / DAY_MS };
}

const overlapDays = (from: number, to: number, start: number, end: number) =>
  Math.max(0, Math.min(to, end) - Math.max(from, start)) / DAY_MS;

/**
 * A team's spending this month: what its applied environments cost so far
 * (each for the part of the month it was alive), and what the month comes to if each
 * live one runs until it expires (or the month ends).
 */
export function teamCosts(
  prices: PriceTable,
  rows: Pick<
    EnvironmentRow,
    | 'resources'
    | 'size'
    | 'created_at'
    | 'destroyed_at'
    | 'expires_at'
    | 'applied_modules'
  >[],
  now: Date,
) {
  const { start, end, days } = monthOf(now);
  let soFar = 0;
  let projected = 0;
  let monthly = 0;
  for (const row of rows) {
    // Never applied (waiting, blocked, rejected): nothing runs, nothing costs.
    if (!row.applied_modules) continue;
    const price = monthlyCost(prices, JSON.parse(row.resources), row.size);
    const born = Date.parse(row.created_at);
    const gone = row.destroyed_at ? Date.parse(row.destroyed_at) : undefined;
    const spent = overlapDays(born, gone ?? now.getTime(), start, end);
    soFar += (price * spent) / days;
    projected += (price * spent) / days;
    if (gone === undefined) {
      monthly += price;
      const until = Math.min(Date.parse(row.expires_at), end);
      projected +=
        (price * overlapDays(now.getTime(), until, start, end)) / days;
    }
  }
  return {
    monthly: round(monthly),
    monthSoFar: round(soFar),
    projected: round(projected),
  };
}
