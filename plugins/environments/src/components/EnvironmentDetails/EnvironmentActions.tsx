import { useApi } from '@backstage/frontend-plugin-api';
import { Button } from '@backstage/ui';
import { makeStyles } from '@material-ui/core';
import { Environment } from '@internal/plugin-environments-common';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { environmentsApiRef, RequestedRunKind } from '../../api';
import { ErrorAlert, runKindTitle } from '../common';
import { DestroyDialog } from './DestroyDialog';
import { ExtendDialog } from './ExtendDialog';

const useStyles = makeStyles(theme => ({
  buttons: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
}));

/**
 * Re-plan, Apply, Extend and Destroy. They wait while a run waits or runs,
 * and a destroyed environment has none. Refusals show here, as the backend
 * words them.
 */
export function EnvironmentActions({
  environment,
  busy,
  onChange,
}: {
  environment: Environment;
  /** A run waits or runs: new ones would be refused. */
  busy: boolean;
  /** Something was asked for; the page fetches the environment again. */
  onChange: () => void;
}) {
  const classes = useStyles();
  const environmentsApi = useApi(environmentsApiRef);
  const [requesting, setRequesting] = useState<RequestedRunKind>();
  const [error, setError] = useState<{ title: string; error: Error }>();
  const destroyed = environment.status === 'destroyed';
  // The expiry notification links here with ?extend=24: one click to keep it.
  const [params] = useSearchParams();
  const extendHours = Number(params.get('extend')) || undefined;
  const [dialog, setDialog] = useState<'extend' | 'destroy' | undefined>(
    extendHours && !destroyed ? 'extend' : undefined,
  );

  const disabled = destroyed || busy || requesting !== undefined;
  // Part of it may be gone: only finishing the destroy makes sense.
  const destroyOnly = environment.status === 'destroy-interrupted';

  const requestRun = async (kind: 'plan' | 'apply') => {
    setRequesting(kind);
    setError(undefined);
    try {
      await environmentsApi.requestRun(environment.id, kind);
      onChange();
    } catch (e) {
      setError({
        title: `The ${runKindTitle(kind).toLocaleLowerCase(
          'en',
        )} was not started`,
        error: e as Error,
      });
    } finally {
      setRequesting(undefined);
    }
  };
  const closeDialog = () => setDialog(undefined);

  return (
    <div>
      {error && <ErrorAlert title={error.title} error={error.error} />}
      <div className={classes.buttons}>
        <Button
          variant="secondary"
          isDisabled={disabled || destroyOnly}
          isPending={requesting === 'plan'}
          onPress={() => requestRun('plan')}
        >
          Re-plan
        </Button>
        <Button
          variant="primary"
          isDisabled={disabled || destroyOnly}
          isPending={requesting === 'apply'}
          onPress={() => requestRun('apply')}
        >
          Apply
        </Button>
        <Button
          variant="secondary"
          isDisabled={disabled || destroyOnly}
          onPress={() => setDialog('extend')}
        >
          Extend
        </Button>
        <Button
          variant={destroyOnly ? 'primary' : 'secondary'}
          destructive
          isDisabled={disabled}
          onPress={() => {
            setError(undefined);
            setDialog('destroy');
          }}
        >
          {destroyOnly ? 'Resume destroy' : 'Destroy'}
        </Button>
      </div>
      {dialog === 'extend' && (
        <ExtendDialog
          initialHours={extendHours}
          environment={environment}
          onClose={closeDialog}
          onExtended={() => {
            closeDialog();
            onChange();
          }}
        />
      )}
      {dialog === 'destroy' && (
        <DestroyDialog
          environment={environment}
          onClose={() => {
            closeDialog();
            // The preview run is on the runs list now.
            onChange();
          }}
          onDestroyRequested={() => {
            closeDialog();
            onChange();
          }}
        />
      )}
    </div>
  );
}
