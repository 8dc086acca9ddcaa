import { type ReactNode, useEffect, useId, useRef } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  actions: ReactNode;
  onClose: () => void;
  tone?: 'default' | 'danger';
}

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the window inert (the focus
 * stays inside), Esc closes it, and the focus goes back to whatever opened it.
 */
export function Dialog({ title, children, actions, onClose, tone = 'default' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} className={`dialog dialog-${tone}`} role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId}>
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      <div id={bodyId} className="dialog-body">
        {children}
      </div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

interface ConfirmProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: 'default' | 'danger';
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, tone = 'default', busy = false, onConfirm, onCancel }: ConfirmProps) {
  return (
    <Dialog
      title={title}
      tone={tone}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button secondary" onClick={onCancel} autoFocus={tone === 'danger'}>
            Cancel
          </button>
          <button type="button" className={`button ${tone === 'danger' ? 'danger' : 'primary'}`} onClick={onConfirm} disabled={busy} autoFocus={tone !== 'danger'}>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}
