import { type ReactNode, useEffect, useState } from 'react';
import type { AccountRecovery, RecoverySetSummary } from '../../../shared/recovery';
import { call } from '../api';
import { displayName } from '../format';
import { useApp } from '../store';
import { ConfirmDialog } from '../ui/Dialog';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { AddCodes } from './AddCodes';
import { ProtectionNotice, WarningText } from './RecoveryBits';
import { useRecovery } from './recovery-store';

type Revealed = Record<string, Record<number, string>>;
/** After a copy: ask whether the code was used; after marking it: offer to undo. */
type Pending = { kind: 'ask' | 'undo'; setId: string; index: number } | null;

export function RecoveryView({ accountId, adding }: { accountId: string; adding: boolean }) {
  const account = useApp((state) => state.accounts.find((candidate) => candidate.id === accountId));
  const recovery = useRecovery((state) => state.byAccount[accountId]);
  const withCodes = useRecovery((state) => state.withCodes);
  const [revealed, setRevealed] = useState<Revealed>({});
  const [pending, setPending] = useState<Pending>(null);
  const [showAdd, setShowAdd] = useState(adding);
  const [deleting, setDeleting] = useState<RecoverySetSummary | null>(null);
  // Sealed codes closed again (by hand, or the few minutes ran out): what was shown goes with the password.
  const sealedShut = useRecovery((state) => state.status?.protection === 'password' && state.status.unsealedUntil === null);
  useEffect(() => {
    if (sealedShut) setRevealed({});
  }, [sealedShut]);

  if (!account) return null;
  const name = displayName(account);
  const current = recovery?.sets.find((set) => set.current) ?? null;
  const earlier = recovery?.sets.filter((set) => !set.current) ?? [];

  const reveal = (setId: string, index?: number) =>
    withCodes(async () => {
      const result = await call('recovery:reveal', index === undefined ? { setId } : { setId, index });
      setRevealed((before) => ({ ...before, [setId]: { ...before[setId], ...Object.fromEntries(result.codes.map((code) => [code.index, code.code])) } }));
    });
  const hide = (setId: string) => setRevealed(({ [setId]: _hidden, ...rest }) => rest);
  const copy = (setId: string, index: number) =>
    withCodes(async () => {
      const { clearsAt } = await call('recovery:copy', { setId, index });
      setPending({ kind: 'ask', setId, index });
      useApp.getState().showToast(clearsAt === null ? 'Copied the backup code' : 'Copied — the clipboard clears itself soon');
    });
  const setUsed = async (setId: string, index: number, used: boolean) => {
    await withCodes(async () => {
      await call('recovery:setUsed', { setId, index, used });
      await useRecovery.getState().load();
    });
  };

  // A vault with a password but no seal yet asks for the password once, then saves.
  const saveCodes = (text: string, source: 'pasted' | 'file') =>
    withCodes(async () => {
      const set = await call('recovery:add', { accountId, text, source });
      await useRecovery.getState().load();
      setShowAdd(false);
      useApp.getState().showToast(`Saved ${set.count} backup codes for ${name}`);
    });

  return (
    <div className="screen page">
      <PageHeader title="Backup codes">
        <button type="button" className="button secondary small page-header-action" onClick={() => useApp.getState().setView({ name: 'provider', accountId })}>
          Provider
        </button>
      </PageHeader>
      <div className="page-body recovery-page">
        <div className="recovery-heading">
          <h2 className="identity-title">{name}</h2>
          {recovery && <Summary recovery={recovery} />}
        </div>
        <ProtectionNotice />

        {recovery && current && !showAdd && (
          <RunningOutNotice
            recovery={recovery}
            onAdd={() => {
              setPending(null);
              setShowAdd(true);
            }}
          />
        )}

        {pending && <PendingBar pending={pending} onDone={setPending} setUsed={setUsed} />}

        {showAdd || !current ? (
          <AddCodes replacing={current !== null} onSave={saveCodes} onCancel={() => (current ? setShowAdd(false) : useApp.getState().setView({ name: 'list' }))} />
        ) : (
          <SetCard
            set={current}
            revealed={revealed[current.id]}
            onReveal={reveal}
            onHide={hide}
            onCopy={copy}
            onSetUsed={(index, used) => void setUsed(current.id, index, used)}
            actions={
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setPending(null);
                  setShowAdd(true);
                }}
              >
                <Icon name="plus" size={16} /> New codes
              </button>
            }
          />
        )}

        {earlier.length > 0 && (
          <details className="recovery-earlier">
            <summary>Earlier sets ({earlier.length})</summary>
            {earlier.map((set) => (
              <SetCard
                key={set.id}
                set={set}
                revealed={revealed[set.id]}
                onReveal={reveal}
                onHide={hide}
                onCopy={copy}
                onSetUsed={(index, used) => void setUsed(set.id, index, used)}
                actions={
                  <button type="button" className="button secondary danger-text" onClick={() => setDeleting(set)}>
                    <Icon name="trash" size={16} /> Delete
                  </button>
                }
              />
            ))}
          </details>
        )}
      </div>
      {deleting && (
        <ConfirmDialog
          title="Delete this earlier set?"
          tone="danger"
          confirmLabel="Delete set"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const setId = deleting.id;
            setDeleting(null);
            void withCodes(async () => {
              await call('recovery:deleteSet', { setId });
              await useRecovery.getState().load();
            });
          }}
        >
          <p>
            Its {deleting.count} codes ({deleting.unused} unused) are removed from the vault. Services usually stop accepting old codes once new ones are made, but keep
            it if you are not sure.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function Summary({ recovery }: { recovery: AccountRecovery }) {
  // With no codes at all the sentence itself is the warning; saying "no backup codes" twice reads like a glitch.
  if (recovery.total === 0) {
    return (
      <p className="identity-sub" data-testid="recovery-summary">
        <span className="recovery-warning">No backup codes yet</span>
      </p>
    );
  }
  return (
    <p className="identity-sub" data-testid="recovery-summary">
      {`${recovery.unused} of ${recovery.total} unused`}
      {recovery.warnings.length > 0 && (
        <>
          {' · '}
          <WarningText warnings={recovery.warnings} />
        </>
      )}
    </p>
  );
}

