import { type FormEvent, useId, useRef, useState } from 'react';
import { takePasswordFormRequest } from './password-request';
import { call, errorMessage, isApiError } from '../api';
import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';
import { InputField } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { SwitchRow } from '../ui/Switch';
import { Section } from './Section';

/**
 * The vault's key slots: the system keychain on or off, and the password set or changed. Every
 * change gives the vault and its backups a new key (main does that), needs the current password
 * when there is one, and is confirmed in a dialog that says what will happen.
 */
export function UnlockMethods() {
  const status = useApp((state) => state.status);
  const setStatus = useApp((state) => state.setStatus);
  const showToast = useApp((state) => state.showToast);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [keychainDialog, setKeychainDialog] = useState<'on' | 'off' | null>(null);
  const [editingPassword, setEditingPassword] = useState(() => takePasswordFormRequest() && status?.hasPasswordSlot === false);
  if (!status) return null;

  function onKeychainSwitch(enabled: boolean) {
    setKeychainError(null);
    // Without a password the keychain is the only way in: main refuses to remove it and says why.
    if (!status?.hasPasswordSlot) {
      call('vault:setKeychainSlot', { enabled })
        .then(setStatus)
        .catch((caught: unknown) => setKeychainError(errorMessage(caught)));
      return;
    }
    setKeychainDialog(enabled ? 'on' : 'off');
  }

  return (
    <Section title="Unlocking">
      <SwitchRow
        label="System keychain"
        description="Opens the vault without typing while you are signed in to this computer."
        checked={status.hasKeychainSlot}
        disabled={keychainDialog !== null}
        onChange={onKeychainSwitch}
      />
      {keychainError && (
        <div role="alert" className="notice notice-error notice-inset">
          <Icon name="alert" size={16} />
          <p>{keychainError}</p>
        </div>
      )}
      {keychainDialog && (
        <KeychainDialog
          enable={keychainDialog === 'on'}
          onClose={(changed) => {
            setKeychainDialog(null);
            if (changed) showToast(keychainDialog === 'on' ? 'The system keychain now opens the vault.' : 'The system keychain no longer opens the vault.');
          }}
        />
      )}
      <div className="setting-row">
        <div className="setting-text">
          <span className="setting-label">Password</span>
          <p className="setting-description">
            {status.hasPasswordSlot ? 'Set. Opens the vault on any computer, even without the keychain.' : 'Not set. Add one to open the vault if the keychain is ever lost.'}
          </p>
        </div>
        {!editingPassword && (
          <button type="button" className="button secondary small" onClick={() => setEditingPassword(true)}>
            {status.hasPasswordSlot ? 'Change password' : 'Set a password'}
          </button>
        )}
      </div>
      {editingPassword && (
        <PasswordForm
          changing={status.hasPasswordSlot}
          onDone={(changed) => {
            setEditingPassword(false);
            if (changed) showToast(status.hasPasswordSlot ? 'Password changed.' : 'Password set.');
          }}
        />
      )}
    </Section>
  );
}

