import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { AsyncState } from 'react-use/esm/useAsyncFn';
import { useListStyles } from './listStyles';
import { MyHome } from './useMyHome';

const DAY_MS = 24 * 3_600_000;

/** "in 3 hours", "in 2 days", "expired". */
export function expiresIn(expiresAt: string, now = Date.now()) {
  const ms = Date.parse(expiresAt) - now;
  if (ms <= 0) return 'expired';
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48)
    return `in ${Math.max(1, hours)} hour${hours === 1 ? '' : 's'}`;
  const days = Math.round(ms / DAY_MS);
  return `in ${days} days`;
}

/**
 * The environments of the signed-in person's teams, soonest expiry first;
 * those expiring within a day stand out.
 */
export function MyEnvironmentsCard({ home }: { home: AsyncState<MyHome> }) {
  const classes = useListStyles();
  const mine = new Set(home.value?.ownership);
  const value = home.value?.environments
    .filter(e => mine.has(e.owner))
    .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));

  return (
    <InfoCard title="My environments" subheader="Soonest to expire first">
      {home.loading && <Progress />}
      {home.error && <ResponseErrorPanel error={home.error} />}
      {value && value.length === 0 && (
        <EmptyState
          missing="data"
          title="Your teams have no environments"
          description="Ask for one with a golden path, or with the Add an environment template for a service you own."
        />
      )}
      {value && value.length > 0 && (
        <ul className={classes.list} aria-label="My environments">
          {value.map(environment => {
            const soon =
              Date.parse(environment.expiresAt) - Date.now() < DAY_MS;
            return (
              <li key={environment.id} className={classes.item}>
                <Link to={`/environments/${environment.id}`}>
                  {environment.service.split('/').pop()} / {environment.name}
                </Link>
                <Typography variant="body2" className={classes.meta}>
                  {environment.status}
                </Typography>
                <Typography
                  variant="body2"
                  className={soon ? classes.soon : classes.meta}
                >
                  expires {expiresIn(environment.expiresAt)}
                </Typography>
              </li>
            );
          })}
        </ul>
      )}
    </InfoCard>
  );
}
