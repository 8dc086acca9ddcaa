import { type DragEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { ImportPreviewView, ImportReportView } from '../../../shared/import';
import { call, errorMessage, isApiError } from '../api';
import { displayName } from '../format';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';
import { Segmented } from '../ui/Field';
import { PageHeader } from '../ui/PageHeader';
import { ImportPreviewList } from './ImportPreviewList';
import { fileToBase64, MAX_FILE_BYTES } from './read-files';
import { ImportPasswordForm } from './ImportPasswordForm';
import './import.css';

type Step =
  | { name: 'pick' }
  | { name: 'reading'; done: number; total: number; bytes: number }
  | { name: 'preview'; preview: ImportPreviewView; chosen: Set<number> }
  | { name: 'saving'; count: number }
  | { name: 'report'; report: ImportReportView };

/**
 * Import from another authenticator: choose files, see every entry with its code now (compare
 * with the old app), leave entries out, save in one go, read the report.
 */
export function ImportView() {
  const setView = useApp((state) => state.setView);
  const [step, setStep] = useState<Step>({ name: 'pick' });
  const [files, setFiles] = useState<File[]>([]);
  const [format, setFormat] = useState('');
  const [formats, setFormats] = useState<{ id: string; title: string }[]>([]);
  /** The export file's password last tried: the field shows it again when it was wrong. */
  const [password, setPassword] = useState('');
  const [askPassword, setAskPassword] = useState(false);
  const [passwordNote, setPasswordNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** A Latchkey backup whose codes need the password of the vault it came from (the second ImportPasswordForm). */
  const [askSourceVault, setAskSourceVault] = useState<{ filePassword: string | null } | null>(null);

  useEffect(() => {
    call('import:formats').then(setFormats, () => undefined);
    // Whatever was read stays in main until saved; leaving the page drops it there too.
    return () => void call('import:cancel').catch(() => undefined);
  }, []);

  const filesName = files.length === 1 ? (files[0]?.name ?? '') : `${files.length} files`;

  async function read(chosenFiles: File[], withPassword: string | null, sourceVaultPassword?: string): Promise<void> {
    setError(null);
    const tooLarge = chosenFiles.find((file) => file.size > MAX_FILE_BYTES);
    if (tooLarge) return setError(`${tooLarge.name} is larger than 16 MiB; no authenticator export is that large.`);
    const bytes = chosenFiles.reduce((sum, file) => sum + file.size, 0);
    setStep({ name: 'reading', done: 0, total: chosenFiles.length, bytes });
    try {
      const payload: { name: string; data: string }[] = [];
      for (const [index, file] of chosenFiles.entries()) {
        payload.push({ name: file.name, data: await fileToBase64(file) });
        setStep({ name: 'reading', done: index + 1, total: chosenFiles.length, bytes });
      }
      const preview = await call('import:read', { files: payload, ...(format ? { format } : {}), ...(withPassword ? { password: withPassword } : {}), ...(sourceVaultPassword ? { sourceVaultPassword } : {}) });
      setAskPassword(false);
      setAskSourceVault(null);
      setStep({ name: 'preview', preview, chosen: new Set(preview.entries.filter((entry) => entry.status === 'new').map((entry) => entry.index)) });
    } catch (caught) {
      setStep({ name: 'pick' });
      // An encrypted file is a normal step, not a failure: ask for its password.
      if (isApiError(caught, 'IMPORT_PASSWORD_REQUIRED')) {
        setAskPassword(true);
        setPasswordNote(caught.message.replace(/^[^.]*\.\s*/, ''));
        return;
      }
      if (isApiError(caught, 'BACKUP_CODES_SEALED')) {
        setAskPassword(false);
        if (sourceVaultPassword) setError('That password does not open the backup codes either. Check it and try again.');
        setAskSourceVault({ filePassword: withPassword });
        return;
      }
      if (isApiError(caught, 'IMPORT_WRONG_PASSWORD')) setAskPassword(true);
      setError(errorMessage(caught));
    }
  }

  function choose(list: File[]): void {
    setFiles(list);
    setPassword('');
    setAskPassword(false);
    setAskSourceVault(null);
    setError(null);
    if (list.length > 0) void read(list, null);
  }

  async function save(chosen: Set<number>): Promise<void> {
    setStep({ name: 'saving', count: chosen.size });
    try {
      const report = await call('import:confirm', { chosen: [...chosen] });
      setStep({ name: 'report', report });
    } catch (caught) {
      setError(errorMessage(caught));
      setStep({ name: 'pick' });
    }
  }

  return (
    <div className="screen page">
      <PageHeader title="Import accounts">
        <button type="button" className="button secondary page-header-action" onClick={() => setView({ name: 'export' })}>
          Export…
        </button>
      </PageHeader>
      <div className="page-body import-body">
        {error && (
          <div className="notice notice-error" role="alert">
            <Icon name="alert" size={16} />
            <p>{error}</p>
          </div>
        )}
        {step.name === 'pick' && askPassword && files.length > 0 && (
          <ImportPasswordForm
            inputId="import-password"
            title={`${filesName} ${files.length === 1 ? 'is' : 'are'} encrypted`}
            summary={passwordNote}
            label="Password of the export file"
            hint="The password you chose when you exported from the other app. It is used once, here, and not kept."
            initialPassword={password}
            onOpen={(typed) => {
              setPassword(typed);
              void read(files, typed);
            }}
            onCancel={() => choose([])}
          />
        )}
        {step.name === 'pick' && askSourceVault && files.length > 0 && (
          // A Latchkey backup whose codes are sealed with the password of the vault it was made from: without it nothing is imported.
          <ImportPasswordForm
            inputId="import-source-vault-password"
            title={`The backup codes in ${filesName} are sealed`}
            summary="They are sealed with the password of the vault the backup was made from, which is not the backup password."
            label="Password of that vault"
            hint="It opens the codes and provider credentials once, here, to store them as this vault keeps its own. It is not kept."
            onOpen={(vaultPassword) => void read(files, askSourceVault.filePassword, vaultPassword)}
            onCancel={() => choose([])}
          />
        )}
        {step.name === 'pick' && !askPassword && !askSourceVault && (
          <>
            <FilePicker onFiles={choose} />
            <div className="field">
              <label className="field-label" htmlFor="import-format">
                Format
              </label>
              <select id="import-format" className="select" value={format} onChange={(event) => setFormat(event.target.value)}>
                <option value="">Detect from the file</option>
                {formats.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.title}
                  </option>
                ))}
              </select>
            </div>
            <p className="field-hint import-formats-hint">
              Reads exports of Aegis, 2FAS, andOTP, Authenticator Pro / Stratum, Bitwarden, Ente Auth, FreeOTP, Proton Authenticator, Authy, Steam, Duo, Google and Microsoft Authenticator and more, plus lists of otpauth:// links. Nothing is saved until you confirm.
            </p>
          </>
        )}
        {step.name === 'reading' && <ReadingProgress step={step} />}
        {step.name === 'saving' && <Progress label={`Saving ${step.count} account${step.count === 1 ? '' : 's'}…`} />}
        {step.name === 'preview' && (
          <PreviewStep
            preview={step.preview}
            chosen={step.chosen}
            onChange={(chosen) => setStep({ ...step, chosen })}
            onCancel={() => {
              void call('import:cancel');
              setStep({ name: 'pick' });
            }}
            onSave={() => void save(step.chosen)}
          />
        )}
        {step.name === 'report' && <ReportStep report={step.report} />}
      </div>
    </div>
  );
}

