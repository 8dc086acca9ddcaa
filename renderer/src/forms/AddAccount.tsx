import { type ClipboardEvent, type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Algorithm, NewAccountInput, OtpType } from '../../../shared/domain';
import { ApiError, call, errorMessage, isApiError } from '../api';
import { displayName, groupsOf, typeName } from '../format';
import { useApp } from '../store';
import { ConfirmDialog } from '../ui/Dialog';
import { InputField, Segmented, TextAreaField, FieldShell } from '../ui/Field';
import { Icon } from '../ui/Icon';
import { Monogram } from '../ui/Monogram';
import { PageHeader } from '../ui/PageHeader';
import { type Problems, toProblems } from './problems';

const VALIDATE_DELAY_MS = 150;

interface Draft {
  issuer: string;
  label: string;
  secret: string;
  type: OtpType;
  algorithm: Algorithm;
  digits: string;
  period: string;
  counter: string;
  group: string;
  notes: string;
}

const EMPTY_DRAFT: Draft = { issuer: '', label: '', secret: '', type: 'totp', algorithm: 'SHA1', digits: '6', period: '30', counter: '0', group: '', notes: '' };

type Preview = Awaited<ReturnType<typeof previewUri>>;
const previewUri = (uri: string) => call('accounts:previewUri', { uri });

