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
import { useNavigate } from 'react-router-dom';
import { Branch, gitHostApiRef, HostedRepository } from '../../../api';
import { ErrorAlert, useRepositoryPaths } from '../../common';

const useStyles = makeStyles(theme => ({
  field: { marginBottom: theme.spacing(2) },
  branches: { display: 'flex', gap: theme.spacing(2) },
}));

function BranchField({
  id,
  label,
  names,
  value,
  onChange,
}: {
  id: string;
  label: string;
  names: string[];
  value: string;
  onChange: (name: string) => void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value}
      onChange={event => onChange(event.target.value)}
      SelectProps={{ native: true }}
      className={classes.field}
      fullWidth
    >
      {names.map(name => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </TextField>
  );
}

/**
 * Opens a change request from a branch into the default branch (or another
 * one), then goes to it. Mounted while open.
 */
export function NewChangeRequestDialog({
  repository,
  branches,
  onClose,
}: {
  repository: HostedRepository;
  branches: Branch[];
  onClose: () => void;
}) {
  const classes = useStyles();
  const gitHostApi = useApi(gitHostApiRef);
  const navigate = useNavigate();
  const paths = useRepositoryPaths(repository);
  const names = branches.map(branch => branch.name);
  const [base, setBase] = useState(
    names.includes(repository.defaultBranch)
      ? repository.defaultBranch
      : names[0] ?? '',
  );
  const sources = names.filter(name => name !== base);
  const [head, setHead] = useState(sources[0] ?? '');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<Error>();

  const source = sources.includes(head) ? head : sources[0] ?? '';
  const valid = source !== '' && title.trim() !== '';

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setCreating(true);
    setError(undefined);
    try {
      const created = await gitHostApi.createChangeRequest(repository, {
        title: title.trim(),
        body: body.trim() || undefined,
        head: source,
        base,
      });
      navigate(paths.changeRequest(created.number));
    } catch (e) {
      setError(e as Error);
      setCreating(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      aria-labelledby="git-host-new-change-request-title"
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={create}>
        <DialogTitle id="git-host-new-change-request-title">
          New change request
        </DialogTitle>
        <DialogContent>
          {error && (
            <ErrorAlert
              title="The change request was not opened"
              error={error}
            />
          )}
          {sources.length === 0 ? (
            <DialogContentText>
              There is no branch to merge into {base} yet. Push your changes to
              one first, e.g.{' '}
              <code>git push {repository.cloneUrl} HEAD:my-change</code>
            </DialogContentText>
          ) : (
            <>
              <DialogContentText>
                Asks the owners of {repository.fullName} to merge the commits of
                a branch.
              </DialogContentText>
              <div className={classes.branches}>
                <BranchField
                  id="git-host-change-request-head"
                  label="From branch"
                  names={sources}
                  value={source}
                  onChange={setHead}
                />
                <BranchField
                  id="git-host-change-request-base"
                  label="Into branch"
                  names={names}
                  value={base}
                  onChange={setBase}
                />
              </div>
              <TextField
                id="git-host-change-request-title"
                label="Title"
                value={title}
                onChange={event => setTitle(event.target.value)}
                className={classes.field}
                required
                fullWidth
              />
              <TextField
                id="git-host-change-request-body"
                label="Description"
                value={body}
                onChange={event => setBody(event.target.value)}
                helperText="What changes and why; Markdown works"
                multiline
                minRows={4}
                fullWidth
              />
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={!valid || creating}
          >
            Open change request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
