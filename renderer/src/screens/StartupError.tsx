import type { ErrorPayload } from '../../../shared/errors';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Logo } from '../ui/Logo';

/** The vault could not even be looked at (damaged, unreadable): say why and offer to look again. */
export function StartupError({ error }: { error: ErrorPayload }) {
  const start = useApp((state) => state.start);
  return (
    <main className="gate">
      <div className="gate-card">
        <Logo size={52} />
        <h1 className="gate-title">Latchkey cannot open your vault</h1>
        <div role="alert" className="notice notice-error">
          <Icon name="alert" size={16} />
          <p>{error.message}</p>
        </div>
        <p className="gate-lead">
          {error.code === 'VAULT_CORRUPT'
            ? 'Earlier copies are kept in the backups folder next to the vault file. Put one back in place of the damaged file, then check again.'
            : 'Once the problem is fixed, check again.'}
        </p>
        <button type="button" className="button primary block" onClick={() => void start()}>
          Check again
        </button>
      </div>
    </main>
  );
}

export function Splash() {
  return (
    <main className="gate" aria-busy="true" aria-label="Starting Latchkey">
      <div className="gate-card gate-card-center gate-card-plain">
        <Logo size={52} />
        <span className="spinner" aria-hidden="true" />
      </div>
    </main>
  );
}
