import { type FormEvent, useState } from 'react';
import { call, errorMessage, isApiError } from '../api';
import { useRecovery } from '../recovery/recovery-store';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { PageHeader } from '../ui/PageHeader';
import { ConnectionFields, emptyForm, type FormState, toConnectionForm } from './provider-forms';
import { progressText, useProviderProgress } from './ProviderView';
import { UnsavedCodes } from './UnsavedCodes';

/**
 * Misakey enrollment from the desktop: Latchkey starts it, reads the QR image itself, adds the
 * account, finishes with its current code and stores the backup codes. Run again with the same
 * identity, it continues a run that stopped half way.
 */
export function EnrollView() {
  const [form, setForm] = useState<FormState>(emptyForm('misakey'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [unsaved, setUnsaved] = useState<string[] | null>(null);
  const progress = useProviderProgress(busy);
  /** Counts finished attempts, so a test can tell this error from the last one. */
  const [runs, setRuns] = useState(0);

  async function enroll(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await call('providers:enroll', { connection: toConnectionForm(form) });
      await useApp.getState().loadAccounts();
      await useRecovery.getState().load();
      if (result.unsaved) {
        // Misakey finished but the codes could not be saved: shown here, once, and the page stays.
        setUnsaved(result.unsaved.codes);
        setError(result.unsaved.error.message);
        return;
      }
      useApp.getState().showToast(`Enrolled with Misakey${result.resumed ? ' (continued)' : ''}; ${result.codeCount} backup codes stored`);
      useApp.getState().setView({ name: 'provider', accountId: result.accountId });
    } catch (caught) {
      if (isApiError(caught, 'RECOVERY_SEALED')) useRecovery.setState({ passwordPrompt: { retry: () => enroll() } });
      else setError(errorMessage(caught));
    } finally {
      setRuns((count) => count + 1);
      setBusy(false);
    }
  }

  return (
    <div className="screen page">
      <PageHeader title="Enroll with Misakey" />
      <form className="page-body provider-page provider-form" onSubmit={enroll} aria-label="Enroll with Misakey">
        <div className="notice notice-info" role="note">
          <Icon name="key" size={16} />
          <p>Latchkey turns on two-step sign-in for this Misakey identity and keeps the new secret and its backup codes. No phone needed.</p>
        </div>
        {unsaved && <UnsavedCodes codes={unsaved} headline="Misakey finished the enrollment and the account was added, but its backup codes could not be saved." next="Then connect the account to Misakey from its Provider page; do not enroll again." onDismiss={() => setUnsaved(null)} />}
        <ConnectionFields form={form} onChange={setForm} fixedProvider />
        {busy && (
          <p className="provider-progress" role="status">
            <span className="spinner" aria-hidden="true" /> {progressText(progress) ?? 'Starting the enrollment…'}
          </p>
        )}
        {error && (
          <div className="notice notice-error provider-outcome" role="alert" data-testid="provider-outcome" data-run={runs}>
            <Icon name="alert" size={16} />
            <p>{error}</p>
          </div>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Enrolling…' : 'Enroll'}
          </button>
        </div>
      </form>
    </div>
  );
}
