import { useEffect, useMemo, useRef, useState } from 'react';
import type { AccountSummary, Code } from '../../../shared/domain';
import { call } from '../api';
import { displayName, groupCode, visibleAccounts } from '../format';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Monogram } from '../ui/Monogram';
import { PageHeader } from '../ui/PageHeader';
import { useRecovery } from './recovery-store';

/**
 * "I'm locked out": find the account by typing, then everything that gets you back in on one
 * page: the current login code, the next unused backup code (one click copies it and marks it
 * used) and the account's notes. Everything is local; no network is involved.
 */
export function LockedOutView() {
  const accounts = useApp((state) => state.accounts);
  const [query, setQuery] = useState('');
  const [chosenId, setChosenId] = useState<string | null>(null);
  const matches = useMemo(() => visibleAccounts(accounts, query, null, 'issuer'), [accounts, query]);
  const chosen = accounts.find((account) => account.id === chosenId) ?? (query.trim() !== '' && matches.length === 1 ? matches[0] : undefined);

  return (
    <div className="screen page">
      <PageHeader title="I’m locked out" />
      <div className="page-body lockedout-page">
        <div className="field">
          <label htmlFor="lockedout-search" className="field-label">
            Which account can’t you get into?
          </label>
          <input
            id="lockedout-search"
            className="input"
            type="search"
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="Type the service or account name"
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setChosenId(null);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && matches[0]) setChosenId(matches[0].id);
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                moveFocus(event.currentTarget, 1);
              }
            }}
          />
        </div>
        {chosen ? (
          <RescuePanel key={chosen.id} account={chosen} takeFocus={chosenId !== null} />
        ) : (
          <ul className="lockedout-matches" aria-label="Matching accounts">
            {matches.slice(0, 30).map((account) => (
              <li key={account.id}>
                <button
                  type="button"
                  className="lockedout-match"
                  onClick={() => setChosenId(account.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
                      event.preventDefault();
                      moveFocus(event.currentTarget, event.key === 'ArrowDown' ? 1 : -1);
                    }
                  }}
                >
                  <Monogram account={account} />
                  <span>{displayName(account)}</span>
                  <MatchCount accountId={account.id} />
                </button>
              </li>
            ))}
            {matches.length === 0 && <li className="form-note">No account matches “{query}”.</li>}
          </ul>
        )}
      </div>
    </div>
  );
}

/** Arrow keys move between the search field and the matches, in the order they are shown. */
function moveFocus(from: HTMLElement, step: 1 | -1): void {
  const stops = [document.getElementById('lockedout-search'), ...document.querySelectorAll<HTMLElement>('.lockedout-match')].filter((element): element is HTMLElement => element !== null);
  const index = stops.indexOf(from);
  stops[Math.min(stops.length - 1, Math.max(0, index + step))]?.focus();
}

function MatchCount({ accountId }: { accountId: string }) {
  const recovery = useRecovery((state) => state.byAccount[accountId]);
  if (!recovery) return null;
  // The same words and warning colour as the list's badge: an empty set is "none left", not "0 backup codes".
  if (recovery.total === 0) return <span className="lockedout-count recovery-warning">No backup codes</span>;
  if (recovery.unused === 0) return <span className="lockedout-count recovery-warning">None left</span>;
  const text = `${recovery.unused} backup code${recovery.unused === 1 ? '' : 's'}`;
  return <span className={`lockedout-count${recovery.unused <= 2 ? ' recovery-warning' : ''}`}>{text}</span>;
}

