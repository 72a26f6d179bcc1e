import { relativeTime } from './relativeTime';

/** A date as "3 hours ago", the exact time on hover. */
export function RelativeTime({ date }: { date: string }) {
  return (
    <time dateTime={date} title={date}>
      {relativeTime(date)}
    </time>
  );
}
