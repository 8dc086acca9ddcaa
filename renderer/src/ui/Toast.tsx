import { useApp } from '../store';
import { Icon } from './Icon';

/** One message at a time at the bottom of the window: a polite status for news, an alert for errors. */
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
      {/* An alert is announced as it appears, so its region exists only while there is one. */}
      {toast?.tone === 'error' && (
        <div role="alert" className="toast-live" key={toast.id}>
          <div className="toast toast-error">
            <Icon name="alert" size={16} className="toast-icon" />
            <span>{toast.message}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={dismiss}>
              <Icon name="close" size={14} />
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
