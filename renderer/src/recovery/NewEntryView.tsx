import { useState } from 'react';
import { call } from '../api';
import { useApp } from '../store';
import { InputField } from '../ui/Field';
import { PageHeader } from '../ui/PageHeader';
import { AddCodes } from './AddCodes';
import { useRecovery } from './recovery-store';

/**
 * An entry that holds backup codes and no authenticator secret: for a service whose login codes
 * come from a hardware key, SMS or another phone. It is listed and searched like any account.
 */
export function NewEntryView() {
  const [issuer, setIssuer] = useState('');
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function save(text: string, source: 'pasted' | 'file') {
    if (issuer.trim() === '' && label.trim() === '') {
      setProblem('Give the service or the account name, so you can find it when you need it.');
      return;
    }
    await useRecovery.getState().withCodes(async () => {
      const entry = await call('recovery:addEntry', { issuer, label, text, source });
      await useApp.getState().loadAccounts();
      await useRecovery.getState().load();
      useApp.getState().showToast(`Saved backup codes for ${entry.issuer || entry.label}`);
      useApp.getState().setView({ name: 'recovery', accountId: entry.id });
    });
  }

  return (
    <div className="screen page">
      <PageHeader title="Backup codes only" />
      <div className="page-body recovery-page">
        <p className="form-note">For a service whose login codes come from somewhere else (a security key, text messages, another phone): keep its backup codes here.</p>
        <InputField label="Service" autoComplete="off" value={issuer} onChange={(event) => setIssuer(event.target.value)} error={problem} maxLength={256} />
        <InputField label="Account name" autoComplete="off" value={label} onChange={(event) => setLabel(event.target.value)} maxLength={256} />
        <AddCodes replacing={false} onSave={save} onCancel={() => useApp.getState().setView({ name: 'risk' })} />
      </div>
    </div>
  );
}
