import { InfoCard } from '@backstage/core-components';
import { Button, makeStyles, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { Figure } from '../../api';
import { BandChip } from './BandChip';
import { figureValueText, fractionText, windowText } from './deliveryText';

const useStyles = makeStyles(theme => ({
  region: { height: '100%' },
  card: { height: '100%' },
  headline: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  value: { fontWeight: 600 },
  small: { display: 'block', marginTop: theme.spacing(0.5) },
  action: { marginTop: theme.spacing(1) },
}));

/**
 * One delivery figure: its value (or why there is none) and band, what it
 * was computed from, its caveats and weekly trend, and a way to see the
 * deployments behind it.
 */
export function FigureCard({
  title,
  figure,
  details,
  days,
  bandsSource,
  chart,
  onShowDeployments,
}: {
  title: string;
  figure: Figure;
  /** Lines under the value, e.g. "p90 6 h"; shown with a reason too. */
  details: string[];
  days: number;
  bandsSource: string;
  chart: ReactNode;
  onShowDeployments: () => void;
}) {
  const classes = useStyles();
  const deployments = figure.deploymentIds.length;
  return (
    <div role="region" aria-label={title} className={classes.region}>
      <InfoCard title={title} className={classes.card}>
        <div className={classes.headline}>
          {figure.value === null ? (
            <Typography variant="body1" color="textSecondary">
              {figure.reason ?? 'Not enough data'}
            </Typography>
          ) : (
            <Typography
              variant="h5"
              component="p"
              className={classes.value}
              data-testid="delivery-value"
            >
              {figureValueText(figure)}
            </Typography>
          )}
          {figure.value !== null && figure.band && (
            <BandChip band={figure.band} source={bandsSource} />
          )}
        </div>
        {details.map(detail => (
          <Typography key={detail} variant="body2">
            {detail}
          </Typography>
        ))}
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.small}
        >
          {fractionText(figure)}, {windowText(days)}
        </Typography>
        {figure.notes.map(note => (
          <Typography
            key={note}
            variant="caption"
            color="textSecondary"
            className={classes.small}
          >
            {note}
          </Typography>
        ))}
        {chart}
        <Button
          size="small"
          color="primary"
          className={classes.action}
          disabled={deployments === 0}
          onClick={onShowDeployments}
        >
          Show deployments ({deployments})
        </Button>
      </InfoCard>
    </div>
  );
}
