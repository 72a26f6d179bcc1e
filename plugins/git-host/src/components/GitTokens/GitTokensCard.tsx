import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Button,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import { GitToken } from '../../api';
import { RelativeTime } from '../common';
import { RevokeTokenDialog } from './RevokeTokenDialog';

function isLive(token: GitToken): boolean {
  return !token.revokedAt && new Date(token.expiresAt).getTime() > Date.now();
}

function Expiry({ token }: { token: GitToken }) {
  if (token.revokedAt) {
    return (
      <>
        Revoked <RelativeTime date={token.revokedAt} />
      </>
    );
  }
  if (!isLive(token)) {
    return (
      <>
        Expired <RelativeTime date={token.expiresAt} />
      </>
    );
  }
  return <RelativeTime date={token.expiresAt} />;
}

function TokenRow({
  token,
  onRevoke,
}: {
  token: GitToken;
  onRevoke: (token: GitToken) => void;
}) {
  return (
    <TableRow>
      <TableCell>{token.name}</TableCell>
      <TableCell>
        {token.repository
          ? `Deploy token of ${token.repository} (${token.scope})`
          : `Personal (${token.scope})`}
      </TableCell>
      <TableCell>
        <RelativeTime date={token.createdAt} />
      </TableCell>
      <TableCell>
        <Expiry token={token} />
      </TableCell>
      <TableCell>
        {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} /> : 'never'}
      </TableCell>
      <TableCell align="right">
        {isLive(token) && (
          <Button
            size="small"
            color="secondary"
            onClick={() => onRevoke(token)}
            aria-label={`Revoke ${token.name}`}
          >
            Revoke
          </Button>
        )}
      </TableCell>
    </TableRow>
  );
}

/**
 * The signed-in user's git tokens and the deploy tokens they issued: when
 * each was made, expires and was last used, and a way to revoke it.
 */
export function GitTokensCard({
  tokens,
  loading,
  error,
  onChange,
}: {
  tokens?: GitToken[];
  loading: boolean;
  error?: Error;
  onChange: () => void;
}) {
  const [revoking, setRevoking] = useState<GitToken>();

  let body;
  if (tokens?.length) {
    body = (
      <Table size="small" aria-label="Your git tokens">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell>Created</TableCell>
            <TableCell>Expires</TableCell>
            <TableCell>Last used</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {tokens.map(token => (
            <TokenRow key={token.id} token={token} onRevoke={setRevoking} />
          ))}
        </TableBody>
      </Table>
    );
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (loading) {
    body = <Progress />;
  } else {
    body = (
      <Typography variant="body2" color="textSecondary">
        You have no git tokens. Get one with “Get a git token” above; git uses
        it as the password to clone and push.
      </Typography>
    );
  }

  return (
    <InfoCard title="Your git tokens">
      {body}
      {revoking && (
        <RevokeTokenDialog
          token={revoking}
          onClose={() => setRevoking(undefined)}
          onRevoked={() => {
            setRevoking(undefined);
            onChange();
          }}
        />
      )}
    </InfoCard>
  );
}
