import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { environmentsApiRef } from '@internal/plugin-environments';
import { makeStyles, Typography } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { useMyOwnership } from './useMyOwnership';

const DAY_MS = 24 * 3_600_000;

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1, 2),
    alignItems: 'baseline',
    padding: theme.spacing(1, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  soon: { color: theme.palette.warning.main, fontWeight: 600 },
  meta: { color: theme.palette.text.secondary },
}));

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
export function MyEnvironmentsCard() {
  const classes = useStyles();
  const environmentsApi = useApi(environmentsApiRef);
  const ownership = useMyOwnership();
  const { value, loading, error } = useAsync(async () => {
    if (!ownership.value) return undefined;
    const mine = new Set(ownership.value);
    return (await environmentsApi.listEnvironments())
      .filter(e => mine.has(e.owner))
      .sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
  }, [ownership.value, environmentsApi]);

  return (
    <InfoCard title="My environments" subheader="Soonest to expire first">
      {(loading || ownership.loading) && <Progress />}
      {(error ?? ownership.error) && (
        <ResponseErrorPanel error={(error ?? ownership.error)!} />
      )}
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
