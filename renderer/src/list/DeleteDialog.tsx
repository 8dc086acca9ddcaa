import { useState } from 'react';
import type { AccountSummary } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { displayName, primaryName } from '../format';
import { useApp } from '../store';
import { ConfirmDialog } from '../ui/Dialog';
import { BackupCodesGoToo } from '../recovery/RecoveryBits';

/** "Delete GitHub (alice@example.com)?": the account is named, and what deleting it means is said. */
export function DeleteDialog({ account, onClose, onDeleted }: { account: AccountSummary; onClose: () => void; onDeleted?: () => void }) {
  const showToast = useApp((state) => state.showToast);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await call('accounts:remove', { id: account.id });
      showToast(`Deleted ${displayName(account)}`);
      onDeleted?.();
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog title={`Delete ${displayName(account)}?`} confirmLabel="Delete" tone="danger" busy={busy} onConfirm={() => void confirm()} onCancel={onClose}>
      <p>
        Its codes will be gone from Latchkey. Before you delete it, make sure you can still sign in to {primaryName(account)} another way, or have turned
        two-factor sign-in off there.
      </p>
      <BackupCodesGoToo accountId={account.id} />
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
