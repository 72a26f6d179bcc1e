import { useApi } from '@backstage/frontend-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import { useState } from 'react';
import { GitToken, gitHostApiRef } from '../../api';
import { ErrorAlert } from '../common';

/** Asks before revoking a token, then revokes it. Mounted while open. */
export function RevokeTokenDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: GitToken;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const gitHostApi = useApi(gitHostApiRef);
  const [revoking, setRevoking] = useState(false);
  const [error, setError] = useState<Error>();

  const revoke = async () => {
    setRevoking(true);
    setError(undefined);
    try {
      await gitHostApi.revokeToken(token.id);
      onRevoked();
    } catch (e) {
      setError(e as Error);
      setRevoking(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="git-host-revoke-title"
      maxWidth="xs"
      fullWidth
    >
      <DialogTitle id="git-host-revoke-title">
        Revoke the token “{token.name}”?
      </DialogTitle>
      <DialogContent>
        {error && (
          <ErrorAlert title="The token was not revoked" error={error} />
        )}
        <DialogContentText>
          Git clients that use it are refused from then on. This cannot be
          undone; issue a new token where one is still needed.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          onClick={revoke}
          color="secondary"
          variant="contained"
          disabled={revoking}
        >
          Revoke
        </Button>
      </DialogActions>
    </Dialog>
  );
}
