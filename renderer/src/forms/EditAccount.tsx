import { type FormEvent, useId, useMemo, useState } from 'react';
import type { AccountSummary } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { displayName, groupsOf, typeName } from '../format';
import { DeleteDialog } from '../list/DeleteDialog';
import { QrRevealFlow } from '../scan/QrReveal';
import { useApp } from '../store';
import { InputField, TextAreaField } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { Monogram } from '../ui/Monogram';
import { PageHeader } from '../ui/PageHeader';

/** Edit what can change about an account (names, group, notes), see the rest, or delete it. */
export function EditAccount({ id }: { id: string }) {
  const account = useApp((state) => state.accounts.find((candidate) => candidate.id === id));
  if (!account) {
    return (
      <div className="screen page">
        <PageHeader title="Edit account" />
        <div className="page-body">
          <p className="form-note">This account is no longer in the vault.</p>
        </div>
      </div>
    );
  }
  return <EditForm key={account.id} account={account} />;
}

function EditForm({ account }: { account: AccountSummary }) {
  const accounts = useApp((state) => state.accounts);
  const groups = useMemo(() => groupsOf(accounts), [accounts]);
  const [issuer, setIssuer] = useState(account.issuer);
  const [label, setLabel] = useState(account.label);
  const [group, setGroup] = useState(account.group ?? '');
  const [notes, setNotes] = useState(account.notes);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [revealing, setRevealing] = useState(false);
  const groupListId = useId();

  const nameProblem = issuer.trim() === '' && label.trim() === '' ? 'Give the account a name: the service, the account, or both.' : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (nameProblem) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await call('accounts:edit', {
        id: account.id,
        changes: { issuer: issuer.trim(), label: label.trim(), group: group.trim() === '' ? null : group.trim(), notes },
      });
      const state = useApp.getState();
      state.select(saved.id);
      state.setView({ name: 'list' });
      state.showToast(`Saved ${displayName(saved)}`);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  }

  const back = () => useApp.getState().setView({ name: 'list' });
  return (
    <div className="screen page">
      <PageHeader title="Edit account" />
      <div className="page-body">
        <div className="identity">
          <Monogram account={{ issuer, label }} size="lg" />
          <div>
            <p className="identity-title">{issuer.trim() || label.trim() || 'Unnamed account'}</p>
            <p className="identity-sub">
              {typeName(account.type)}
              {account.type !== 'steam' && ` · ${account.algorithm.replace('SHA', 'SHA-')} · ${account.digits} digits`}
              {account.type === 'totp' && ` · every ${account.period} s`}
              {account.type === 'hotp' && ` · counter ${account.counter}`}
            </p>
          </div>
        </div>
        <form className="form" onSubmit={(event) => void submit(event)} noValidate>
          <div className="form-grid two">
            <InputField label="Service" value={issuer} maxLength={256} onChange={(event) => setIssuer(event.target.value)} error={nameProblem} />
            <InputField label="Account name" value={label} maxLength={256} onChange={(event) => setLabel(event.target.value)} />
          </div>
          <InputField label="Group" placeholder="None" list={groupListId} value={group} maxLength={256} onChange={(event) => setGroup(event.target.value)} hint="Filter the list by group; leave empty for none." />
          <datalist id={groupListId}>
            {groups.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <TextAreaField label="Notes" rows={4} value={notes} maxLength={10_000} onChange={(event) => setNotes(event.target.value)} hint="Kept encrypted in the vault with the account." />
          {error && (
            <div role="alert" className="notice notice-error">
              <Icon name="alert" size={16} />
              <p>{error}</p>
            </div>
          )}
          <div className="form-actions">
            <button type="button" className="button secondary" onClick={back}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy || nameProblem !== null}>
              Save
            </button>
          </div>
        </form>
        <section className="move-zone" aria-labelledby="move-title">
          <div>
            <h2 id="move-title" className="danger-title">
              Move to a phone
            </h2>
            <p className="danger-text">Show this account as a QR code to scan with an authenticator app.</p>
          </div>
          <button type="button" className="button secondary" onClick={() => setRevealing(true)}>
            <Icon name="qr" size={16} />
            Show QR code
          </button>
        </section>
        <section className="danger-zone" aria-labelledby="danger-title">
          <div>
            <h2 id="danger-title" className="danger-title">
              Delete this account
            </h2>
            <p className="danger-text">Removes it and its secret from the vault.</p>
          </div>
          <button type="button" className="button danger-outline" onClick={() => setDeleting(true)}>
            <Icon name="trash" size={16} />
            Delete…
          </button>
        </section>
      </div>
      {revealing && <QrRevealFlow request={{ kind: 'account', id: account.id, name: displayName(account) }} onClose={() => setRevealing(false)} />}
      {deleting && <DeleteDialog account={account} onClose={() => setDeleting(false)} onDeleted={back} />}
    </div>
  );
}