function FilePicker({ onFiles }: { onFiles: (files: File[]) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    onFiles([...event.dataTransfer.files]);
  }
  return (
    <div
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      data-testid="import-dropzone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <Icon name="import" size={26} />
      <p className="dropzone-text">Drop the export files of your old authenticator here, or</p>
      <button type="button" className="button primary" onClick={() => inputRef.current?.click()}>
        Choose files…
      </button>
      <input
        ref={inputRef}
        className="sr-only"
        type="file"
        multiple
        aria-label="Export files to import"
        onChange={(event) => {
          const list = [...(event.target.files ?? [])];
          event.target.value = '';
          onFiles(list);
        }}
      />
    </div>
  );
}

/**
 * Reading a large export takes a moment: first the files are loaded here (a bar per file), then
 * main reads, decrypts and checks every entry and makes its code (a moving bar until the preview).
 */
function ReadingProgress({ step }: { step: Extract<Step, { name: 'reading' }> }) {
  const size = step.bytes >= 1024 * 1024 ? `${(step.bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(step.bytes / 1024))} KB`;
  if (step.done < step.total) return <Progress label={`Loading ${step.total === 1 ? 'the file' : `file ${step.done + 1} of ${step.total}`} (${size})…`} value={step.done} max={step.total} />;
  return <Progress label={`Reading every entry of ${step.total === 1 ? 'the file' : `the ${step.total} files`} (${size}) and making its code…`} />;
}

function Progress({ label, value, max }: { label: string; value?: number; max?: number }) {
  return (
    <div className="import-progress" role="status">
      <p>{label}</p>
      <progress className="import-progress-bar" value={value} max={max} aria-label={label} />
    </div>
  );
}

