import { type FormEvent, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../shared/ipc';
import { call, errorMessage } from '../api';
import { Icon } from '../ui/Icon';

type Status = ChannelOutput<'backup:status'>;

function when(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Automatic backups: on with a folder, a backup password and how many to keep; the last backup and any failure. */
export function AutoBackupSection() {
  const [status, setStatus] = useState<Status | null>(null);
  const [password, setPassword] = useState('');
  const [keep, setKeep] = useState('10');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    call('backup:status').then(setStatus, (caught: unknown) => setError(errorMessage(caught)));
  }, []);

  async function run(action: () => Promise<Status>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setStatus(await action());
      setPassword('');
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  const keepNumber = /^\d{1,4}$/.test(keep) ? Number(keep) : NaN;
  const keepValid = keepNumber >= 1 && keepNumber <= 1000;

  return (
    <section className="import-preview auto-backup" aria-labelledby="auto-backup-title">
      <h2 id="auto-backup-title" className="import-title">
        Automatic backups
      </h2>
      <p className="import-summary">After every change, an encrypted Latchkey backup in a folder you choose (a synced folder works), keeping the newest ones.</p>
      {status?.enabled ? (
        <>
          <p className="auto-backup-state" role="status">
            On: {status.folder}, keeping the last {status.keep}. {status.lastBackupAt ? `Last backup ${when(status.lastBackupAt)}.` : 'No backup written yet.'}
          </p>
          {status.lastError && (
            <div className="notice notice-error" role="alert">
              <Icon name="alert" size={16} />
              <p>The last backup failed: {status.lastError}</p>
            </div>
          )}
          <div className="import-actions">
            <button type="button" className="button secondary" disabled={busy} onClick={() => void run(() => call('backup:disable'))}>
              Turn off
            </button>
            <button type="button" className="button secondary" disabled={busy} onClick={() => void run(() => call('backup:now'))}>
              Back up now
            </button>
          </div>
        </>
      ) : (
        <form
          className="export-passwords"
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            if (password !== '' && keepValid) void run(() => call('backup:enable', { password, keep: keepNumber }));
          }}
        >
          <div className="field">
            <label className="field-label" htmlFor="auto-backup-password">
              Backup password
            </label>
            <input id="auto-backup-password" className="input" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />
            <p className="field-hint">Opens the backups on any computer. Keep it somewhere other than the backups.</p>
          </div>
          <div className={`field ${keepValid ? '' : 'field-invalid'}`}>
            <label className="field-label" htmlFor="auto-backup-keep">
              Backups to keep
            </label>
            <input id="auto-backup-keep" className="input auto-backup-keep" inputMode="numeric" value={keep} onChange={(event) => setKeep(event.target.value)} aria-invalid={!keepValid} />
            {!keepValid && <p className="field-error">Enter a whole number from 1 to 1000.</p>}
          </div>
          <div className="import-actions">
            <button type="submit" className="button primary" disabled={busy || password === '' || !keepValid}>
              Choose a folder and turn on…
            </button>
          </div>
        </form>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          <Icon name="alert" size={16} />
          <p>{error}</p>
        </div>
      )}
    </section>
  );
}
