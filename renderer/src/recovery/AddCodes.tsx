import { type DragEvent, useEffect, useRef, useState } from 'react';
import type { RecognisedCodesPreview } from '../../../shared/recovery';
import { call, errorMessage } from '../api';
import { useApp } from '../store';
import { Icon } from '../ui/Icon';

/** Larger text files are not backup codes; main refuses more than 64 KiB anyway. */
const MAX_FILE_BYTES = 256 * 1024;

interface AddCodesProps {
  /** Save to this account; null with `onSave` for a new entry. */
  onSave: (text: string, source: 'pasted' | 'file') => Promise<void>;
  onCancel: () => void;
  replacing: boolean;
}

/**
 * Paste, drop or open a text file of backup codes; what was recognised is shown before anything is
 * saved, and text with no codes gets the reason in a sentence.
 */
export function AddCodes({ onSave, onCancel, replacing }: AddCodesProps) {
  const [text, setText] = useState('');
  const [source, setSource] = useState<'pasted' | 'file'>('pasted');
  const [preview, setPreview] = useState<RecognisedCodesPreview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const areaRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => areaRef.current?.focus(), []);

  // Recognised as it is typed or pasted; an answer for older text is dropped.
  useEffect(() => {
    let current = true;
    if (text.trim() === '') {
      setPreview(null);
      setProblem(null);
      return;
    }
    call('recovery:recognise', { text })
      .then((found) => {
        if (!current) return;
        setPreview(found);
        setProblem(null);
      })
      .catch((error: unknown) => {
        if (!current) return;
        setPreview(null);
        setProblem(errorMessage(error));
      });
    return () => {
      current = false;
    };
  }, [text]);

  async function readFile(file: File) {
    if (file.size > MAX_FILE_BYTES) {
      setProblem(`${file.name} is ${Math.round(file.size / 1024)} KiB; a file of backup codes is far smaller.`);
      return;
    }
    setSource('file');
    setText(await file.text());
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    const file = event.dataTransfer.files[0];
    if (!file) return;
    event.preventDefault();
    event.stopPropagation();
    void readFile(file);
  }

  async function save() {
    if (!preview) return;
    setBusy(true);
    try {
      await onSave(text, source);
    } catch (error) {
      useApp.getState().showToast(errorMessage(error), 'error');
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="recovery-add" aria-label="Add backup codes" onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
      <div className="field">
        <div className="field-label-row">
          <label htmlFor="recovery-text" className="field-label">
            Paste your backup codes, or drop the file the service gave you
          </label>
        </div>
        <textarea
          id="recovery-text"
          ref={areaRef}
          className="input textarea mono recovery-textarea"
          rows={6}
          spellCheck={false}
          autoComplete="off"
          placeholder={'1. abcd-efgh\n2. ijkl-mnop\n…'}
          value={text}
          onChange={(event) => {
            setSource('pasted');
            setText(event.target.value);
          }}
          aria-describedby="recovery-recognised"
        />
      </div>
      <div id="recovery-recognised" className="recovery-preview" aria-live="polite">
        {problem && (
          <div role="alert" className="notice notice-error">
            <Icon name="alert" size={16} />
            <p>{problem}</p>
          </div>
        )}
        {preview && (
          <>
            <p className="recovery-preview-title" data-testid="recognised-count">
              Recognised {preview.codes.length} code{preview.codes.length === 1 ? '' : 's'}
              {preview.skippedLines > 0 ? `, skipped ${preview.skippedLines} line${preview.skippedLines === 1 ? '' : 's'} of text` : ''}
              {preview.duplicates > 0 ? `, ${preview.duplicates} listed twice` : ''}
            </p>
            <ol className="recovery-codes recovery-codes-preview">
              {preview.codes.map((code) => (
                <li key={code} className="mono">
                  {code}
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
      {replacing && preview && <p className="form-note">The current codes will be kept as an earlier set, so nothing is lost.</p>}
      <div className="form-actions">
        <input ref={fileRef} type="file" accept=".txt,.json,text/plain,application/json" hidden onChange={(event) => event.target.files?.[0] && void readFile(event.target.files[0])} />
        <button type="button" className="button secondary" onClick={() => fileRef.current?.click()}>
          Open file…
        </button>
        <span className="spacer" />
        <button type="button" className="button secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={!preview || busy} onClick={() => void save()}>
          {preview ? `Save ${preview.codes.length} code${preview.codes.length === 1 ? '' : 's'}` : 'Save codes'}
        </button>
      </div>
    </section>
  );
}
