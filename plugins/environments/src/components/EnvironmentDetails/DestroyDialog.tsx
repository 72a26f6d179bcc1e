import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import {
  Environment,
  EnvironmentRun,
} from '@internal/plugin-environments-common';
import { useEffect, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ErrorAlert } from '../common';
import { PlanSummary } from './PlanSummary';
import { RunLogView } from './RunLog';
import { useRunEvents } from './useRunEvents';

/** The preview's log, then what the finished preview says will go. */
function DestroyPreview({
  preview,
  onReady,
}: {
  preview: EnvironmentRun;
  onReady: (run: EnvironmentRun) => void;
}) {
  const environmentsApi = useApi(environmentsApiRef);
  const log = useRunEvents(preview.id);
  // The log's end is the run's end; the plan is on the run.
  const finished = useAsync(
    async () => (log.finished ? environmentsApi.getRun(preview.id) : undefined),
    [environmentsApi, preview.id, log.finished],
  );
  const run = finished.value;
  const ready = run?.status === 'succeeded' && run.plan !== undefined;
  const [showLog, setShowLog] = useState(false);
  useEffect(() => {
    if (ready && run) onReady(run);
  }, [ready, run, onReady]);

  let failure: string | undefined;
  if (run?.status === 'succeeded' && !run.plan) {
    failure = 'The destroy preview has no plan';
  } else if (run && run.status !== 'succeeded') {
    failure = `The destroy preview ${run.status}`;
  }

  return (
    <>
      {ready && run?.plan && (
        <div>
          <Typography variant="subtitle2" gutterBottom>
            Destroying removes {run.plan.remove}{' '}
            {run.plan.remove === 1 ? 'resource' : 'resources'}:
          </Typography>
          <PlanSummary plan={run.plan} />
          <Button size="small" onClick={() => setShowLog(s => !s)}>
            {showLog ? "Hide the preview's log" : "Show the preview's log"}
          </Button>
        </div>
      )}
      {/* Once the plan is there it says what the log said, shorter. */}
      {(!ready || showLog) && (
        <RunLogView title="Log of the destroy preview" {...log} />
      )}
      {finished.error && (
        <ErrorAlert
          title="The destroy preview could not be loaded"
          error={finished.error}
        />
      )}
      {failure && (
        <ErrorAlert
          title={failure}
          error={new Error(run?.error ?? 'Terraform reported no error.')}
          hint="Nothing was destroyed. Look at the log, re-plan, then try again."
        />
      )}
    </>
  );
}

/**
 * Confirms a destroy. It first runs a destroy preview (`plan-destroy`) and
 * shows what would be removed; only then can the destroy be confirmed.
 * Mounted while open.
 */
export function DestroyDialog({
  environment,
  onClose,
  onDestroyRequested,
}: {
  environment: Environment;
  onClose: () => void;
  onDestroyRequested: (run: EnvironmentRun) => void;
}) {
  const environmentsApi = useApi(environmentsApiRef);
  const [preview, setPreview] = useState<EnvironmentRun>();
  const [previewError, setPreviewError] = useState<Error>();
  const [readyPreview, setReadyPreview] = useState<EnvironmentRun>();
  const [destroying, setDestroying] = useState(false);
  const [destroyError, setDestroyError] = useState<Error>();

  // Asked for once per opening, even when effects run twice (StrictMode).
  const requested = useRef(false);
  useEffect(() => {
    if (requested.current) return;
    requested.current = true;
    environmentsApi
      .requestRun(environment.id, 'plan-destroy')
      .then(setPreview, setPreviewError);
  }, [environmentsApi, environment.id]);

  const destroy = async () => {
    setDestroying(true);
    setDestroyError(undefined);
    try {
      onDestroyRequested(
        await environmentsApi.requestRun(environment.id, 'destroy'),
      );
    } catch (e) {
      setDestroyError(e as Error);
      setDestroying(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="environments-destroy-title"
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id="environments-destroy-title">
        Destroy {environment.name}?
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Destroying removes the environment's infrastructure and its data.
          First, Terraform works out what it would remove.
        </DialogContentText>
        {previewError && (
          <ErrorAlert
            title="The destroy preview could not be started"
            error={previewError}
          />
        )}
        {!preview && !previewError && <Progress />}
        {preview && (
          <DestroyPreview preview={preview} onReady={setReadyPreview} />
        )}
        {destroyError && (
          <ErrorAlert
            title="The destroy could not be started"
            error={destroyError}
          />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          variant="contained"
          color="secondary"
          onClick={destroy}
          disabled={!readyPreview || destroying}
        >
          Destroy
        </Button>
      </DialogActions>
    </Dialog>
  );
}
