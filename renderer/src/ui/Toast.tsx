import { useApp } from '../store';
import { Icon } from './Icon';

/** One message at a time at the bottom of the window; polite for news, assertive for errors. */
export function ToastRegion() {
  const toast = useApp((state) => state.toast);
  const dismiss = useApp((state) => state.dismissToast);
  return (
    <div className="toast-region">
      <div role="status" aria-live="polite" className="toast-live">
        {toast?.tone === 'info' && (
          <div className="toast" key={toast.id}>
            <Icon name="check" size={16} className="toast-icon" />
            <span>{toast.message}</span>
          </div>
        )}
      </div>
      <div role="alert" className="toast-live">
        {toast?.tone === 'error' && (
          <div className="toast toast-error" key={toast.id}>
            <Icon name="alert" size={16} className="toast-icon" />
            <span>{toast.message}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={dismiss}>
              <Icon name="close" size={14} />
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
