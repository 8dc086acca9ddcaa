import { type FormEvent, useState } from 'react';
import { call, errorMessage, isApiError } from '../api';
import { Dialog } from '../ui/Dialog';
import { InputField } from '../ui/Field';
import { useRecovery } from './recovery-store';

/** Asks for the vault password to open the seal around the backup codes, then retries what needed it. */
export function PasswordPrompt() {
  const prompt = useRecovery((state) => state.passwordPrompt);
  const close = useRecovery((state) => state.closePasswordPrompt);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!prompt) return null;

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!prompt || password === '') return;
    setBusy(true);
    setError(null);
    try {
      const status = await call('recovery:unseal', { password });
      useRecovery.setState({ status });
      setPassword('');
      close();
      await useRecovery.getState().withCodes(prompt.retry);
    } catch (caught) {
      setError(isApiError(caught, 'WRONG_PASSWORD') ? 'That is not the vault password.' : errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title="Password for backup codes"
      onClose={close}
      actions={
        <>
          <button type="button" className="button secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" form="recovery-password-form" className="button primary" disabled={busy || password === ''}>
            {busy ? 'Opening…' : 'Open'}
          </button>
        </>
      }
    >
      <form id="recovery-password-form" onSubmit={submit} className="form">
        <p>Backup codes are sealed with your vault password, not the keychain. It stays open for 5 minutes, or until you lock Latchkey.</p>
        <InputField label="Vault password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} error={error ?? undefined} />
      </form>
    </Dialog>
  );
}
