import { useMemo, useState } from 'react';
import type { AccountSummary } from '../../../shared/domain';
import type { RecoveryWarning } from '../../../shared/recovery';
import { call } from '../api';
import { displayName } from '../format';
import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { ProtectionNotice } from './RecoveryBits';
import { useRecovery } from './recovery-store';

const SECTIONS: { warning: RecoveryWarning; title: string; help: string }[] = [
  { warning: 'none-left', title: 'Every code used', help: 'Make new codes at the service and add them.' },
  { warning: 'low', title: 'Two or fewer left', help: 'Make new codes before the last one is gone.' },
  { warning: 'none-at-all', title: 'No backup codes', help: 'Lose this device and these accounts have no way back in through Latchkey.' },
  { warning: 'old', title: 'Codes older than a year', help: 'Check they still work, or make new ones.' },
];

/** Lockout risk at a glance, one click from adding codes for each account, and the recovery sheet. */
export function RiskView() {
  const accounts = useApp((state) => state.accounts);
  const byAccount = useRecovery((state) => state.byAccount);
  const [printing, setPrinting] = useState(false);
  const safe = accounts.filter((account) => (byAccount[account.id]?.warnings.length ?? 1) === 0).length;

  return (
    <div className="screen page">
      <PageHeader title="Lockout risk">
        <button type="button" className="button secondary small page-header-action" onClick={() => setPrinting(true)}>
          Recovery sheet…
        </button>
      </PageHeader>
      <div className="page-body recovery-page">
        <p className="risk-summary" data-testid="risk-summary">
          {accounts.length === 0
            ? 'No accounts yet. Add an account from the list, or keep the backup codes of a service here.'
            : `${safe} of ${accounts.length} account${accounts.length === 1 ? '' : 's'} ready for a lost phone.`}
        </p>
        <ProtectionNotice />
        {SECTIONS.map(({ warning, title, help }) => {
          const atRisk = accounts.filter((account) => byAccount[account.id]?.warnings.includes(warning));
          if (atRisk.length === 0) return null;
          return (
            <section key={warning} className="settings-section" aria-label={title} data-testid={`risk-${warning}`}>
              <h2 className="settings-heading">
                {title} <span className="risk-count">{atRisk.length}</span>
              </h2>
              <p className="form-note">{help}</p>
              <div className="settings-card">
                {atRisk.map((account) => (
                  <div key={account.id} className="setting-row">
                    <div className="setting-text">
                      <span className="setting-label">{displayName(account)}</span>
                      <span className="setting-description">{describe(byAccount[account.id]?.unused ?? 0, byAccount[account.id]?.total ?? 0)}</span>
                    </div>
                    <button
                      type="button"
                      className="button secondary small"
                      aria-label={`Add codes for ${displayName(account)}`}
                      onClick={() => useApp.getState().setView({ name: 'recovery', accountId: account.id, adding: true })}
                    >
                      <Icon name="plus" size={14} /> Add codes
                    </button>
                  </div>
                ))}
              </div>
            </section>
          );
        })}
        {accounts.length > 0 && safe === accounts.length && (
          <div className="notice notice-info">
            <Icon name="check" size={16} />
            <p>Every account has fresh backup codes.</p>
          </div>
        )}
        <div className="risk-more">
          <p className="form-note">Backup codes for a service whose login codes come from a security key, SMS or another phone?</p>
          <button type="button" className="button secondary" onClick={() => useApp.getState().setView({ name: 'recoveryEntry' })}>
            <Icon name="plus" size={16} /> Backup codes only…
          </button>
        </div>
      </div>
      {printing && <SheetDialog accounts={accounts} onClose={() => setPrinting(false)} />}
    </div>
  );
}

function describe(unused: number, total: number): string {
  if (total === 0) return 'No codes stored';
  return `${unused} of ${total} unused`;
}

/** Chooses accounts for the printable sheet; the PDF is made and saved by the main process. */
function SheetDialog({ accounts, onClose }: { accounts: AccountSummary[]; onClose: () => void }) {
  const byAccount = useRecovery((state) => state.byAccount);
  const withCodes = useRecovery((state) => state.withCodes);
  const withCodesIds = useMemo(() => accounts.filter((account) => (byAccount[account.id]?.unused ?? 0) > 0).map((account) => account.id), [accounts, byAccount]);
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(withCodesIds));
  const [includeQr, setIncludeQr] = useState(false);
  const [busy, setBusy] = useState(false);

  const save = () =>
    withCodes(async () => {
      setBusy(true);
      try {
        const result = await call('recovery:printSheet', { accountIds: accounts.filter((account) => chosen.has(account.id)).map((account) => account.id), includeQr });
        if (result.saved) {
          useApp.getState().showToast(`Saved ${result.fileName ?? 'the recovery sheet'}`);
          onClose();
        }
      } finally {
        setBusy(false);
      }
    });

  return (
    <Dialog
      title="Print a recovery sheet"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" disabled={chosen.size === 0 || busy} onClick={() => void save()}>
            {busy ? 'Saving…' : 'Save PDF…'}
          </button>
        </>
      }
    >
      <p>The sheet lists each account’s unused backup codes and today’s date. Keep the paper like a house key: locked away, never photographed.</p>
      <fieldset className="sheet-accounts">
        <legend className="field-label">Accounts</legend>
        {accounts.map((account) => (
          <label key={account.id} className="sheet-account">
            <input
              type="checkbox"
              checked={chosen.has(account.id)}
              onChange={(event) =>
                setChosen((before) => {
                  const next = new Set(before);
                  if (event.target.checked) next.add(account.id);
                  else next.delete(account.id);
                  return next;
                })
              }
            />
            <span className="sheet-account-name">{displayName(account)}</span>
            <span className="sheet-account-count">{byAccount[account.id]?.unused ?? 0} unused</span>
          </label>
        ))}
      </fieldset>
      <label className="sheet-account">
        <input type="checkbox" checked={includeQr} onChange={(event) => setIncludeQr(event.target.checked)} />
        Include each account’s setup QR code (anyone with the paper can then make its login codes)
      </label>
    </Dialog>
  );
}
