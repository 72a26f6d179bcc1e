import { InfoCard } from '@backstage/core-components';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import { EnvironmentRun } from '@internal/plugin-environments-common';
import { Button, makeStyles, TextField, Typography } from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { environmentsApiRef } from '../../api';
import { ErrorAlert, RequesterText, runKindTitle } from '../common';
import { PlanSummary } from './PlanSummary';
import { RunGateDetails } from './RunGateDetails';

const useStyles = makeStyles(theme => ({
  body: { display: 'flex', flexDirection: 'column', gap: theme.spacing(2) },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
  },
}));

/**
 * A plan that waits: what it would do, what it costs, what the policies
 * said, and the decision. The backend decides who may approve; the panel
 * says up front what it will refuse (the requester's own approval).
 */
export function ApprovalPanel({
  run,
  onDecided,
}: {
  run: EnvironmentRun;
  onDecided: () => void;
}) {
  const classes = useStyles();
  const environmentsApi = useApi(environmentsApiRef);
  const identityApi = useApi(identityApiRef);
  const identity = useAsync(() => identityApi.getBackstageIdentity(), []);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<Error>();
  const gate = run.gate!;
  const me = identity.value?.userEntityRef;
  const own = me === run.requestedBy;
  const mayApprove =
    gate.approvalsRequired > 0 &&
    !gate.approvals.some(a => a.by === me) &&
    (identity.value?.ownershipEntityRefs ?? []).some(g =>
      gate.approverGroups.includes(g),
    );
  const needsOverride = gate.overrideRequired && !gate.override;

  const decide = async (decision: () => Promise<unknown>) => {
    setSaving(true);
    setError(undefined);
    try {
      await decision();
      setText('');
      onDecided();
    } catch (e) {
      setError(e as Error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <InfoCard title={`${runKindTitle(run.kind)} waits for approval`}>
      <div className={classes.body}>
        <Typography variant="body2">
          Asked for by <RequesterText requester={run.requestedBy} />. Nothing is
          applied until it is approved; approving applies exactly this plan.
        </Typography>
        {run.plan && <PlanSummary plan={run.plan} />}
        <RunGateDetails gate={gate} />
        {error && (
          <ErrorAlert title="The decision was not recorded" error={error} />
        )}
        <TextField
          id={`decision-${run.id}`}
          label="Comment, or the reason for a rejection or override"
          value={text}
          onChange={e => setText(e.target.value)}
          variant="outlined"
          size="small"
          fullWidth
        />
        <div className={classes.actions}>
          {gate.approvalsRequired > 0 && (
            <Button
              variant="contained"
              color="primary"
              disabled={saving || own || !mayApprove}
              onClick={() =>
                decide(() =>
                  environmentsApi.approveRun(
                    run.id,
                    gate.planHash!,
                    text || undefined,
                  ),
                )
              }
            >
              Approve this plan
            </Button>
          )}
          <Button
            variant="outlined"
            disabled={saving || !text.trim()}
            onClick={() =>
              decide(() => environmentsApi.rejectRun(run.id, text))
            }
          >
            {own ? 'Withdraw' : 'Reject'}
          </Button>
          {needsOverride && (
            <Button
              variant="outlined"
              color="secondary"
              disabled={saving || !text.trim()}
              onClick={() =>
                decide(() => environmentsApi.overrideRun(run.id, text))
              }
            >
              Override soft rules
            </Button>
          )}
          <Typography variant="body2" color="textSecondary">
            {own &&
              'You asked for this, so someone else must approve it. You may withdraw it with a reason.'}
            {!own &&
              identity.value &&
              gate.approvalsRequired > 0 &&
              !mayApprove &&
              'Only members of the groups above may approve it.'}
            {needsOverride &&
              ' Overriding is for the platform team, with a reason.'}
          </Typography>
        </div>
      </div>
    </InfoCard>
  );
}
