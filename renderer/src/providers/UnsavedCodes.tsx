import { Icon } from '../ui/Icon';

/**
 * New backup codes the provider made that could not be saved: shown here once, with a plain
 * warning, because they exist nowhere else. Dismissing it forgets them.
 */
export function UnsavedCodes({ codes, headline, next, onDismiss }: { codes: string[]; headline: string; next?: string; onDismiss: () => void }) {
  return (
    <div className="notice notice-warn" role="alert" data-testid="unsaved-codes">
      <Icon name="alert" size={16} />
      <div>
        <p>
          <strong>{headline}</strong> Write them down now; they are shown only this once.{next === undefined ? '' : ` ${next}`}
        </p>
        <ul className="provider-codes">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <button type="button" className="button secondary small" onClick={onDismiss}>
          I wrote them down
        </button>
      </div>
    </div>
  );
}
