import { CopyTextButton, InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { Button } from '@backstage/ui';
import {
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Environment } from '@internal/plugin-environments-common';
import { useState } from 'react';
import { environmentsApiRef } from '../../api';
import { ErrorAlert, isNotAllowed } from '../common';

/** What a sensitive output shows until it is revealed. */
export const MASK = '••••••';

const useStyles = makeStyles(theme => ({
  value: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

/**
 * The environment's Terraform outputs. Sensitive ones stay masked until the
 * user reveals them, which fetches them from the backend (owners only).
 */
export function OutputsCard({ environment }: { environment: Environment }) {
  const classes = useStyles();
  const environmentsApi = useApi(environmentsApiRef);
  const [secrets, setSecrets] = useState<Record<string, string>>();
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [revealing, setRevealing] = useState(false);
  const [error, setError] = useState<Error>();

  const reveal = async (name: string) => {
    setError(undefined);
    if (!secrets) {
      setRevealing(true);
      try {
        setSecrets(await environmentsApi.getSecrets(environment.id));
      } catch (e) {
        setError(e as Error);
        return;
      } finally {
        setRevealing(false);
      }
    }
    setRevealed(r => new Set(r).add(name));
  };
  const hide = (name: string) =>
    setRevealed(r => {
      const next = new Set(r);
      next.delete(name);
      return next;
    });

  const plain = Object.entries(environment.outputs).map(([name, value]) => ({
    name,
    value: String(value),
  }));
  const rows = [
    ...plain.map(({ name, value }) => (
      <TableRow key={name}>
        <TableCell>{name}</TableCell>
        <TableCell>
          <span className={classes.value}>
            {value}
            <CopyTextButton text={value} aria-label={`Copy ${name}`} />
          </span>
        </TableCell>
        <TableCell />
      </TableRow>
    )),
    ...environment.sensitiveOutputs.map(name => {
      const shown = revealed.has(name) && secrets;
      const value = shown ? secrets[name] ?? '' : MASK;
      return (
        <TableRow key={name}>
          <TableCell>{name}</TableCell>
          <TableCell>
            <span className={classes.value}>
              {value}
              {shown && (
                <CopyTextButton text={value} aria-label={`Copy ${name}`} />
              )}
            </span>
          </TableCell>
          <TableCell align="right">
            {shown ? (
              <Button
                variant="tertiary"
                size="small"
                aria-label={`Hide ${name}`}
                onPress={() => hide(name)}
              >
                Hide
              </Button>
            ) : (
              <Button
                variant="secondary"
                size="small"
                aria-label={`Reveal ${name}`}
                isDisabled={revealing}
                onPress={() => reveal(name)}
              >
                Reveal
              </Button>
            )}
          </TableCell>
        </TableRow>
      );
    }),
  ];

  return (
    <InfoCard title="Outputs">
      {error && (
        <ErrorAlert
          title="The secrets could not be revealed"
          error={error}
          hint={
            isNotAllowed(error)
              ? 'Only members of the group that owns the environment, and the platform team, can reveal its secrets.'
              : undefined
          }
        />
      )}
      {rows.length ? (
        <Table size="small" aria-label="Outputs">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Value</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>{rows}</TableBody>
        </Table>
      ) : (
        <Typography variant="body2" color="textSecondary">
          No outputs yet: they appear after the first successful apply.
        </Typography>
      )}
    </InfoCard>
  );
}
