import { Button } from '@backstage/ui';
import { useState } from 'react';
import { IssueTokenDialog } from './IssueTokenDialog';

/** Opens the dialog that issues a personal git token. */
export function GitTokenButton({ onIssued }: { onIssued: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onPress={() => setOpen(true)}>
        Get a git token
      </Button>
      {open && (
        <IssueTokenDialog onClose={() => setOpen(false)} onIssued={onIssued} />
      )}
    </>
  );
}
