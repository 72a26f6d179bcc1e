const DAY_MS = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string) {
  try {
    localDate(new Date(0), timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) =>
  new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The Monday of a date's ISO week, as YYYY-MM-DD. */
export function mondayOf(date: string) {
  const day = dayNumber(date);
  const weekday = (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
  return dateOf(day - weekday);
}

/** A date's ISO week, e.g. 2026-W48. */
export function isoWeek(date: string) {
  const monday = dayNumber(mondayOf(date));
  // The ISO year is the year of the week's Thursday.
  const year = new Date((monday + 3) * DAY_MS).getUTCFullYear();
  const firstMonday = dayNumber(mondayOf(`${year}-01-04`));
  const week = Math.floor((monday - firstMonday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The Mondays of the ISO weeks that a window [from, to) touches, in a time zone. */
export function weeksOf(from: Date, to: Date, timeZone: string) {
  const first = dayNumber(mondayOf(localDate(from, timeZone)));
  const last = dayNumber(
    mondayOf(localDate(new Date(to.getTime() - 1), timeZone)),
  );
  const mondays: string[] = [];
  for (let day = first; day <= last; day += 7) mondays.push(dateOf(day));
  return mondays;
}

/** The median (the mean of the middle two for an even count). */
export function median(values: number[]) {
  if (values.length === 0) return null;
  // A typed array sorts numerically, and much faster than a comparator.
  const sorted = Float64Array.from(values).sort();
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A percentile by nearest rank: the smallest value with p% at or below it. */
export function percentile(values: number[], p: number) {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
