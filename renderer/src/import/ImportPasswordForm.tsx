import { type FormEvent, type ReactNode, useState } from 'react';
import { Icon } from '../ui/Icon';

interface ImportPasswordFormProps {
  /** The input's id, which its label names. */
  inputId: string;
  title: ReactNode;
  summary: string | null;
  label: string;
  hint: string;
  /** What the field holds when it appears (the password just tried, when it was wrong). */
  initialPassword?: string;
  onOpen: (password: string) => void;
  onCancel: () => void;
}

/**
 * A password an import needs before it can go on: an encrypted export file's, or the password of the
 * vault a Latchkey backup was made from when its backup codes are sealed with it. Used once, not kept.
 */
export function ImportPasswordForm({ inputId, title, summary, label, hint, initialPassword = '', onOpen, onCancel }: ImportPasswordFormProps) {
  const [password, setPassword] = useState(initialPassword);
  return (
    <form
      className="import-password"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (password !== '') onOpen(password);
      }}
    >
      <h2 className="import-title">
        <Icon name="lock" size={16} /> {title}
      </h2>
      {summary && <p className="import-summary">{summary}</p>}
      <label className="field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className="import-password-row">
        <input id={inputId} className="input" type="password" autoComplete="off" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />
        <button type="submit" className="button primary" disabled={password === ''}>
          Open
        </button>
      </div>
      <p className="field-hint">{hint}</p>
      <div className="import-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          Choose other files
        </button>
      </div>
    </form>
  );
}
