import { InfoCard } from '@backstage/core-components';
import {
  LinearProgress,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { InsightsResponse } from '../../api';
import { EntityRefText } from '../common';
import { percentText } from '../delivery';

type Adoption = InsightsResponse['adoption'];

function shareText(share: number | null): string {
  return share === null ? '' : ` (${percentText(share)})`;
}

/**
 * How many components come from a golden path, and how many of each golden
 * path's services are on its latest version.
 */
export function AdoptionCard({ adoption }: { adoption: Adoption }) {
  return (
    <InfoCard title="Golden path adoption">
      <Typography variant="body1" data-testid="adoption-summary">
        {adoption.fromGoldenPath} of {adoption.components} components
        {shareText(adoption.share)} come from a golden path.
      </Typography>
      {adoption.templates.length > 0 && (
        <List dense aria-label="Services on the latest version">
          {adoption.templates.map(template => (
            <ListItem key={template.template} divider>
              <ListItemText
                primary={<EntityRefText entityRef={template.template} />}
                secondary={
                  <>
                    {template.onLatest} of {template.services} on the latest
                    version
                    {template.latestVersion && ` (${template.latestVersion})`}
                    {shareText(template.share)}
                    {template.share !== null && (
                      <LinearProgress
                        variant="determinate"
                        value={template.share * 100}
                        aria-label={`${template.template} on its latest version`}
                      />
                    )}
                  </>
                }
                secondaryTypographyProps={{ component: 'div' }}
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}
