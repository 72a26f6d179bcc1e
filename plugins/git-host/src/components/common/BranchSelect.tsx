import { makeStyles, TextField } from '@material-ui/core';
import { Branch } from '../../api';

const useStyles = makeStyles({ select: { minWidth: 180 } });

/**
 * Picks the branch to look at. A ref that is no branch (a tag, a commit)
 * stays selectable while it is shown.
 */
export function BranchSelect({
  branches,
  value,
  onChange,
  id = 'git-host-branch',
}: {
  branches: Branch[];
  value: string;
  onChange: (branch: string) => void;
  id?: string;
}) {
  const classes = useStyles();
  const names = branches.map(branch => branch.name);
  if (!names.includes(value)) names.unshift(value);
  return (
    <TextField
      id={id}
      select
      label="Branch"
      value={value}
      onChange={event => onChange(event.target.value)}
      SelectProps={{ native: true }}
      variant="outlined"
      size="small"
      className={classes.select}
    >
      {names.map(name => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </TextField>
  );
}
