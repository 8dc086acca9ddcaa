import { type FormEvent, useState } from 'react';
import { Icon } from '../ui/Icon';

/**
 * A Latchkey backup whose backup codes and provider credentials are sealed with the password of the
 * vault it was made from (not the backup password): that password opens them once, to be sealed
 * again for this vault. Without it nothing is imported, so no account arrives without its codes.
 */
export function SourceVaultPasswordForm({ fileName, onOpen, onCancel }: { fileName: string; onOpen: (password: string) => void; onCancel: () => void }) {
  const [password, setPassword] = useState('');
  return (
    <form
      className="import-password"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (password !== '') onOpen(password);
      }}
    >
      <h2 className="import-title">
        <Icon name="lock" size={16} /> The backup codes in {fileName} are sealed
      </h2>
      <p className="import-summary">They are sealed with the password of the vault the backup was made from, which is not the backup password.</p>
      <label className="field-label" htmlFor="import-source-vault-password">
        Password of that vault
      </label>
      <div className="import-password-row">
        <input id="import-source-vault-password" className="input" type="password" autoComplete="off" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />
        <button type="submit" className="button primary" disabled={password === ''}>
          Open
        </button>
      </div>
      <p className="field-hint">It opens the codes and provider credentials once, here, to store them as this vault keeps its own. It is not kept.</p>
      <div className="import-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          Choose other files
        </button>
      </div>
    </form>
  );
}
