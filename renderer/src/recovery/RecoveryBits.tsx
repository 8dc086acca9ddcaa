import type { RecoveryWarning } from '../../../shared/recovery';
import { call } from '../api';
import { requestPasswordForm } from '../settings/password-request';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { useRecovery } from './recovery-store';

export const WARNING_TEXT: Record<RecoveryWarning, string> = {
  'none-at-all': 'no backup codes',
  'none-left': 'none left',
  low: 'running low',
  old: 'over a year old',
};

export function WarningText({ warnings }: { warnings: RecoveryWarning[] }) {
  return <span className="recovery-warning">{warnings.map((warning) => WARNING_TEXT[warning]).join(', ')}</span>;
}

/** Says plainly what protects the codes, and offers the password where only the keychain does. */
export function ProtectionNotice() {
  const status = useRecovery((state) => state.status);
  if (!status) return null;
  if (status.protection === 'keychain-only') {
    return (
      <div className="notice notice-warn" data-testid="protection-notice">
        <Icon name="shield" size={16} />
        <div>
          <p>Only the system keychain protects these codes: anyone who can open your vault can read them.</p>
          <p className="notice-more">Add a vault password and Latchkey seals the codes with it a second time.</p>
        </div>
        <button
          type="button"
          className="button secondary small"
          onClick={() => {
            requestPasswordForm();
            useApp.getState().setView({ name: 'settings' });
          }}
        >
          Add a password
        </button>
      </div>
    );
  }
  if (status.protection === 'needs-password') {
    return (
      <div className="notice notice-info" data-testid="protection-notice">
        <Icon name="shield" size={16} />
        <p>Latchkey will ask for your vault password once, to seal backup codes with it.</p>
      </div>
    );
  }
  return (
    <div className="notice notice-info" data-testid="protection-notice">
      <Icon name="shield" size={16} />
      <p>
        Sealed with your vault password.{' '}
        {status.unsealedUntil
          ? `You entered it, so codes can be shown without asking until ${new Date(status.unsealedUntil).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}.`
          : 'Revealing a code asks for it.'}
      </p>
      {status.unsealedUntil && (
        <button type="button" className="button secondary small" onClick={() => void call('recovery:forget').then((next) => useRecovery.setState({ status: next }))}>
          Lock codes now
        </button>
      )}
    </div>
  );
}

/** In the delete dialog: an account's backup codes are deleted with it, so say how many. */
export function BackupCodesGoToo({ accountId }: { accountId: string }) {
  const recovery = useRecovery((state) => state.byAccount[accountId]);
  const stored = recovery?.sets.reduce((sum, set) => sum + set.count, 0) ?? 0;
  if (stored === 0) return null;
  const unused = recovery?.unused ?? 0;
  return (
    <p className="recovery-warning" data-testid="delete-backup-codes">
      Its {stored} backup code{stored === 1 ? '' : 's'} ({unused} unused) will be deleted with it. Print or copy them first if you may still need them.
    </p>
  );
}