/** Two or fewer left, or none: say it in a sentence, with the way out next to it. */
function RunningOutNotice({ recovery, onAdd }: { recovery: AccountRecovery; onAdd: () => void }) {
  const noneLeft = recovery.warnings.includes('none-left');
  if (!noneLeft && !recovery.warnings.includes('low')) return null;
  const sentence = noneLeft
    ? 'Every backup code has been used. Make new codes at the service and add them here before you need one.'
    : `Only ${recovery.unused} backup code${recovery.unused === 1 ? '' : 's'} left. Make new codes at the service before the last one is gone.`;
  return (
    <div className="notice notice-warn" data-testid="running-out-notice">
      <Icon name="alert" size={16} />
      <p>{sentence}</p>
      <button type="button" className="button secondary small" onClick={onAdd}>
        Add new codes
      </button>
    </div>
  );
}

function PendingBar({ pending, onDone, setUsed }: { pending: NonNullable<Pending>; onDone: (next: Pending) => void; setUsed: (setId: string, index: number, used: boolean) => Promise<void> }) {
  const number = pending.index + 1;
  return (
    <div className="notice recovery-pending" role="status">
      <Icon name={pending.kind === 'ask' ? 'copy' : 'check'} size={16} />
      <p>{pending.kind === 'ask' ? `Copied code ${number}. Mark it as used?` : `Code ${number} is marked as used.`}</p>
      {pending.kind === 'ask' ? (
        <>
          <button
            type="button"
            className="button primary small"
            autoFocus
            onClick={async () => {
              await setUsed(pending.setId, pending.index, true);
              onDone({ ...pending, kind: 'undo' });
            }}
          >
            Mark as used
          </button>
          <button type="button" className="button secondary small" onClick={() => onDone(null)}>
            Not now
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button secondary small"
          autoFocus
          onClick={async () => {
            await setUsed(pending.setId, pending.index, false);
            onDone(null);
          }}
        >
          Undo
        </button>
      )}
    </div>
  );
}

interface SetCardProps {
  set: RecoverySetSummary;
  revealed: Record<number, string> | undefined;
  onReveal: (setId: string, index?: number) => Promise<void>;
  onHide: (setId: string) => void;
  onCopy: (setId: string, index: number) => Promise<void>;
  onSetUsed: (index: number, used: boolean) => void;
  actions: ReactNode;
}

function SetCard({ set, revealed, onReveal, onHide, onCopy, onSetUsed, actions }: SetCardProps) {
  const shown = revealed !== undefined && Object.keys(revealed).length === set.count;
  return (
    <section className="settings-card recovery-set" aria-label={set.current ? 'Current backup codes' : `Earlier set from ${day(set.createdAt)}`} data-testid={set.current ? 'current-set' : 'earlier-set'}>
      <div className="recovery-set-head">
        <div>
          <p className="setting-label">{set.current ? 'Current codes' : `Replaced ${day(set.supersededAt ?? set.createdAt)}`}</p>
          <p className="setting-description">
            Added {day(set.createdAt)} · {SOURCE_LABELS[set.source]} · {set.unused} of {set.count} unused
          </p>
        </div>
        <span className="spacer" />
        <button type="button" className="button secondary" onClick={() => (shown ? onHide(set.id) : void onReveal(set.id))}>
          {shown ? 'Hide' : 'Reveal all'}
        </button>
        {actions}
      </div>
      <ol className="recovery-codes">
        {set.codes.map((code) => {
          const text = revealed?.[code.index];
          return (
            <li key={code.index} className={`recovery-code ${code.used ? 'recovery-code-used' : ''}`} data-testid="backup-code">
              <span className="recovery-code-number">{code.index + 1}</span>
              {text === undefined ? (
                <button type="button" className="recovery-code-text mono masked" aria-label={`Reveal code ${code.index + 1}`} onClick={() => void onReveal(set.id, code.index)}>
                  ••••-••••
                </button>
              ) : (
                <span className="recovery-code-text mono">{text}</span>
              )}
              {code.used && <span className="recovery-code-state">{`${HOW_LABELS[code.how ?? 'marked']} ${day(code.usedAt ?? 0)}`}</span>}
              <button type="button" className="icon-button" aria-label={`Copy code ${code.index + 1}`} title="Copy" onClick={() => void onCopy(set.id, code.index)}>
                <Icon name="copy" size={15} />
              </button>
              <label className="recovery-used-toggle">
                <input type="checkbox" checked={code.used} onChange={(event) => onSetUsed(code.index, event.target.checked)} aria-label={`Code ${code.index + 1} used`} />
                Used
              </label>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const HOW_LABELS = { copied: 'Copied', marked: 'Marked', provider: 'Spent' } as const;
const SOURCE_LABELS = { pasted: 'pasted', file: 'from a file', provider: 'from the service' } as const;

export function day(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}
