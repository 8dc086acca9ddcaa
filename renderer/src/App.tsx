import { type FormEvent, useEffect, useState } from 'react';
import type { AccountSummary, Code } from '../../shared/domain';
import { call, errorMessage, onEvent } from './api';
import { useApp } from './store';

export function App() {
  const status = useApp((state) => state.status);
  const setStatus = useApp((state) => state.setStatus);
  const loadAccounts = useApp((state) => state.loadAccounts);

  useEffect(() => {
    void call('vault:status').then(setStatus);
    return onEvent((event) => {
      if (event.type === 'vault') setStatus(event.status);
      if (event.type === 'accountsChanged') void loadAccounts();
    });
  }, [setStatus, loadAccounts]);

  if (!status) return <main className="centered" aria-busy="true" />;
  if (status.state === 'missing') return <CreateVault />;
  if (status.state === 'locked') return <Unlock hasKeychain={status.hasKeychainSlot} hasPassword={status.hasPasswordSlot} />;
  return <Codes />;
}

function CreateVault() {
  const setStatus = useApp((state) => state.setStatus);
  const [password, setPassword] = useState('');
  const [useKeychain, setUseKeychain] = useState(true);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setStatus(await call('vault:create', { password: password === '' ? null : password, useKeychain }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <main className="centered">
      <form className="card" onSubmit={submit}>
        <h1>Welcome to Latchkey</h1>
        <p className="muted">Your login codes live in an encrypted vault on this computer.</p>
        <label className="check">
          <input type="checkbox" checked={useKeychain} onChange={(event) => setUseKeychain(event.target.checked)} />
          Unlock with the system keychain
        </label>
        <p className="hint">Opens the vault when you log in to this computer, without typing anything.</p>
        <label htmlFor="new-password">Password (optional)</label>
        <input id="new-password" type="password" autoComplete="new-password" value={password} onChange={(event) => setPassword(event.target.value)} />
        <p className="hint">Lets you open the vault on another computer, or if the keychain is lost.</p>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit">Create vault</button>
      </form>
    </main>
  );
}

function Unlock({ hasKeychain, hasPassword }: { hasKeychain: boolean; hasPassword: boolean }) {
  const setStatus = useApp((state) => state.setStatus);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!hasKeychain) return;
    call('vault:unlock', {}).then(setStatus, (caught: unknown) => setError(errorMessage(caught)));
  }, [hasKeychain, setStatus]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setStatus(await call('vault:unlock', { password }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <main className="centered">
      <form className="card" onSubmit={submit}>
        <h1>Latchkey is locked</h1>
        {hasPassword ? (
          <>
            <label htmlFor="password">Password</label>
            <input id="password" type="password" autoComplete="current-password" autoFocus value={password} onChange={(event) => setPassword(event.target.value)} />
            <button type="submit">Unlock</button>
          </>
        ) : (
          <p className="muted">This vault opens through the system keychain.</p>
        )}
        {error && <p role="alert" className="error">{error}</p>}
      </form>
    </main>
  );
}

function Codes() {
  const accounts = useApp((state) => state.accounts);
  const codes = useApp((state) => state.codes);
  const loadAccounts = useApp((state) => state.loadAccounts);
  const refreshCodes = useApp((state) => state.refreshCodes);
  const setStatus = useApp((state) => state.setStatus);
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    void loadAccounts();
  }, [loadAccounts]);

  // One ticker for the whole list; codes are fetched again only when one has expired.
  useEffect(() => {
    const timer = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (Object.values(useApp.getState().codes).some((code) => code.expiresAt !== null && code.expiresAt <= time)) void refreshCodes();
    }, 1000);
    return () => clearInterval(timer);
  }, [refreshCodes]);

  return (
    <main className="list-view">
      <header className="toolbar">
        <h1>Latchkey</h1>
        <button type="button" className="secondary" onClick={() => void call('vault:lock').then(setStatus)}>
          Lock
        </button>
      </header>
      {accounts.length === 0 ? (
        <p className="empty">No accounts yet. Add one with <code>latchkey add &lt;otpauth-uri&gt;</code>.</p>
      ) : (
        <ul className="accounts" aria-label="Accounts">
          {accounts.map((account) => (
            <AccountRow key={account.id} account={account} code={codes[account.id]} now={now} />
          ))}
        </ul>
      )}
    </main>
  );
}

function AccountRow({ account, code, now }: { account: AccountSummary; code: Code | undefined; now: number }) {
  const secondsLeft = code?.expiresAt ? Math.max(0, Math.ceil((code.expiresAt - now) / 1000)) : null;
  return (
    <li className="account">
      <div className="names">
        <span className="issuer">{account.issuer || account.label || 'Unnamed'}</span>
        {account.issuer && <span className="label">{account.label}</span>}
      </div>
      <span className="code" aria-label={`Code for ${account.issuer || account.label}`}>
        {code ? groupDigits(code.code) : '—'}
      </span>
      {secondsLeft !== null && <span className="seconds">{secondsLeft}s</span>}
    </li>
  );
}

function groupDigits(code: string): string {
  if (code.length < 6) return code;
  const half = Math.ceil(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}