function PreviewStep({ preview, chosen, onChange, onCancel, onSave }: { preview: ImportPreviewView; chosen: Set<number>; onChange: (chosen: Set<number>) => void; onCancel: () => void; onSave: () => void }) {
  const counts = useMemo(() => {
    const result = { new: 0, duplicate: 0, refused: 0 };
    for (const entry of preview.entries) result[entry.status]++;
    return result;
  }, [preview]);
  const source = preview.files.length === 1 ? `${preview.files[0]?.fileName} (${preview.files[0]?.formatTitle})` : `${preview.files.length} files`;
  // In a file of thousands, the duplicates and the refused entries are found by showing only them.
  const [show, setShow] = useState<'all' | ImportPreviewView['entries'][number]['status']>('all');
  const shown = useMemo(() => (show === 'all' ? preview.entries : preview.entries.filter((entry) => entry.status === show)), [preview, show]);
  const kinds = (['new', 'duplicate', 'refused'] as const).filter((status) => counts[status] > 0);
  const showOptions = [
    { value: 'all' as const, label: `All ${preview.entries.length}` },
    ...kinds.map((status) => ({ value: status, label: `${{ new: 'New', duplicate: 'Duplicates', refused: 'Refused' }[status]} ${counts[status]}` })),
  ];
  return (
    <section className="import-preview" aria-labelledby="import-preview-title">
      <div className="import-preview-head">
        <h2 id="import-preview-title" className="import-title">
          {preview.entries.length} {preview.entries.length === 1 ? 'entry' : 'entries'} in {source}
        </h2>
        <p className="import-summary">
          {counts.new} new · {counts.duplicate} duplicate{counts.duplicate === 1 ? '' : 's'} · {counts.refused} cannot be imported. Compare each code with the old app before you import.
        </p>
      </div>
      {kinds.length > 1 && <Segmented label="Show entries" hideLabel value={show} options={showOptions} onChange={setShow} />}
      <ImportPreviewList entries={shown} chosen={chosen} onChange={onChange} />
      <div className="import-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={onSave} disabled={chosen.size === 0}>
          Import {chosen.size} account{chosen.size === 1 ? '' : 's'}
        </button>
      </div>
    </section>
  );
}

function ReportStep({ report }: { report: ImportReportView }) {
  const setView = useApp((state) => state.setView);
  const doneRef = useRef<HTMLButtonElement>(null);
  useEffect(() => doneRef.current?.focus(), []);
  return (
    <section className="import-report" aria-labelledby="import-report-title">
      <h2 id="import-report-title" className="import-title">
        <Icon name="check" size={18} /> Imported {report.imported} account{report.imported === 1 ? '' : 's'}
      </h2>
      <dl className="import-counts" aria-label="What happened to each entry">
        <div>
          <dt>Imported</dt>
          <dd>{report.imported}</dd>
        </div>
        <div>
          <dt>Skipped duplicates</dt>
          <dd>{report.skippedDuplicates}</dd>
        </div>
        <div>
          <dt>Left out by you</dt>
          <dd>{report.leftOut}</dd>
        </div>
        <div>
          <dt>Refused</dt>
          <dd>{report.refused.length}</dd>
        </div>
      </dl>
      <p className="field-hint">
        {report.total} {report.total === 1 ? 'entry' : 'entries'} in all; nothing was dropped without being counted here.
      </p>
      {report.refused.length > 0 && (
        // A long list scrolls; it takes the focus so that the keyboard can scroll it too.
        <ul className="import-refused" aria-label="Refused entries" tabIndex={report.refused.length > 10 ? 0 : undefined}>
          {report.refused.map((entry) => (
            <li key={entry.index}>
              <strong>{displayName(entry)}</strong>: {entry.reason}
            </li>
          ))}
        </ul>
      )}
      {report.extras && report.extras.length > 0 && (
        <>
          <p className="field-hint">
            {report.backupCodeSets ?? 0} set{report.backupCodeSets === 1 ? '' : 's'} of backup codes and {report.connections ?? 0} provider connection{report.connections === 1 ? '' : 's'} saved.
          </p>
          <ul className="import-refused" aria-label="Backup codes and provider connections">
            {report.extras.map((entry) => (
              <li key={entry.index}>
                <strong>{displayName(entry)}</strong>: {entry.outcome}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="import-actions">
        <button ref={doneRef} type="button" className="button primary" onClick={() => setView({ name: 'list' })}>
          Done
        </button>
      </div>
    </section>
  );
}

