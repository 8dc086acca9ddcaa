import './providers.css';
import { type FormEvent, useEffect, useState } from 'react';
import type { ProviderProgress, ProviderState } from '../../../shared/providers';
import { ApiError, call, errorMessage, isApiError, onEvent } from '../api';
import { displayName } from '../format';
import { useRecovery } from '../recovery/recovery-store';
import { useApp } from '../store';
import { ConfirmDialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { ConnectionFields, emptyForm, type FormState, PROVIDERS, toConnectionForm } from './provider-forms';
import { UnsavedCodes } from './UnsavedCodes';

type Outcome = { tone: 'ok' | 'error'; text: string } | null;
type Confirming = 'regenerate' | 'signIn' | 'deleteTotp' | 'disconnect' | null;

/** A retry wait or an enrollment stage, in words, while a call runs. */
export function progressText(progress: ProviderProgress | null): string | null {
  if (progress === null) return null;
  if (progress.kind === 'enroll-stage') {
    return { started: 'Enrollment started; QR code read.', 'account-added': 'Account added; finishing with its current code…', finished: 'Finished; storing the backup codes…', stored: 'Stored.' }[progress.stage];
  }
  const why = progress.reason === 'rate-limited' ? 'is limiting requests' : progress.reason === 'unavailable' ? 'is unavailable' : 'could not be reached';
  const when = progress.waitMs <= 0 ? 'now' : `in ${Math.ceil(progress.waitMs / 1000)} s`;
  return `${PROVIDERS[progress.provider].name} ${why}; trying again ${when} (retry ${progress.retry} of ${progress.maxRetries}).`;
}

/** Progress events while `busy`; cleared when the call ends. */
export function useProviderProgress(busy: boolean): ProviderProgress | null {
  const [progress, setProgress] = useState<ProviderProgress | null>(null);
  useEffect(() => {
    if (!busy) {
      setProgress(null);
      return;
    }
    return onEvent((event) => {
      if (event.type === 'providerProgress') setProgress(event.progress);
    });
  }, [busy]);
  return progress;
}

/** The account's provider connection: connect, test, fetch, regenerate, sign in with a code, disconnect. */
export function ProviderView({ accountId }: { accountId: string }) {
  const account = useApp((state) => state.accounts.find((candidate) => candidate.id === accountId));
  const [state, setState] = useState<ProviderState | null>(null);
  const [form, setForm] = useState<FormState>(emptyForm('moonkey'));
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [unsaved, setUnsaved] = useState<{ codes: string[] } | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  /** Counts finished calls, so a test (or a screen reader log) can tell this outcome from the last one. */
  const [runs, setRuns] = useState(0);
  const progress = useProviderProgress(busy !== null);

  const refresh = async () => setState(await call('providers:state', { accountId }));
  useEffect(() => {
    void refresh().catch((error: unknown) => setOutcome({ tone: 'error', text: errorMessage(error) }));
  }, [accountId]);

  /** Runs one call; a sealed connection asks for the vault password, then runs it again. */
  async function run(label: string, work: () => Promise<string>): Promise<void> {
    setBusy(label);
    setOutcome(null);
    try {
      setOutcome({ tone: 'ok', text: await work() });
    } catch (error) {
      if (isApiError(error, 'RECOVERY_SEALED')) useRecovery.setState({ passwordPrompt: { retry: () => run(label, work) } });
      else setOutcome({ tone: 'error', text: errorMessage(error) });
    } finally {
      // A failure can change things too (a sign-in whose answer was lost marks its code used).
      await Promise.all([refresh(), useRecovery.getState().load()]).catch(() => undefined);
      setRuns((count) => count + 1);
      setBusy(null);
    }
  }

  const codesResult = async (channel: 'providers:fetch' | 'providers:regenerate') => {
    const result = await call(channel, { accountId });
    if (result.saved) return `Stored ${result.count} backup codes as the current set.`;
    // The provider replaced the codes, the save failed: these are shown once, here, so they are not lost.
    setUnsaved({ codes: result.codes });
    throw new ApiError(result.error);
  };

  if (!account) return null;
  const name = displayName(account);

  function connect(event: FormEvent) {
    event.preventDefault();
    void run('connect', async () => {
      const summary = await call('providers:connect', { accountId, connection: toConnectionForm(form) });
      setForm(emptyForm(form.provider));
      return `Connected to ${PROVIDERS[summary.provider].name}.`;
    });
  }

  const connection = state?.connection ?? null;
  const provider = connection?.provider ?? null;
  return (
    <div className="screen page">
      <PageHeader title="Provider" />
      <div className="page-body provider-page">
        <div className="recovery-heading">
          <h2 className="identity-title">{name}</h2>
          <p className="identity-sub">{state?.connected ? (connection ? `${PROVIDERS[connection.provider].name} · ${connection.subjectId}` : 'Connected') : 'Not connected to a provider'}</p>
        </div>

        {state && (
          <div className="notice notice-info" role="note">
            <Icon name="shield" size={16} />
            <p>{state.protection === 'password' ? 'Credentials are sealed with the vault password and never shown again.' : 'This vault has no password: credentials are protected by the vault key alone. Set a password in Settings to seal them.'}</p>
          </div>
        )}

        {unsaved && <UnsavedCodes codes={unsaved.codes} headline="These new codes could not be saved, and the old ones no longer work." onDismiss={() => setUnsaved(null)} />}

        {state?.connected && !connection && (
          <div className="notice notice-info">
            <Icon name="lock" size={16} />
            <p>The connection is sealed with the vault password.</p>
            <button type="button" className="button secondary small" onClick={() => useRecovery.setState({ passwordPrompt: { retry: refresh } })}>
              Type password
            </button>
          </div>
        )}

        {state && !state.connected && (
          <form className="provider-form" onSubmit={connect} aria-label="Connect to a provider">
            <ConnectionFields form={form} onChange={setForm} />
            <div className="form-actions">
              <button type="submit" className="button primary" disabled={busy !== null}>
                {busy === 'connect' ? 'Connecting…' : 'Connect'}
              </button>
            </div>
          </form>
        )}

        {connection && (
          <div className="provider-card">
            <dl className="provider-facts">
              <dt>Provider</dt>
              <dd>{PROVIDERS[connection.provider].name}</dd>
              <dt>Server</dt>
              <dd>{connection.baseUrl}</dd>
              <dt>{PROVIDERS[connection.provider].subject.label}</dt>
              <dd>{connection.subjectId}</dd>
            </dl>
            <div className="provider-actions">
              {/* Only MoonKey and Stytch can read the codes without replacing them, so only they can be tested harmlessly. */}
              {(provider === 'moonkey' || provider === 'stytch') && (
                <button type="button" className="button secondary" disabled={busy !== null} onClick={() => void run('test', async () => `The connection works; the provider has ${(await call('providers:test', { accountId })).codeCount} codes.`)}>
                  Test connection
                </button>
              )}
              {(provider === 'moonkey' || provider === 'stytch') && (
                <button type="button" className="button secondary" disabled={busy !== null} onClick={() => void run('fetch', () => codesResult('providers:fetch'))}>
                  Fetch codes
                </button>
              )}
              {(provider === 'misakey' || provider === 'arklow') && (
                <button type="button" className="button secondary" disabled={busy !== null} onClick={() => setConfirming('regenerate')}>
                  New codes…
                </button>
              )}
              {provider === 'moonkey' && (
                <button type="button" className="button secondary" disabled={busy !== null} onClick={() => setConfirming('signIn')}>
                  Sign in with a code…
                </button>
              )}
              {provider === 'misakey' && (
                <button type="button" className="button danger-outline" disabled={busy !== null} onClick={() => setConfirming('deleteTotp')}>
                  Turn off at Misakey…
                </button>
              )}
              <button type="button" className="button danger-outline" disabled={busy !== null} onClick={() => setConfirming('disconnect')}>
                Disconnect…
              </button>
            </div>
          </div>
        )}

        {busy !== null && (
          <p className="provider-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {progressText(progress) ?? 'Talking to the provider…'}
          </p>
        )}
        {outcome?.tone === 'ok' && (
          <p className="provider-outcome" role="status" data-testid="provider-outcome" data-run={runs}>
            <Icon name="check" size={16} />
            {outcome.text}
          </p>
        )}
        {outcome?.tone === 'error' && (
          <div className="notice notice-error provider-outcome" role="alert" data-testid="provider-outcome" data-run={runs}>
            <Icon name="alert" size={16} />
            <p>{outcome.text}</p>
          </div>
        )}
      </div>

      {confirming === 'regenerate' && (
        <ConfirmDialog title="Make new backup codes?" confirmLabel="Make new codes" onCancel={() => setConfirming(null)} onConfirm={() => (setConfirming(null), void run('regenerate', () => codesResult('providers:regenerate')))}>
          <p>The provider replaces this account’s backup codes: the codes you have now stop working, at the provider and on any paper copy.</p>
        </ConfirmDialog>
      )}
      {confirming === 'signIn' && (
        <SignInDialog
          onCancel={() => setConfirming(null)}
          onConfirm={(code) => {
            setConfirming(null);
            void run('signIn', async () => {
              const result = await call('providers:signIn', code === '' ? { accountId } : { accountId, code });
              return `MoonKey accepted the code for ${result.userId}. It is marked used; ${result.unusedLeft} unused left.`;
            });
          }}
        />
      )}
      {confirming === 'deleteTotp' && (
        <ConfirmDialog
          title="Turn off two-step sign-in at Misakey?"
          tone="danger"
          confirmLabel="Turn off"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void run('deleteTotp', async () => {
              await call('providers:deleteTotp', { accountId });
              return 'Misakey deleted the TOTP secret. The account and its backup codes stay in Latchkey, but Misakey no longer asks for them.';
            });
          }}
        >
          <p>Misakey deletes this identity’s TOTP secret: its codes and backup codes stop working there. Misakey refuses while two-step sign-in is its chosen method.</p>
        </ConfirmDialog>
      )}
      {confirming === 'disconnect' && (
        <ConfirmDialog
          title="Disconnect from the provider?"
          tone="danger"
          confirmLabel="Disconnect"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void run('disconnect', async () => {
              await call('providers:disconnect', { accountId });
              return 'Disconnected; the credentials are gone from the vault. The backup codes stay.';
            });
          }}
        >
          <p>The credentials are removed from the vault. The backup codes already stored stay.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * Says that signing in spends a code, and which: the ledger's next unused one unless the person types
 * another (one from paper, say). Enter in the field confirms.
 */
function SignInDialog({ onConfirm, onCancel }: { onConfirm: (code: string) => void; onCancel: () => void }) {
  const [code, setCode] = useState('');
  const confirm = () => onConfirm(code.trim());
  return (
    <ConfirmDialog title="Sign in with a backup code?" confirmLabel="Spend a code" onCancel={onCancel} onConfirm={confirm}>
      <p>
        This spends {code.trim() === '' ? 'the next unused backup code' : 'the code you typed'} at MoonKey: it cannot be used again. Latchkey marks it used once MoonKey answers (or may have received it).
      </p>
      <form
        className="provider-signin-code"
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          confirm();
        }}
      >
        <label className="field-label" htmlFor="provider-signin-code">
          Another code (optional)
        </label>
        <input id="provider-signin-code" className="input" autoComplete="off" spellCheck={false} maxLength={64} value={code} onChange={(event) => setCode(event.target.value)} aria-describedby="provider-signin-code-hint" />
        <p id="provider-signin-code-hint" className="field-hint">
          Leave it empty to use the next unused code from this account’s backup codes.
        </p>
      </form>
    </ConfirmDialog>
  );
}
