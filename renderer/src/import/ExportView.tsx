import { type FormEvent, useState } from 'react';
import { call, errorMessage, isApiError } from '../api';
import { useRecovery } from '../recovery/recovery-store';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { AutoBackupSection } from './AutoBackupSection';
import './import.css';

type Format = 'latchkey' | 'aegis' | 'aegis-plain' | 'uris' | 'qr-html';

const FORMATS: { value: Format; title: string; description: string; encrypted: boolean }[] = [
  { value: 'latchkey', title: 'Latchkey backup', description: 'Everything in the vault, encrypted with a password of its own. Restores Latchkey on this or another computer.', encrypted: true },
  { value: 'aegis', title: 'Aegis, encrypted', description: 'An encrypted vault that Aegis on Android imports, with groups and notes.', encrypted: true },
  { value: 'aegis-plain', title: 'Aegis, unencrypted', description: 'A plain Aegis vault, for apps that read only that.', encrypted: false },
  { value: 'uris', title: 'otpauth:// links, unencrypted', description: 'One link per account, which nearly every authenticator reads.', encrypted: false },
  { value: 'qr-html', title: 'Sheet of QR codes, unencrypted', description: 'A page to print or to scan with a phone, one QR code per account.', encrypted: false },
];

/** Export every account to a file main writes: encrypted formats with a password, plain ones after a warning. */
export function ExportView() {
  const accounts = useApp((state) => state.accounts.length);
  const showToast = useApp((state) => state.showToast);
  const [format, setFormat] = useState<Format>('latchkey');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const chosen = FORMATS.find((option) => option.value === format) ?? FORMATS[0];
  const encrypted = chosen?.encrypted ?? true;
  const mismatch = encrypted && repeat !== '' && password !== repeat;
  const ready = encrypted ? password !== '' && password === repeat : understood;

  /** Writes the file; a Latchkey backup asks main for the codes opened (RECOVERY_SEALED when the password is needed). */
  async function exportNow(): Promise<void> {
    const result = await call('export:save', encrypted ? { format, password, requireOpenSeal: format === 'latchkey' } : { format, confirmedUnencrypted: true });
    if (result.path !== null) {
      setSaved(`Saved ${result.accounts} account${result.accounts === 1 ? '' : 's'} to ${result.path}.`);
      showToast('Export saved');
    }
  }

  async function run(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      await work();
    } catch (caught) {
      // The backup codes are sealed with the vault password: ask for it, then export again.
      if (isApiError(caught, 'RECOVERY_SEALED')) useRecovery.setState({ passwordPrompt: { retry: () => run(exportNow) } });
      else setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!ready) return;
    await run(exportNow);
  }

  return (
    <div className="screen page">
      <PageHeader title="Export accounts" />
      <div className="page-body import-body">
        <form className="import-body export-form" onSubmit={(event) => void submit(event)}>
          <fieldset className="export-formats">
            <legend className="field-label">Format ({accounts} account{accounts === 1 ? '' : 's'})</legend>
            {FORMATS.map((option) => (
              <label key={option.value} className={`export-format ${option.value === format ? 'export-format-on' : ''}`}>
                <input
                  type="radio"
                  name="export-format"
                  value={option.value}
                  checked={option.value === format}
                  onChange={() => {
                    setFormat(option.value);
                    setUnderstood(false);
                    setSaved(null);
                  }}
                />
                <span className="import-entry-text">
                  <span className="import-entry-name">
                    {option.title} {!option.encrypted && <span className="export-plain-tag">unencrypted</span>}
                  </span>
                  <span className="import-entry-meta">{option.description}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {encrypted ? (
            <div className="export-passwords">
              <div className="field">
                <label className="field-label" htmlFor="export-password">
                  Password for the file
                </label>
                <input id="export-password" className="input" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />
              </div>
              <div className={`field ${mismatch ? 'field-invalid' : ''}`}>
                <label className="field-label" htmlFor="export-repeat">
                  Repeat the password
                </label>
                <input id="export-repeat" className="input" type="password" autoComplete="new-password" value={repeat} onChange={(event) => setRepeat(event.target.value)} aria-describedby="export-repeat-hint" aria-invalid={mismatch} />
                <p id="export-repeat-hint" className={mismatch ? 'field-error' : 'field-hint'}>
                  {mismatch ? 'The two passwords differ.' : 'Without it the file cannot be opened: keep it somewhere other than the file.'}
                </p>
              </div>
            </div>
          ) : (
            <div className="notice notice-error export-warning" role="note">
              <Icon name="alert" size={16} />
              <div>
                <p>
                  <strong>This file will hold every secret unencrypted.</strong> Anyone who gets a copy of it (a synced folder, a shared computer, a backup) can make your login codes. Delete it once the accounts are moved.
                </p>
                <label className="export-understood">
                  <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />I understand; write the unencrypted file
                </label>
              </div>
            </div>
          )}
          {error && (
            <div className="notice notice-error" role="alert">
              <Icon name="alert" size={16} />
              <p>{error}</p>
            </div>
          )}
          {saved && (
            <p className="notice" role="status">
              {saved}
            </p>
          )}
          <div className="import-actions">
            <button type="submit" className="button primary" disabled={!ready || busy || accounts === 0}>
              {busy ? 'Exporting…' : 'Export…'}
            </button>
          </div>
        </form>
        <AutoBackupSection />
      </div>
    </div>
  );
}
