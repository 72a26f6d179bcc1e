import { CopyTextButton, Progress } from '@backstage/core-components';
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
import { FormEvent, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { gitHostApiRef, IssuedGitToken, TokenPolicy } from '../../api';
import { ErrorAlert } from '../common';
import { expiryDate, expiryProblem } from './expiry';

const useStyles = makeStyles(theme => ({
  field: { marginBottom: theme.spacing(2) },
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

function IssuedToken({ issued }: { issued: IssuedGitToken }) {
  const classes = useStyles();
  return (
    <>
      <div className={classes.token}>
        <code className={classes.value}>{issued.token}</code>
        <CopyTextButton
          text={issued.token}
          tooltipText="Token copied"
          aria-label="Copy the git token"
        />
      </div>
      <DialogContentText>
        Use it as the password when git asks, e.g.{' '}
        <code>git clone &lt;url&gt;</code>. It is shown only once.
      </DialogContentText>
    </>
  );
}

function TokenForm({
  policy,
  name,
  days,
  onNameChange,
  onDaysChange,
}: {
  policy: TokenPolicy;
  name: string;
  days: string;
  onNameChange: (name: string) => void;
  onDaysChange: (days: string) => void;
}) {
  const classes = useStyles();
  const problem = expiryProblem(days, policy);
  return (
    <>
      <DialogContentText>
        Git uses the token as the password to clone and push the repositories
        you may read and write.
      </DialogContentText>
      <TextField
        id="git-host-token-name"
        label="Name"
        value={name}
        onChange={event => onNameChange(event.target.value)}
        helperText="What it is for, e.g. laptop or CI job"
        className={classes.field}
        required
        fullWidth
      />
      <TextField
        id="git-host-token-days"
        label="Expires in (days)"
        type="number"
        value={days}
        onChange={event => onDaysChange(event.target.value)}
        inputProps={{ min: 1, max: policy.maxDays, step: 1 }}
        error={problem !== undefined}
        helperText={
          problem ??
          `Expires on ${expiryDate(Number(days))}; at most ${
            policy.maxDays
          } days`
        }
        fullWidth
      />
    </>
  );
}

/**
 * Issues a personal git token with a name and a lifetime, within the
 * portal's limit, and shows it once. Closing the dialog forgets it.
 * Mounted while open.
 */
export function IssueTokenDialog({
  onClose,
  onIssued,
}: {
  onClose: () => void;
  onIssued: () => void;
}) {
  const gitHostApi = useApi(gitHostApiRef);
  const policy = useAsync(() => gitHostApi.getTokenPolicy(), [gitHostApi]);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [issuing, setIssuing] = useState(false);
  const [error, setError] = useState<Error>();
  const [issued, setIssued] = useState<IssuedGitToken>();

  const defaultDays = policy.value?.defaultDays;
  useEffect(() => {
    if (defaultDays) setDays(String(defaultDays));
  }, [defaultDays]);

  const valid =
    policy.value !== undefined &&
    name.trim() !== '' &&
    expiryProblem(days, policy.value) === undefined;

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setIssuing(true);
    setError(undefined);
    try {
      setIssued(
        await gitHostApi.issueToken({
          name: name.trim(),
          expiresInDays: Number(days),
        }),
      );
      onIssued();
    } catch (e) {
      setError(e as Error);
    } finally {
      setIssuing(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="git-host-token-title"
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={issue}>
        <DialogTitle id="git-host-token-title">
          {issued ? `Your git token “${issued.name}”` : 'New git token'}
        </DialogTitle>
        <DialogContent>
          {policy.loading && <Progress />}
          {policy.error && (
            <ErrorAlert
              title="The token limits could not be loaded"
              error={policy.error}
            />
          )}
          {error && (
            <ErrorAlert title="The token was not issued" error={error} />
          )}
          {issued && <IssuedToken issued={issued} />}
          {!issued && policy.value && (
            <TokenForm
              policy={policy.value}
              name={name}
              days={days}
              onNameChange={setName}
              onDaysChange={setDays}
            />
          )}
        </DialogContent>
        <DialogActions>
          {issued ? (
            <Button onClick={onClose} color="primary">
              Close
            </Button>
          ) : (
            <>
              <Button onClick={onClose}>Cancel</Button>
              <Button
                type="submit"
                color="primary"
                variant="contained"
                disabled={!valid || issuing}
              >
                Issue token
              </Button>
            </>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
