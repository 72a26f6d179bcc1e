import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  makeStyles,
  TextField,
} from '@material-ui/core';
import { FormEvent, useState } from 'react';
import { deliveryApiRef, DeploymentFact, Incident } from '../../api';
import { ErrorAlert } from '../common';
import { ciSha } from '../pipelines';

const severities: Incident['severity'][] = [
  'critical',
  'high',
  'medium',
  'low',
];

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
}));

/**
 * Records that a deployment caused an incident, which makes it a change
 * failure. The backend lets only the service's owners; its message says so.
 * Mounted while open.
 */
export function CausedIncidentDialog({
  deployment,
  onClose,
  onRecorded,
}: {
  deployment: DeploymentFact;
  onClose: () => void;
  onRecorded: (incident: Incident) => void;
}) {
  const classes = useStyles();
  const deliveryApi = useApi(deliveryApiRef);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Incident['severity']>('medium');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const what = `${deployment.version ?? ciSha(deployment.commit)} to ${
    deployment.environment
  }`;

  const record = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    setSaving(true);
    setError(undefined);
    try {
      onRecorded(
        await deliveryApi.recordIncident(deployment.id, {
          title: title.trim(),
          severity,
        }),
      );
    } catch (e) {
      setError(e as Error);
      setSaving(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="delivery-incident-title"
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={record}>
        <DialogTitle id="delivery-incident-title">
          The deployment of {what} caused an incident
        </DialogTitle>
        <DialogContent>
          {error && (
            <ErrorAlert title="The incident was not recorded" error={error} />
          )}
          <DialogContentText>
            The deployment then counts as a change failure, until a later
            deployment recovers from it.
          </DialogContentText>
          <TextField
            id="delivery-incident-name"
            label="Title"
            value={title}
            onChange={e => setTitle(e.target.value)}
            helperText="What went wrong, e.g. Checkout returns 500"
            required
            fullWidth
          />
          <TextField
            id="delivery-incident-severity"
            select
            label="Severity"
            value={severity}
            onChange={e => setSeverity(e.target.value as Incident['severity'])}
            SelectProps={{ native: true }}
            className={classes.field}
            fullWidth
          >
            {severities.map(s => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </TextField>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!title.trim() || saving}
          >
            Record incident
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
