import { CopyTextButton } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { Button, makeStyles, Typography } from '@material-ui/core';
import { useState } from 'react';
import { ChangeRequest, gitHostApiRef, HostedRepository } from '../../api';
import { EntityRefText, ErrorAlert, RelativeTime, shortSha } from '../common';

const useStyles = makeStyles(theme => ({
  actions: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    margin: theme.spacing(2, 0),
  },
  sha: { fontFamily: 'monospace' },
}));

type Action = 'merge' | 'close' | 'reopen';

const failures: Record<Action, string> = {
  merge: 'The change request was not merged',
  close: 'The change request was not closed',
  reopen: 'The change request was not reopened',
};

function MergedNote({ changeRequest }: { changeRequest: ChangeRequest }) {
  const classes = useStyles();
  const sha = changeRequest.merge_commit_sha;
  return (
    <Alert
      status="success"
      icon
      title={`Merged into ${changeRequest.base.ref}`}
      description={
        <>
          {changeRequest.merged_at && (
            <>
              <RelativeTime date={changeRequest.merged_at} />{' '}
            </>
          )}
          {changeRequest.merged_by && (
            <>
              by <EntityRefText entityRef={changeRequest.merged_by.login} />{' '}
            </>
          )}
          {sha && (
            <>
              as commit{' '}
              <span className={classes.sha} title={sha}>
                {shortSha(sha)}
              </span>
              <CopyTextButton
                text={sha}
                tooltipText="Commit sha copied"
                aria-label="Copy the merge commit sha"
              />
            </>
          )}
        </>
      }
      mb="2"
    />
  );
}

/**
 * Merge (for those who may push to the repository), close and reopen. A
 * refusal, such as a 409 when the target branch moved, is shown with the
 * git host's reason and leaves the buttons usable.
 */
export function ChangeRequestActions({
  repository,
  changeRequest,
  onChange,
}: {
  repository: HostedRepository;
  changeRequest: ChangeRequest;
  onChange: (changeRequest: ChangeRequest) => void;
}) {
  const classes = useStyles();
  const gitHostApi = useApi(gitHostApiRef);
  const [busy, setBusy] = useState<Action>();
  const [failed, setFailed] = useState<{ action: Action; error: Error }>();
  const { number, state, merged } = changeRequest;
  const open = state === 'open' && !merged;

  const run = async (action: Action) => {
    setBusy(action);
    setFailed(undefined);
    try {
      onChange(
        action === 'merge'
          ? await gitHostApi.mergeChangeRequest(repository, number, {
              headSha: changeRequest.head.sha ?? undefined,
            })
          : await gitHostApi.updateChangeRequest(repository, number, {
              state: action === 'close' ? 'closed' : 'open',
            }),
      );
    } catch (error) {
      setFailed({ action, error: error as Error });
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      {merged && <MergedNote changeRequest={changeRequest} />}
      {open && !changeRequest.mergeable && (
        // The git host decides when Merge is pressed; this says what it
        // last found.
        <Alert
          status="warning"
          icon
          title="This change request cannot be merged as it is"
          description={
            changeRequest.conflict ??
            `Merge ${changeRequest.base.ref} into ${changeRequest.head.ref}, resolve the conflicts and push it again.`
          }
          mb="2"
        />
      )}
      {open && changeRequest.head.deleted && (
        <Alert
          status="warning"
          icon
          title={`The source branch ${changeRequest.head.ref} was deleted`}
          description="Push it again to merge this change request, or close it."
          mb="2"
        />
      )}
      {failed && (
        <ErrorAlert title={failures[failed.action]} error={failed.error} />
      )}
      {!merged && (
        <div className={classes.actions}>
          {open && repository.permissions.write && (
            <Button
              color="primary"
              variant="contained"
              onClick={() => run('merge')}
              disabled={busy !== undefined}
            >
              Merge
            </Button>
          )}
          {open && (
            <Button
              variant="outlined"
              onClick={() => run('close')}
              disabled={busy !== undefined}
            >
              Close
            </Button>
          )}
          {!open && (
            <Button
              variant="outlined"
              onClick={() => run('reopen')}
              disabled={busy !== undefined}
            >
              Reopen
            </Button>
          )}
          {open && !repository.permissions.write && (
            <Typography variant="body2" color="textSecondary">
              Only those who may push to {repository.fullName} can merge it.
            </Typography>
          )}
        </div>
      )}
    </>
  );
}
