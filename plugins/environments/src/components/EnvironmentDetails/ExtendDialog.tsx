import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Environment } from '@internal/plugin-environments-common';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ErrorAlert } from '../common';

/**
 * Asks how many hours the environment should live from now on, at most the
 * portal's maximum, and moves its expiry there. Mounted while open.
 */
export function ExtendDialog({
  environment,
  initialHours,
  onClose,
  onExtended,
}: {
  environment: Environment;
  /** Proposed instead of the portal's default (a notification's one click). */
  initialHours?: number;
  onClose: () => void;
  onExtended: (environment: Environment) => void;
}) {
  const environmentsApi = useApi(environmentsApiRef);
  const options = useAsync(
    () => environmentsApi.getOptions(),
    [environmentsApi],
  );
  const [hours, setHours] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();

  const defaultHours = initialHours ?? options.value?.defaultTtlHours;
  useEffect(() => {
    if (defaultHours) setHours(String(defaultHours));
  }, [defaultHours]);

  const maxHours = options.value?.maxTtlHours ?? Infinity;
  const value = Number(hours);
  const valid = Number.isInteger(value) && value >= 1 && value <= maxHours;

  const extend = async () => {
    setSaving(true);
    setError(undefined);
    try {
      onExtended(
        await environmentsApi.extendEnvironment(environment.id, value),
      );
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="environments-extend-title"
      maxWidth="xs"
      fullWidth
    >
      <DialogTitle id="environments-extend-title">
        Extend {environment.name}
      </DialogTitle>
      <DialogContent>
        {options.loading && <Progress />}
        {options.error && (
          <ErrorAlert
            title="The lifetime limits could not be loaded"
            error={options.error}
          />
        )}
        {error && (
          <ErrorAlert title="The environment was not extended" error={error} />
        )}
        {options.value && (
          <>
            <DialogContentText>
              The environment is destroyed when it expires. Keep it for this
              many hours from now (at most {options.value.maxTtlHours}).
            </DialogContentText>
            <TextField
              id="environments-extend-hours"
              label="Hours"
              type="number"
              value={hours}
              onChange={event => setHours(event.target.value)}
              inputProps={{ min: 1, max: options.value.maxTtlHours, step: 1 }}
              error={hours !== '' && !valid}
              helperText={
                hours !== '' && !valid
                  ? `Between 1 and ${options.value.maxTtlHours} whole hours`
                  : undefined
              }
              fullWidth
            />
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={extend}
          disabled={!options.value || !valid || saving}
        >
          Extend
        </Button>
      </DialogActions>
    </Dialog>
  );
}
