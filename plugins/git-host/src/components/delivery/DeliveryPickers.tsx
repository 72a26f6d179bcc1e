import { makeStyles, TextField } from '@material-ui/core';
import { DeliveryWindow } from '../../api';

/** The environment the figures are about unless one is picked. */
export const DEFAULT_ENVIRONMENT = 'production';
export const DEFAULT_WINDOW: DeliveryWindow = 30;
const windows: DeliveryWindow[] = [7, 30, 90];

const useStyles = makeStyles({
  select: { minWidth: 160 },
});

/** The window the figures are computed over: 7, 30 or 90 days. */
export function WindowPicker({
  value,
  onChange,
}: {
  value: DeliveryWindow;
  onChange: (days: DeliveryWindow) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id="delivery-window"
      select
      label="Window"
      value={value}
      onChange={event => onChange(Number(event.target.value) as DeliveryWindow)}
      SelectProps={{ native: true }}
      variant="outlined"
      size="small"
      className={classes.select}
    >
      {windows.map(days => (
        <option key={days} value={days}>
          Last {days} days
        </option>
      ))}
    </TextField>
  );
}

/** The environment whose deployments count; production is always offered. */
export function EnvironmentPicker({
  value,
  environments,
  onChange,
}: {
  value: string;
  environments: string[];
  onChange: (environment: string) => void;
}) {
  const classes = useStyles();
  const options = [...new Set([DEFAULT_ENVIRONMENT, value, ...environments])];
  return (
    <TextField
      id="delivery-environment"
      select
      label="Environment"
      value={value}
      onChange={event => onChange(event.target.value)}
      SelectProps={{ native: true }}
      variant="outlined"
      size="small"
      className={classes.select}
    >
      {options.map(name => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </TextField>
  );
}
