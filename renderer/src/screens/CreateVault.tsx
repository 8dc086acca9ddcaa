import { type FormEvent, useRef, useState } from 'react';
import { call, errorMessage, isApiError } from '../api';
import { fileToBase64 } from '../import/read-files';
import '../import/import.css';
import { useApp } from '../store';
import { InputField } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { Logo } from '../ui/Logo';

/** First run: a new vault, opened by the system keychain (on by default), a password, or both. */
export function CreateVault() {
  const setStatus = useApp((state) => state.setStatus);
  const [useKeychain, setUseKeychain] = useState(true);
  const [keychainUnavailable, setKeychainUnavailable] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);
  const backupInputRef = useRef<HTMLInputElement>(null);
  const [backup, setBackup] = useState<File | null>(null);
  const [backupPassword, setBackupPassword] = useState('');
  /** Asked when the backup's codes are sealed with the password of the vault it was made from. */
  const [sourceVaultPassword, setSourceVaultPassword] = useState<string | null>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setConfirmError(null);
    if (!useKeychain && password === '') {
      setError('Choose a password, or turn on the system keychain: the vault needs at least one way to open.');
      passwordRef.current?.focus();
      return;
    }
    if (password !== '' && password !== confirm) {
      setConfirmError('The two passwords are not the same.');
      confirmRef.current?.focus();
      return;
    }
    if (backup && backupPassword === '') {
      setError('Enter the password of the backup.');
      return;
    }
    setBusy(true);
    try {
      if (backup) {
        const data = await fileToBase64(backup);
        const source = sourceVaultPassword ? { sourceVaultPassword } : {};
        setStatus(await call('vault:restore', { backup: { name: backup.name, data }, backupPassword, password: password === '' ? null : password, useKeychain, ...source }));
        return;
      }
      setStatus(await call('vault:create', { password: password === '' ? null : password, useKeychain }));
    } catch (caught) {
      if (isApiError(caught, 'BACKUP_CODES_SEALED')) {
        setSourceVaultPassword((current) => current ?? '');
        setError(sourceVaultPassword ? 'That password does not open the backup codes either. Check it and try again.' : 'The backup codes in this backup are sealed with the password of the vault it was made from. Type that password below (or use it as the new password).');
      } else if (isApiError(caught, 'KEYCHAIN_UNAVAILABLE')) {
        setKeychainUnavailable(true);
        setUseKeychain(false);
        setError('The system keychain is not available (no Secret Service is running), so it cannot open this vault. Set a password below to create the vault with that instead.');
        passwordRef.current?.focus();
      } else {
        setError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} noValidate>
        <Logo size={52} />
        <h1 className="gate-title">Welcome to Latchkey</h1>
        <p className="gate-lead">Your two-factor codes, in an encrypted vault on this computer. Choose how it opens.</p>

        <div className="option-card">
          <div className="option-text">
            <label htmlFor="use-keychain" className="option-title">
              <Icon name="fingerprint" size={18} />
              Unlock with the system keychain
            </label>
            <p id="use-keychain-help" className="option-help">
              {keychainUnavailable
                ? 'Not available on this computer right now.'
                : 'Opens without typing while you are signed in here; a copy of the vault file taken elsewhere stays sealed.'}
            </p>
          </div>
          <input
            id="use-keychain"
            type="checkbox"
            role="switch"
            className="switch"
            checked={useKeychain}
            disabled={keychainUnavailable}
            aria-describedby="use-keychain-help"
            onChange={(event) => setUseKeychain(event.target.checked)}
          />
        </div>

        <InputField
          label={useKeychain ? 'New password (optional)' : 'New password'}
          type="password"
          autoComplete="new-password"
          inputRef={passwordRef}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint="Your way in on another computer or if the keychain is reset. Nobody can recover it for you."
        />
        {password !== '' && (
          <InputField
            label="Confirm password"
            type="password"
            autoComplete="new-password"
            inputRef={confirmRef}
            value={confirm}
            error={confirmError}
            onChange={(event) => setConfirm(event.target.value)}
          />
        )}

        {backup && (
          <div className="restore-backup">
            <p className="option-help">
              Restoring <strong>{backup.name}</strong> into the new vault.{' '}
              <button type="button" className="link-button" onClick={() => setBackup(null)}>
                Start empty instead
              </button>
            </p>
            <InputField label="Backup password" type="password" autoComplete="off" value={backupPassword} onChange={(event) => setBackupPassword(event.target.value)} />
            {sourceVaultPassword !== null && (
              <InputField
                label="Password of the vault the backup was made from"
                type="password"
                autoComplete="off"
                value={sourceVaultPassword}
                onChange={(event) => setSourceVaultPassword(event.target.value)}
                hint="It opens the backup codes once; they are sealed again with the new password."
              />
            )}
          </div>
        )}
        <input
          ref={backupInputRef}
          className="sr-only"
          type="file"
          accept=".json,application/json"
          aria-label="Latchkey backup file"
          onChange={(event) => {
            const file = event.target.files?.[0] ?? null;
            event.target.value = '';
            setBackup(file);
            setSourceVaultPassword(null);
            setError(null);
          }}
        />

        {error && (
          <div role="alert" className="notice notice-error">
            <Icon name="alert" size={16} />
            <p>{error}</p>
          </div>
        )}
        <button type="submit" className="button primary block" disabled={busy} aria-busy={busy || undefined}>
          {busy ? (backup ? 'Restoring…' : 'Creating…') : backup ? 'Restore vault' : 'Create vault'}
        </button>
        {!backup && (
          <p className="restore-foot">
            <button type="button" className="link-button" onClick={() => backupInputRef.current?.click()}>
              Restore from a Latchkey backup…
            </button>
          </p>
        )}
      </form>
    </main>
  );
}
