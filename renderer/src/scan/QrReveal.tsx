import { useEffect, useState } from 'react';
import type { QrReveal as Reveal } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { ConfirmDialog, Dialog } from '../ui/Dialog';

type Request = { kind: 'account'; id: string; name: string } | { kind: 'google'; ids: string[] };

/**
 * Shows accounts as QR codes to move them to a phone: first a confirmation that says what it
 * reveals, then the codes for 60 seconds. Locking unmounts this, and the images go with it.
 */
export function QrRevealFlow({ request, onClose }: { request: Request; onClose: () => void }) {
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function show() {
    setBusy(true);
    setError(null);
    try {
      setReveal(request.kind === 'account' ? await call('accounts:showQr', { id: request.id }) : await call('accounts:exportGoogleQr', { ids: request.ids }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  }

  if (reveal) return <RevealDialog reveal={reveal} onClose={onClose} />;
  const what = request.kind === 'account' ? `the secret of ${request.name}` : `the secrets of ${request.ids.length} account${request.ids.length === 1 ? '' : 's'}`;
  return (
    <ConfirmDialog title="Show as QR code?" confirmLabel="Show QR code" busy={busy} onConfirm={() => void show()} onCancel={onClose}>
      <p>The QR code holds {what}. Anyone who sees or photographs it can make your login codes. Make sure nobody is watching your screen.</p>
      <p className="field-hint">It disappears after 60 seconds or when Latchkey locks.</p>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </ConfirmDialog>
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
