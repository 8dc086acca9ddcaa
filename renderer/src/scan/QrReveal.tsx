import { useEffect, useRef, useState } from 'react';
import type { QrReveal as Reveal } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { useApp } from '../store';
import { Dialog } from '../ui/Dialog';
import { InputField } from '../ui/Field';

type Request = { kind: 'account'; id: string; name: string } | { kind: 'google'; ids: string[] };

/**
 * Shows accounts as QR codes to move them to a phone. The page only asks: main checks the vault
 * password (when there is one) and asks in a dialog of its own, then hands out a single-use token
 * for this one reveal; the codes follow for 60 seconds. Locking unmounts this, and the images go with it.
 */
export function QrRevealFlow({ request, onClose }: { request: Request; onClose: () => void }) {
  const needsPassword = useApp((state) => state.status?.hasPasswordSlot ?? false);
  const [password, setPassword] = useState('');
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  async function show() {
    if (waiting) return;
    if (needsPassword && password === '') {
      setError('Enter the vault password.');
      passwordRef.current?.focus();
      return;
    }
    setWaiting(true);
    setError(null);
    const proof = needsPassword ? { password } : {};
    try {
      if (request.kind === 'account') {
        const { token } = await call('accounts:requestQrReveal', { kind: 'account', id: request.id, ...proof });
        setPassword('');
        setReveal(await call('accounts:showQr', { id: request.id, token }));
      } else {
        const { token } = await call('accounts:requestQrReveal', { kind: 'google', ids: request.ids, ...proof });
        setPassword('');
        setReveal(await call('accounts:exportGoogleQr', { ids: request.ids, token }));
      }
    } catch (caught) {
      setError(errorMessage(caught));
      passwordRef.current?.select();
    } finally {
      setWaiting(false);
    }
  }

  if (reveal) return <RevealDialog reveal={reveal} onClose={onClose} />;
  const what = request.kind === 'account' ? `the secret of ${request.name}` : `the secrets of ${request.ids.length} account${request.ids.length === 1 ? '' : 's'}`;
  const confirmLabel = request.kind === 'account' ? 'Show QR code' : 'Show QR codes';
  return (
    <Dialog
      title={request.kind === 'account' ? 'Show as QR code?' : 'Show export QR codes?'}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => void show()} disabled={waiting} aria-busy={waiting || undefined} autoFocus={!needsPassword}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>The QR code holds {what}. Anyone who sees or photographs it can make your login codes. Make sure nobody is watching your screen.</p>
      {needsPassword && (
        <InputField
          label="Vault password"
          type="password"
          autoComplete="current-password"
          autoFocus
          inputRef={passwordRef}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void show();
            }
          }}
          aria-invalid={error !== null || undefined}
        />
      )}
      <p className="field-hint" role="status">
        {waiting ? 'Confirm in the window Latchkey has opened.' : 'Next, Latchkey asks you to confirm in a separate window. The QR code disappears after 60 seconds or when Latchkey locks.'}
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}

function RevealDialog({ reveal, onClose }: { reveal: Reveal; onClose: () => void }) {
  const [now, setNow] = useState(Date.now());
  const [page, setPage] = useState(0);
  const secondsLeft = Math.max(0, Math.ceil((reveal.expiresAt - now) / 1000));

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (secondsLeft === 0) onClose();
  }, [secondsLeft, onClose]);

  const count = reveal.images.length;
  return (
    <Dialog
      title={count > 1 ? `Scan code ${page + 1} of ${count}` : 'Scan with your phone'}
      onClose={onClose}
      actions={
        <>
          {count > 1 && (
            <button type="button" className="button secondary" onClick={() => setPage((page + count - 1) % count)}>
              Previous
            </button>
          )}
          {count > 1 && (
            <button type="button" className="button secondary" onClick={() => setPage((page + 1) % count)}>
              Next
            </button>
          )}
          <button type="button" className="button primary" onClick={onClose} autoFocus>
            Done
          </button>
        </>
      }
    >
      <img className="qr-image" src={reveal.images[page]} alt={count > 1 ? `QR code ${page + 1} of ${count}` : 'QR code of the account'} data-testid="qr-reveal" />
      <p className="field-hint" role="timer">
        Disappears in {secondsLeft} s.
      </p>
    </Dialog>
  );
}
