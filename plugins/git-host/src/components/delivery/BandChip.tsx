import { Chip, Tooltip } from '@material-ui/core';
import { Theme, useTheme } from '@material-ui/core/styles';
import { Band } from '../../api';
import { bandLabels } from './deliveryText';

function bandColour(theme: Theme, band: Band): string {
  const { palette } = theme;
  switch (band) {
    case 'elite':
      return palette.success.main;
    case 'high':
      return palette.info.main;
    case 'medium':
      return palette.warning.main;
    default:
      return palette.error.main;
  }
}

/**
 * Where a figure stands (elite, high, medium, low), the bands' source on
 * hover: the figures are judged against a published benchmark, not ours.
 */
export function BandChip({ band, source }: { band: Band; source: string }) {
  const theme = useTheme();
  const background = bandColour(theme, band);
  return (
    <Tooltip title={`Bands: ${source}`}>
      <Chip
        label={bandLabels[band]}
        size="small"
        data-testid="delivery-band"
        style={{
          backgroundColor: background,
          color: theme.palette.getContrastText(background),
          fontWeight: 600,
        }}
      />
    </Tooltip>
  );
}