function RescuePanel({ account, takeFocus }: { account: AccountSummary; takeFocus: boolean }) {
  // A match chosen from the list unmounts the list (and the focused button with it): the account's name takes
  // the focus, so the keyboard goes on from the top of the panel instead of the top of the page.
  // Found by typing, the focus stays in the search field.
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocus) headingRef.current?.focus();
  }, [takeFocus]);
  const recovery = useRecovery((state) => state.byAccount[account.id]);
  const withCodes = useRecovery((state) => state.withCodes);
  const [code, setCode] = useState<Code | null>(null);
  const [next, setNext] = useState<{ setId: string; index: number; text: string } | null>(null);
  const [spent, setSpent] = useState<{ setId: string; index: number; left: number } | null>(null);
  const current = recovery?.sets.find((set) => set.current) ?? null;
  const nextIndex = current?.codes.find((state) => !state.used)?.index ?? null;

  // The login code, kept current while the page is open.
  useEffect(() => {
    if (!account.hasOtp) return;
    let alive = true;
    const refresh = () => void call('codes:get', { ids: [account.id] }).then(([fresh]) => alive && setCode(fresh ?? null), () => undefined);
    refresh();
    const timer = setInterval(refresh, 1000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [account.id, account.hasOtp]);

  // The next unused backup code, shown as soon as the seal allows (it may ask for the password).
  useEffect(() => {
    if (!current || nextIndex === null) {
      setNext(null);
      return;
    }
    void withCodes(async () => {
      const revealed = await call('recovery:reveal', { setId: current.id, index: nextIndex });
      setNext({ setId: current.id, index: nextIndex, text: revealed.codes[0]?.code ?? '' });
    });
  }, [current?.id, nextIndex, withCodes]);

  const copyAndMark = () =>
    withCodes(async () => {
      const result = await call('recovery:useNext', { accountId: account.id });
      setSpent(result);
      await useRecovery.getState().load();
      useApp.getState().showToast(`Copied and marked as used. ${result.left} left.`);
    });
  const undo = async () => {
    if (!spent) return;
    await call('recovery:setUsed', { setId: spent.setId, index: spent.index, used: false });
    setSpent(null);
    await useRecovery.getState().load();
  };

  return (
    <article className="rescue" aria-label={`Getting back into ${displayName(account)}`}>
      <header className="identity">
        <Monogram account={account} size="lg" />
        <div>
          <h2 className="identity-title" tabIndex={-1} ref={headingRef}>
            {displayName(account)}
          </h2>
          {account.group && <p className="identity-sub">{account.group}</p>}
        </div>
      </header>

      <section className="settings-card rescue-card">
        <p className="setting-label">Login code</p>
        {account.hasOtp ? (
          <div className="rescue-row">
            <span className="code rescue-code" data-testid="rescue-login-code">
              {code ? groupCode(code.code, account.type) : '······'}
            </span>
            <button type="button" className="button secondary" onClick={() => void useApp.getState().copy(account.id)}>
              Copy
            </button>
          </div>
        ) : null}
        {account.hasOtp && code ? (
          // Someone typing the code by hand needs to know whether it will still be good when they finish.
          <p className="setting-description" data-testid="rescue-login-expiry">
            {code.expiresAt === null ? 'Good until it is used.' : `Changes in ${Math.max(0, Math.ceil((code.expiresAt - Date.now()) / 1000))} s.`}
          </p>
        ) : null}
        {account.hasOtp ? null : (
          <p className="setting-description">This entry has no authenticator secret: its login codes come from elsewhere (a hardware key, SMS, another phone).</p>
        )}
      </section>

      <section className="settings-card rescue-card">
        <p className="setting-label">Next backup code</p>
        {nextIndex === null || !current ? (
          <p className="setting-description">{current ? 'Every backup code of this account has been used.' : 'No backup codes are stored for this account.'}</p>
        ) : (
          <div className="rescue-row">
            <span className="code rescue-code mono" data-testid="rescue-backup-code">
              {next?.setId === current.id && next.index === nextIndex ? next.text : '••••-••••'}
            </span>
            <button type="button" className="button primary" onClick={() => void copyAndMark()}>
              <Icon name="check" size={16} /> Copy and mark used
            </button>
          </div>
        )}
        {current && (
          <p className="setting-description">
            {current.unused} of {current.count} unused
            {spent && (
              <>
                {' · '}
                <button type="button" className="link-button" onClick={() => void undo()}>
                  Undo: code {spent.index + 1} was not used
                </button>
              </>
            )}
          </p>
        )}
        {!current || nextIndex === null ? (
          <button type="button" className="button secondary" onClick={() => useApp.getState().setView({ name: 'recovery', accountId: account.id, adding: true })}>
            Add backup codes
          </button>
        ) : null}
      </section>

      <section className="settings-card rescue-card">
        <p className="setting-label">Notes</p>
        <p className="rescue-notes" data-testid="rescue-notes">
          {account.notes || 'No notes for this account.'}
        </p>
      </section>
    </article>
  );
}
