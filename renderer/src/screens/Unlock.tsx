import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { VaultStatus } from '../../../shared/domain';
import type { ErrorPayload } from '../../../shared/errors';
import { ApiError, call } from '../api';
import { useApp } from '../store';
import { InputField } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { Logo } from '../ui/Logo';
import { useRecovery } from '../recovery/recovery-store';

const KEYCHAIN_ERRORS = new Set(['KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_KEY_MISSING', 'NO_KEYCHAIN_SLOT']);

function toPayload(error: unknown): ErrorPayload {
  return error instanceof ApiError ? error.payload : { code: 'INTERNAL_ERROR', message: 'Something went wrong inside Latchkey.' };
}

/**
 * The locked vault. When the window opens, the keychain slot is tried without a click; after a
 * lock (or when that fails) the password field, or a keychain button, is the way in.
 */
export function Unlock({ status }: { status: VaultStatus }) {
  const setStatus = useApp((state) => state.setStatus);
  const autoUnlockDone = useApp((state) => state.autoUnlockDone);
  const markAutoUnlockDone = useApp((state) => state.markAutoUnlockDone);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ErrorPayload | null>(null);
  const [busy, setBusy] = useState<'keychain' | 'password' | null>(!autoUnlockDone && status.hasKeychainSlot ? 'keychain' : null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const unlockWithKeychain = useCallback(async () => {
    setError(null);
    setBusy('keychain');
    try {
      setStatus(await call('vault:unlock', {}));
    } catch (caught) {
      setError(toPayload(caught));
      setBusy(null);
    }
  }, [setStatus]);

  useEffect(() => {
    if (autoUnlockDone) return;
    markAutoUnlockDone();
    if (status.hasKeychainSlot) void unlockWithKeychain();
  }, [autoUnlockDone, markAutoUnlockDone, status.hasKeychainSlot, unlockWithKeychain]);

  // After a failure the password field is where the user goes next.
  useEffect(() => {
    if (busy === null && error && status.hasPasswordSlot) {
      passwordRef.current?.focus();
      passwordRef.current?.select();
    }
  }, [busy, error, status.hasPasswordSlot]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password === '') {
      setError({ code: 'PASSWORD_REQUIRED', message: 'Enter the vault password.' });
      passwordRef.current?.focus();
      return;
    }
    setError(null);
    setBusy('password');
    try {
      const next = await call('vault:unlock', { password });
      setPassword('');
      setStatus(next);
    } catch (caught) {
      setError(toPayload(caught));
      setBusy(null);
    }
  }

  if (busy === 'keychain' && !error) {
    return (
      <main className="gate">
        <div className="gate-card gate-card-center" aria-busy="true">
          <Logo size={52} />
          <h1 className="gate-title">Unlocking…</h1>
          <p className="gate-lead">Opening your vault with the system keychain.</p>
          <span className="spinner" aria-hidden="true" />
        </div>
      </main>
    );
  }

  const keychainOnly = status.hasKeychainSlot && !status.hasPasswordSlot;
  const way = wayForward(error, status);
  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} noValidate>
        <Logo size={52} />
        <h1 className="gate-title">Latchkey is locked</h1>
        <p className="gate-lead">
          {status.hasPasswordSlot ? 'Enter your password to see your codes.' : 'This vault opens through the system keychain.'}
        </p>

        {error && (
          <div role="alert" className="notice notice-error">
            <Icon name="alert" size={16} />
            <div>
              <p>{error.message}</p>
              {way && <p className="notice-more">{way}</p>}
            </div>
          </div>
        )}

        {status.hasPasswordSlot && (
          <>
            <InputField
              label="Password"
              type="password"
              autoComplete="current-password"
              autoFocus
              inputRef={passwordRef}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              aria-invalid={error?.code === 'WRONG_PASSWORD' || undefined}
            />
            <button type="submit" className="button primary block" disabled={busy !== null} aria-busy={busy === 'password' || undefined}>
              {busy === 'password' ? 'Unlocking…' : 'Unlock'}
            </button>
          </>
        )}

        {status.hasKeychainSlot && (
          <button
            type="button"
            className={`button ${keychainOnly ? 'primary' : 'secondary'} block`}
            disabled={busy !== null}
            onClick={() => void unlockWithKeychain()}
          >
            <Icon name="fingerprint" size={18} />
            {error && KEYCHAIN_ERRORS.has(error.code) ? 'Try the keychain again' : 'Unlock with system keychain'}
          </button>
        )}

        <LockedOutLink />

        {error?.code === 'VAULT_CORRUPT' && (
          <button type="button" className="button secondary block" onClick={() => void useApp.getState().start()}>
            Check again
          </button>
        )}
      </form>
    </main>
  );
}

/** "I'm locked out" from the unlock screen: the page opens as soon as the vault is unlocked. */
function LockedOutLink() {
  const requested = useRecovery((state) => state.lockedOutAfterUnlock);
  if (requested)
    return (
      <p className="gate-note" role="status">
        After you unlock, Latchkey opens “I’m locked out”.
      </p>
    );
  return (
    <button
      type="button"
      className="link-button gate-link"
      onClick={(event) => {
        // The link gives way to a note; the focus goes to the way in (the password, or the keychain button), not the page.
        const wayIn = event.currentTarget.form?.querySelector<HTMLElement>('input:not([disabled]), button.button:not([disabled])');
        useRecovery.getState().requestLockedOutAfterUnlock();
        wayIn?.focus();
      }}
    >
      I’m locked out of an account
    </button>
  );
}

/** One more sentence where the error's own sentence does not already say what to do. */
function wayForward(error: ErrorPayload | null, status: VaultStatus): string | null {
  if (!error) return null;
  if (KEYCHAIN_ERRORS.has(error.code) && !status.hasPasswordSlot) {
    return 'This vault has no password, so only the keychain can open it: make sure your keychain is running and unlocked, then try again.';
  }
  if (error.code === 'WRONG_PASSWORD') return 'Check Caps Lock and your keyboard layout, then try again.';
  return null;
}
