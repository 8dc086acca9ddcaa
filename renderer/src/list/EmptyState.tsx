import { useApp } from '../store';
import { Icon } from '../ui/Icon';

/** No accounts yet: what to do first. */
export function EmptyState() {
  const setView = useApp((state) => state.setView);
  return (
    <section className="empty" aria-labelledby="empty-title">
      <div className="empty-art" aria-hidden="true">
        <Icon name="shield" size={30} />
      </div>
      <h2 id="empty-title" className="empty-title">
        Add your first account
      </h2>
      <p className="empty-text">
        When a site turns on two-factor sign-in, it shows a QR code and, next to it, a setup key. Scan the code, or type the key.
      </p>
      <div className="empty-actions">
        <button type="button" className="button primary" onClick={() => setView({ name: 'scan', source: 'camera' })}>
          <Icon name="scan" size={16} />
          Scan a QR code
        </button>
        <button type="button" className="button secondary" onClick={() => setView({ name: 'add', mode: 'key' })}>
          <Icon name="key" size={16} />
          Enter a setup key
        </button>
        <button type="button" className="button secondary" onClick={() => setView({ name: 'add', mode: 'link' })}>
          <Icon name="link" size={16} />
          Paste a setup link
        </button>
        <button type="button" className="button secondary" onClick={() => setView({ name: 'import' })}>
          <Icon name="import" size={16} />
          Import from another app
        </button>
      </div>
      <p className="empty-foot">You can also paste or drop a picture of a QR code here, or import a Google Authenticator export by scanning its codes. Your secrets never leave this computer.</p>
    </section>
  );
}

export function NoMatches({ query }: { query: string }) {
  const setQuery = useApp((state) => state.setQuery);
  return (
    <section className="empty empty-compact">
      <h2 className="empty-title">No matches</h2>
      <p className="empty-text">No account or group matches “{query}”.</p>
      <button type="button" className="button secondary" onClick={() => setQuery('')}>
        Clear search
      </button>
    </section>
  );
}