/** Turning the keychain on or off, with the current password, after saying what happens. */
function KeychainDialog({ enable, onClose }: { enable: boolean; onClose: (changed: boolean) => void }) {
  const setStatus = useApp((state) => state.setStatus);
  const [currentPassword, setCurrentPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (currentPassword === '') {
      setError('Enter the current password.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setStatus(await call('vault:setKeychainSlot', { enabled: enable, currentPassword }));
      onClose(true);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
      inputRef.current?.select();
    }
  }

  return (
    <Dialog
      title={enable ? 'Unlock with the system keychain?' : 'Stop unlocking with the system keychain?'}
      tone={enable ? 'default' : 'danger'}
      onClose={() => onClose(false)}
      actions={
        <>
          <button type="button" className="button secondary" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" form={formId} className={`button ${enable ? 'primary' : 'danger'}`} disabled={busy}>
            {enable ? 'Turn on' : 'Turn off'}
          </button>
        </>
      }
    >
      {/* The sentence inside the form, as in the other password dialogs: the same spacing above the field. */}
      <form id={formId} className="form" onSubmit={(event) => void submit(event)} noValidate>
        <p>
          {enable
            ? 'This computer’s keychain will hold a key that opens the vault without typing while you are signed in.'
            : 'You will type your password to open the vault. This computer’s keychain entry for it is deleted.'}{' '}
          The vault and its backups get a new key.
        </p>
        <InputField
          label="Current password"
          type="password"
          autoComplete="current-password"
          autoFocus
          inputRef={inputRef}
          value={currentPassword}
          error={error}
          onChange={(event) => setCurrentPassword(event.target.value)}
        />
      </form>
    </Dialog>
  );
}

interface PasswordChange {
  password: string;
  currentPassword: string | undefined;
}

function PasswordForm({ changing, onDone }: { changing: boolean; onDone: (changed: boolean) => void }) {
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [currentError, setCurrentError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [pending, setPending] = useState<PasswordChange | null>(null);
  const currentRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const confirmRef = useRef<HTMLInputElement>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setCurrentError(null);
    setError(null);
    setConfirmError(null);
    if (changing && currentPassword === '') {
      setCurrentError('Enter the current password.');
      currentRef.current?.focus();
      return;
    }
    if (password === '') {
      setError('Enter a password.');
      passwordRef.current?.focus();
      return;
    }
    if (password !== confirm) {
      setConfirmError('The two passwords are not the same.');
      confirmRef.current?.focus();
      return;
    }
    setPending({ password, currentPassword: changing ? currentPassword : undefined });
  }

  function failed(caught: unknown) {
    setPending(null);
    if (isApiError(caught, 'WRONG_PASSWORD') || isApiError(caught, 'PASSWORD_REQUIRED')) {
      setCurrentError(errorMessage(caught));
      currentRef.current?.select();
    } else {
      setError(errorMessage(caught));
    }
  }

  return (
    <form className="inset-form" onSubmit={submit} noValidate>
      {changing && (
        <InputField
          label="Current password"
          type="password"
          autoComplete="current-password"
          autoFocus
          inputRef={currentRef}
          value={currentPassword}
          error={currentError}
          onChange={(event) => setCurrentPassword(event.target.value)}
        />
      )}
      <InputField label="New password" type="password" autoComplete="new-password" autoFocus={!changing} inputRef={passwordRef} value={password} error={error} onChange={(event) => setPassword(event.target.value)} />
      <InputField label="Confirm new password" type="password" autoComplete="new-password" inputRef={confirmRef} value={confirm} error={confirmError} onChange={(event) => setConfirm(event.target.value)} />
      <div className="form-actions">
        <button type="button" className="button secondary small" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="submit" className="button primary small" disabled={pending !== null}>
          {changing ? 'Change password' : 'Set password'}
        </button>
      </div>
      {pending && <ConfirmPasswordChange change={pending} changing={changing} onCancel={() => setPending(null)} onDone={() => onDone(true)} onError={failed} />}
    </form>
  );
}

/** Says what a password change does, and does it. */
function ConfirmPasswordChange({ change, changing, onCancel, onDone, onError }: { change: PasswordChange; changing: boolean; onCancel: () => void; onDone: () => void; onError: (error: unknown) => void }) {
  const setStatus = useApp((state) => state.setStatus);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    try {
      setStatus(await call('vault:setPassword', change.currentPassword === undefined ? { password: change.password } : { password: change.password, currentPassword: change.currentPassword }));
      onDone();
    } catch (caught) {
      onError(caught);
    }
  }

  return (
    <Dialog
      title={changing ? 'Change the password?' : 'Set a password?'}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => void confirm()} disabled={busy} autoFocus>
            {changing ? 'Change password' : 'Set password'}
          </button>
        </>
      }
    >
      {changing ? (
        <>
          <p>The vault and its backups in this folder get a new key, and the old password stops opening them.</p>
          <p>A copy kept somewhere else (a synced folder, a disk backup) still opens with the old password, as it was when copied.</p>
        </>
      ) : (
        <>
          <p>The password will open this vault on any computer, even without the keychain.</p>
          <p>Latchkey checks with the system keychain once more, and the vault and its backups get a new key.</p>
        </>
      )}
    </Dialog>
  );
}
