import {
  CopyTextButton,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Button } from '@backstage/ui';
import {
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  makeStyles,
} from '@material-ui/core';
import { useState } from 'react';
import { gitHostApiRef } from '../../api';

const useStyles = makeStyles(theme => ({
  token: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(2),
    padding: theme.spacing(1, 2),
    borderRadius: theme.shape.borderRadius,
    backgroundColor: theme.palette.background.default,
  },
  value: { fontFamily: 'monospace', wordBreak: 'break-all', flexGrow: 1 },
}));

type TokenState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'issued'; token: string }
  | { status: 'failed'; error: Error };

/**
 * Issues a personal git token for the signed-in user and shows it once.
 * Closing the dialog forgets it; the next click issues a new one.
 */
export function GitTokenButton() {
  const classes = useStyles();
  const gitHostApi = useApi(gitHostApiRef);
  const [state, setState] = useState<TokenState>({ status: 'idle' });

  const issue = async () => {
    setState({ status: 'loading' });
    try {
      const { token } = await gitHostApi.issueToken();
      setState({ status: 'issued', token });
    } catch (error) {
      setState({ status: 'failed', error: error as Error });
    }
  };
  const close = () => setState({ status: 'idle' });

  return (
    <>
      <Button variant="secondary" onPress={issue}>
        Get a git token
      </Button>
      <Dialog
        open={state.status !== 'idle'}
        onClose={close}
        aria-labelledby="git-host-token-title"
        maxWidth="sm"
        fullWidth
      >
        <DialogTitle id="git-host-token-title">Your git token</DialogTitle>
        <DialogContent>
          {state.status === 'loading' && <Progress />}
          {state.status === 'failed' && (
            <ResponseErrorPanel error={state.error} />
          )}
          {state.status === 'issued' && (
            <>
              <div className={classes.token}>
                <code className={classes.value}>{state.token}</code>
                <CopyTextButton
                  text={state.token}
                  tooltipText="Token copied"
                  aria-label="Copy the git token"
                />
              </div>
              <DialogContentText>
                Use it as the password when git asks, e.g.{' '}
                <code>git clone &lt;url&gt;</code>. It is shown only once.
              </DialogContentText>
            </>
          )}
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close} color="primary">
            Close
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}