function numberOrRaw(value: string): number | string {
  const trimmed = value.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function toInput(draft: Draft): Record<string, unknown> {
  return {
    type: draft.type,
    secret: draft.secret,
    issuer: draft.issuer,
    label: draft.label,
    algorithm: draft.type === 'steam' ? 'SHA1' : draft.algorithm,
    digits: draft.type === 'steam' ? 5 : numberOrRaw(draft.digits),
    period: draft.type === 'hotp' ? 30 : draft.type === 'steam' ? 30 : numberOrRaw(draft.period),
    counter: draft.type === 'hotp' ? numberOrRaw(draft.counter) : 0,
    group: draft.group.trim() === '' ? null : draft.group,
    notes: draft.notes,
  };
}

function nameProblem(draft: Draft): string | null {
  return draft.issuer.trim() === '' && draft.label.trim() === '' ? 'Give the account a name: the service, the account, or both.' : null;
}

/** Adds an account typed in by hand, or from a pasted otpauth:// setup link. */
export function AddAccount({ mode }: { mode: 'key' | 'link' }) {
  const setView = useApp((state) => state.setView);
  const accounts = useApp((state) => state.accounts);
  const groups = useMemo(() => groupsOf(accounts), [accounts]);
  const [link, setLink] = useState('');

  function switchMode(next: 'key' | 'link') {
    setView({ name: 'add', mode: next });
  }

  return (
    <div className="screen page">
      <PageHeader title="Add account">
        <button type="button" className="button secondary small page-header-action" onClick={() => setView({ name: 'enroll' })}>
          Enroll with Misakey
        </button>
      </PageHeader>
      <div className="page-body">
        <Segmented
          label="How to add it"
          hideLabel
          value={mode}
          options={[
            { value: 'key', label: 'Setup key' },
            { value: 'link', label: 'Setup link' },
          ]}
          onChange={switchMode}
        />
        {mode === 'key' ? (
          <KeyForm
            groups={groups}
            onLinkPasted={(uri) => {
              setLink(uri);
              switchMode('link');
            }}
          />
        ) : (
          <LinkForm initial={link} />
        )}
      </div>
    </div>
  );
}

/** After an add: back to the list with the new account selected, and say so. */
function useFinish() {
  return (added: { id: string; issuer: string; label: string }) => {
    const state = useApp.getState();
    state.select(added.id);
    state.setQuery('');
    state.setGroup(null);
    state.setView({ name: 'list' });
    state.showToast(`Added ${displayName(added)}`);
  };
}

/** Asks "add a second copy?" when main answers DUPLICATE_ACCOUNT, then retries with allowDuplicate. */
function useDuplicateGuard<T>(add: (allowDuplicate: boolean) => Promise<T>, onAdded: (value: T) => void, onError: (message: string) => void) {
  const [duplicate, setDuplicate] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(allowDuplicate: boolean) {
    setBusy(true);
    try {
      const value = await add(allowDuplicate);
      setDuplicate(null);
      onAdded(value);
    } catch (caught) {
      if (!allowDuplicate && isApiError(caught, 'DUPLICATE_ACCOUNT')) setDuplicate(caught.message);
      else {
        setDuplicate(null);
        onError(errorMessage(caught));
      }
    } finally {
      setBusy(false);
    }
  }

  const dialog = duplicate ? (
    <ConfirmDialog title="Add a second copy?" confirmLabel="Add a second copy" busy={busy} onConfirm={() => void run(true)} onCancel={() => setDuplicate(null)}>
      <p>{duplicate}</p>
      <p>Both copies would show the same codes.</p>
    </ConfirmDialog>
  ) : null;
  return { run, busy, dialog };
}

function KeyForm({ groups, onLinkPasted }: { groups: string[]; onLinkPasted: (uri: string) => void }) {
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [checked, setChecked] = useState<Draft | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const groupListId = useId();
  const finish = useFinish();
  const refs = {
    issuer: useRef<HTMLInputElement>(null),
    label: useRef<HTMLInputElement>(null),
    secret: useRef<HTMLInputElement>(null),
    digits: useRef<HTMLSelectElement>(null),
    period: useRef<HTMLInputElement>(null),
    counter: useRef<HTMLInputElement>(null),
  };

  // Validate as the user types, in main (the same checks the add will run), lightly debounced.
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      call('accounts:validate', { account: toInput(draft) }).then(
        (result) => {
          if (!current) return;
          setProblems(toProblems(result.problems));
          setChecked(draft);
        },
        () => undefined,
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [draft]);

  const guard = useDuplicateGuard(
    (allowDuplicate) => call('accounts:add', { account: toInput(draft) as NewAccountInput, allowDuplicate }),
    finish,
    setFormError,
  );

  function update<K extends keyof Draft>(field: K, value: Draft[K]) {
    setDraft((previous) => ({ ...previous, [field]: value }));
    setTouched((previous) => (previous[field] ? previous : { ...previous, [field]: true }));
    setFormError(null);
  }

  const allProblems: Problems = { ...problems };
  const naming = nameProblem(draft);
  if (naming) allProblems.issuer = naming;
  const show = (field: string) => ((submitted || touched[field]) && allProblems[field]) || null;
  // The name problem waits until both names were left empty on purpose (or the user tried to add).
  const showIssuer = naming ? (submitted || (touched.issuer && touched.label) ? naming : null) : show('issuer');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    let current = allProblems;
    if (checked !== draft) {
      try {
        const result = await call('accounts:validate', { account: toInput(draft) });
        current = toProblems(result.problems);
        if (naming) current.issuer = naming;
        setProblems(toProblems(result.problems));
        setChecked(draft);
      } catch (caught) {
        setFormError(errorMessage(caught));
        return;
      }
    }
    const order = ['issuer', 'label', 'secret', 'digits', 'period', 'counter'] as const;
    const first = order.find((field) => current[field]);
    if (first || Object.keys(current).length > 0) {
      if (first) refs[first].current?.focus();
      return;
    }
    await guard.run(false);
  }

  function onSecretPaste(event: ClipboardEvent<HTMLInputElement>) {
    const text = event.clipboardData.getData('text').trim();
    if (/^otpauth(-migration)?:\/\//i.test(text)) {
      event.preventDefault();
      onLinkPasted(text);
    }
  }

  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <div className="form-grid two">
        <InputField
          label="Service"
          placeholder="GitHub"
          inputRef={refs.issuer}
          value={draft.issuer}
          maxLength={256}
          autoFocus
          onChange={(event) => update('issuer', event.target.value)}
          error={showIssuer}
        />
        <InputField
          label="Account name"
          placeholder="you@example.com"
          inputRef={refs.label}
          value={draft.label}
          maxLength={256}
          onChange={(event) => update('label', event.target.value)}
          error={show('label')}
        />
      </div>
      <InputField
        label="Secret key"
        placeholder="JBSW Y3DP EHPK 3PXP"
        className="mono"
        inputRef={refs.secret}
        value={draft.secret}
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
        onChange={(event) => update('secret', event.target.value)}
        onPaste={onSecretPaste}
        error={show('secret')}
        hint="The setup key the site shows next to its QR code. Spaces and lowercase are fine."
      />
      <Segmented
        label="Kind of code"
        value={draft.type}
        options={[
          { value: 'totp', label: 'Time-based' },
          { value: 'hotp', label: 'Counter-based' },
          { value: 'steam', label: 'Steam Guard' },
        ]}
        onChange={(type) => update('type', type)}
      />
      {draft.type === 'steam' ? (
        <p className="form-note">Steam Guard codes are always 5 characters and change every 30 seconds.</p>
      ) : (
        <div className="form-grid three">
          <FieldShell label="Algorithm" error={show('algorithm')}>
            {({ id, describedBy }) => (
              <select id={id} className="select" value={draft.algorithm} aria-describedby={describedBy} onChange={(event) => update('algorithm', event.target.value as Algorithm)}>
                <option value="SHA1">SHA-1</option>
                <option value="SHA256">SHA-256</option>
                <option value="SHA512">SHA-512</option>
              </select>
            )}
          </FieldShell>
          <FieldShell label="Digits" error={show('digits')}>
            {({ id, describedBy, invalid }) => (
              <select
                id={id}
                ref={refs.digits}
                className="select"
                value={draft.digits}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                onChange={(event) => update('digits', event.target.value)}
              >
                {['6', '7', '8', '9', '10'].map((digits) => (
                  <option key={digits} value={digits}>
                    {digits}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          {draft.type === 'totp' ? (
            <InputField
              label="Period (s)"
              inputMode="numeric"
              inputRef={refs.period}
              value={draft.period}
              onChange={(event) => update('period', event.target.value)}
              error={show('period')}
            />
          ) : (
            <InputField
              label="Counter"
              inputMode="numeric"
              inputRef={refs.counter}
              value={draft.counter}
              onChange={(event) => update('counter', event.target.value)}
              error={show('counter')}
            />
          )}
        </div>
      )}
      <InputField
        label="Group"
        placeholder="None"
        list={groupListId}
        value={draft.group}
        maxLength={256}
        onChange={(event) => update('group', event.target.value)}
        error={show('group')}
        hint={groups.length > 0 ? `Existing groups: ${groups.join(', ')}.` : 'Optional, such as Work or Personal: the list can be filtered by group.'}
      />
      <datalist id={groupListId}>
        {groups.map((group) => (
          <option key={group} value={group} />
        ))}
      </datalist>
      <TextAreaField label="Notes" rows={2} value={draft.notes} placeholder="Where the backup codes are, who set it up…" onChange={(event) => update('notes', event.target.value)} error={show('notes')} />
      <AddFormFooter error={formError} busy={guard.busy} />
      {guard.dialog}
    </form>
  );
}

function LinkForm({ initial }: { initial: string }) {
  const [uri, setUri] = useState(initial);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const finish = useFinish();
  const textareaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let current = true;
    const trimmed = uri.trim();
    if (trimmed === '') {
      setPreview(null);
      setProblem(null);
      return;
    }
    const timer = setTimeout(() => {
      previewUri(trimmed).then(
        (result) => {
          if (!current) return;
          setPreview(result);
          setProblem(null);
        },
        (caught: unknown) => {
          if (!current) return;
          setPreview(null);
          setProblem(caught instanceof ApiError ? caught.message : errorMessage(caught));
        },
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [uri]);

  const guard = useDuplicateGuard((allowDuplicate) => call('accounts:addUri', { uri: uri.trim(), allowDuplicate }), finish, setFormError);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setFormError(null);
    if (uri.trim() === '') {
      textareaRef.current?.focus();
      return;
    }
    try {
      await previewUri(uri.trim());
    } catch (caught) {
      setProblem(errorMessage(caught));
      textareaRef.current?.focus();
      return;
    }
    await guard.run(false);
  }

  const shownProblem = problem ?? (submitted && uri.trim() === '' ? 'Paste the setup link first.' : null);
  return (
    <form className="form" onSubmit={(event) => void submit(event)} noValidate>
      <TextAreaField
        label="Setup link"
        className="mono"
        rows={3}
        autoFocus
        spellCheck={false}
        textareaRef={textareaRef}
        placeholder="otpauth://totp/GitHub:you@example.com?secret=…&issuer=GitHub"
        value={uri}
        onChange={(event) => {
          setUri(event.target.value);
          setFormError(null);
        }}
        error={shownProblem}
        hint="Some sites offer this link when you choose “can’t scan the QR code?”. It starts with otpauth://."
      />
      {preview && (
        <section className="preview" aria-label="What will be added">
          <Monogram account={preview} size="lg" />
          <div className="preview-text">
            <p className="preview-title">{preview.issuer || preview.label || 'Unnamed account'}</p>
            {preview.issuer && preview.label && <p className="preview-sub">{preview.label}</p>}
            <dl className="preview-facts">
              <div>
                <dt>Kind</dt>
                <dd>{typeName(preview.type)}</dd>
              </div>
              {preview.type !== 'steam' && (
                <>
                  <div>
                    <dt>Algorithm</dt>
                    <dd>{preview.algorithm.replace('SHA', 'SHA-')}</dd>
                  </div>
                  <div>
                    <dt>Digits</dt>
                    <dd>{preview.digits}</dd>
                  </div>
                </>
              )}
              <div>
                <dt>{preview.type === 'hotp' ? 'Counter' : 'Period'}</dt>
                <dd>{preview.type === 'hotp' ? preview.counter : `${preview.period} s`}</dd>
              </div>
            </dl>
          </div>
        </section>
      )}
      <AddFormFooter error={formError} busy={guard.busy} />
      {guard.dialog}
    </form>
  );
}

/** The end of both add forms: what went wrong, and Cancel / Add account. */
function AddFormFooter({ error, busy }: { error: string | null; busy: boolean }) {
  return (
    <>
      {error && (
        <div role="alert" className="notice notice-error">
          <Icon name="alert" size={16} />
          <p>{error}</p>
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="button secondary" onClick={() => useApp.getState().setView({ name: 'list' })}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          Add account
        </button>
      </div>
    </>
  );
}
