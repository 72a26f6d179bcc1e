import { relativeTime } from './relativeTime';

/** A date as "3 hours ago", the exact time on hover. */
export function RelativeTime({ date }: { date: string }) {
  return (
    <time dateTime={date} title={date}>
      {relativeTime(date)}
    </time>
  );
}

/** When the lifecycle sweep destroys the environment, or that it is due. */
export function Expiry({ expiresAt }: { expiresAt: string }) {
  if (new Date(expiresAt).getTime() <= Date.now()) {
    return (
      <time dateTime={expiresAt} title={expiresAt}>
        expired
      </time>
    );
  }
  return <RelativeTime date={expiresAt} />;
}
