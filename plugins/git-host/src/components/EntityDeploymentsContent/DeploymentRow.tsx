import { IconButton, TableCell, TableRow } from '@material-ui/core';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { ReactNode, useState } from 'react';
import { Deployment } from '../../api';
import { ciSha } from '../pipelines';
import { DeploymentCommits } from './DeploymentCommits';

/**
 * A table row about one deployment, which opens below itself to the commits
 * that deployment brought.
 */
export function DeploymentRow({
  deployment,
  columns,
  testId,
  children,
}: {
  deployment: Deployment;
  /** How many cells `children` are, for the commits' row to span. */
  columns: number;
  testId: string;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const what = `${ciSha(deployment.commit)} to ${deployment.environment}`;
  return (
    <>
      <TableRow data-testid={testId}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            aria-expanded={open}
            aria-label={`${open ? 'Hide' : 'Show'} the commits of ${what}`}
            onClick={() => setOpen(o => !o)}
          >
            {open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
          </IconButton>
        </TableCell>
        {children}
      </TableRow>
      {open && (
        <TableRow>
          <TableCell colSpan={columns + 1}>
            <DeploymentCommits deployment={deployment} />
          </TableCell>
        </TableRow>
      )}
    </>
  );
}
