import { type DragEvent, useEffect, useRef, useState } from 'react';
import type { ScanState, ScreenSource } from '../../../shared/domain';
import { call, errorMessage } from '../api';
import { displayName, typeName } from '../format';
import { ConfirmDialog } from '../ui/Dialog';
import { Segmented } from '../ui/Field';
import { PageHeader } from '../ui/PageHeader';
import { CameraScanner } from './CameraScanner';
import { prepareQrDecoder } from './qr-client';
import { dataUrlToBlob, IMAGE_TYPES, imageFromTransfer, readQrCodesFromBlob } from './read-image';
import { useScanFlow } from './scan-flow';
import './scan.css';

export type ScanSource = 'camera' | 'image' | 'screen';

const NOT_FOUND_HINT = 'Try again closer and in better light, use a sharper image, or add the account by hand with its setup key.';

/** Add accounts from QR codes: the camera, an image (file, drop, paste) or the screen. */
export function ScanView({ initialSource = 'camera', initialImage }: { initialSource?: ScanSource; initialImage?: File }) {
  const [source, setSource] = useState<ScanSource>(initialSource);
  const { state, error, busy, askDuplicate, submit, confirm, fail, reset } = useScanFlow();

  // Whatever was read stays in main until confirmed; leaving the page drops it there too.
  // The decoder's worker starts now, so that the first picture does not wait for its .wasm to compile.
  useEffect(() => {
    void prepareQrDecoder().catch(() => undefined);
    void reset();
    return () => void useScanFlow.getState().reset();
  }, [reset]);

  async function readTexts(texts: string[], tried: string): Promise<void> {
    if (texts.length === 0) return fail(`No QR code found ${tried}. ${NOT_FOUND_HINT}`);
    await submit(texts);
  }

  async function readBlob(blob: Blob, tried: string): Promise<void> {
    try {
      await readTexts(await readQrCodesFromBlob(blob), tried);
    } catch (caught) {
      fail(caught instanceof Error ? caught.message : errorMessage(caught));
    }
  }

  // An image pasted or dropped on the list brought us here: read it straight away.
  useEffect(() => {
    if (initialImage) void readBlob(initialImage, `in the ${initialImage.name ? `image ${initialImage.name}` : 'image'}`);
  }, [initialImage]);

  usePastedImages((file) => {
    setSource('image');
    void readBlob(file, 'in the pasted image');
  });

  const complete = state?.complete ?? false;
  return (
    <div className="screen page">
      <PageHeader title="Scan QR code" />
      <div className="page-body scan-body">
        <Segmented<ScanSource>
          label="Read the code from"
          hideLabel
          value={source}
          onChange={setSource}
          options={[
            { value: 'camera', label: 'Camera' },
            { value: 'image', label: 'Image' },
            { value: 'screen', label: 'Screen' },
          ]}
        />
        {source === 'camera' && !complete && (
          <CameraScanner
            onRead={async (text) => {
              await submit([text]);
              const after = useScanFlow.getState();
              // Keep scanning while an export has parts left, or after a code that was not an account.
              return after.error !== null || (after.state !== null && !after.state.complete);
            }}
          />
        )}
        {source === 'image' && <ImagePicker onImage={(file) => void readBlob(file, `in ${file.name || 'the image'}`)} />}
        {source === 'screen' && <ScreenPicker onCapture={(image, name) => void readBlob(dataUrlToBlob(image), `on ${name}`)} onError={fail} />}

        {busy && <p className="scan-busy" role="status">Reading…</p>}
        {error && (
          <div className="notice notice-error" role="alert">
            <span>{error}</span>
          </div>
        )}
        {state && <ScanResult state={state} busy={busy} onAdd={() => void confirm()} onCancel={() => void reset()} />}
      </div>
      {askDuplicate && state?.accounts[0]?.duplicateOf && (
        <ConfirmDialog title="Add a second copy?" confirmLabel="Add a copy" onConfirm={() => void confirm(true)} onCancel={() => useScanFlow.setState({ askDuplicate: false })}>
          <p>This code’s secret is already saved as {displayName(state.accounts[0].duplicateOf)}. Both would show the same codes.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function ScanResult({ state, busy, onAdd, onCancel }: { state: ScanState; busy: boolean; onAdd: () => void; onCancel: () => void }) {
  const count = state.accounts.length;
  const newOnes = state.accounts.filter((account) => account.duplicateOf === null).length;
  return (
    <section className="scan-result" aria-label="What was read">
      <h2 className="scan-result-title">{state.kind === 'migration' ? 'Google Authenticator export' : state.kind === 'accounts' ? `${count} accounts found` : 'Account found'}</h2>
      {state.missingParts.map((batch) => (
        <p key={batch.parts.join(',')} className="notice" role="status">
          Scan {batch.parts.length === 1 ? `part ${batch.parts[0]}` : `parts ${batch.parts.join(', ')}`} of {batch.batchSize} next: this export spans {batch.batchSize} QR codes.
        </p>
      ))}
      <ul className="scan-accounts">
        {state.accounts.map((account, index) => (
          <li key={index} className="scan-account">
            <span className="scan-account-name">{displayName(account)}</span>
            <span className="scan-account-meta">
              {typeName(account.type)} · {account.algorithm} · {account.digits} {account.type === 'steam' ? 'characters' : 'digits'}
              {account.type === 'hotp' ? ` · counter ${account.counter}` : account.type === 'totp' ? ` · ${account.period} s` : ''}
            </span>
            {account.duplicateOf && <span className="scan-account-duplicate">Already saved as {displayName(account.duplicateOf)}</span>}
          </li>
        ))}
      </ul>
      <div className="scan-actions">
        <button type="button" className="button secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={onAdd} disabled={busy || !state.complete}>
          {state.kind === 'account' ? 'Add account' : newOnes === count ? `Add ${count} accounts` : `Add ${newOnes} new of ${count}`}
        </button>
      </div>
    </section>
  );
}

function ImagePicker({ onImage }: { onImage: (file: File) => void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setOver(false);
    const file = imageFromTransfer(event.dataTransfer);
    if (file) onImage(file);
  }
  return (
    <div
      className={`dropzone ${over ? 'dropzone-over' : ''}`}
      data-testid="image-dropzone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="dropzone-text">Drop an image with a QR code here, paste one ({isMacPlatform() ? '⌘V' : 'Ctrl V'}), or</p>
      <button type="button" className="button secondary" onClick={() => inputRef.current?.click()}>
        Choose an image…
      </button>
      <input
        ref={inputRef}
        className="sr-only"
        type="file"
        accept={IMAGE_TYPES.join(',')}
        aria-label="Image file with a QR code"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) onImage(file);
        }}
      />
    </div>
  );
}

function ScreenPicker({ onCapture, onError }: { onCapture: (image: string, name: string) => void; onError: (message: string) => void }) {
  const [sources, setSources] = useState<ScreenSource[] | null>(null);
  useEffect(() => {
    let live = true;
    call('screen:sources').then(
      (found) => live && setSources(found),
      (error: unknown) => live && onError(errorMessage(error)),
    );
    return () => {
      live = false;
    };
  }, [onError]);
  if (sources === null) return <p className="scan-busy" role="status">Looking for screens and windows…</p>;
  if (sources.length === 0) return <p className="notice">No screen or window can be captured here. Save the QR code as an image and use Image instead.</p>;
  return (
    <div className="screen-sources" role="group" aria-label="Screens and windows">
      <p className="field-hint">Choose the screen or window that shows the QR code. The capture stays in memory and is never saved.</p>
      <div className="screen-grid">
        {sources.map((source) => (
          <button
            key={source.id}
            type="button"
            className="screen-source"
            onClick={() =>
              void call('screen:capture', { sourceId: source.id }).then(
                ({ image }) => onCapture(image, source.name),
                (error: unknown) => onError(errorMessage(error)),
              )
            }
          >
            <img src={source.thumbnail} alt="" className="screen-thumb" />
            <span className="screen-name">{source.name}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

/** Ctrl/Cmd+V with an image anywhere on the page. */
function usePastedImages(onImage: (file: File) => void): void {
  const onImageRef = useRef(onImage);
  onImageRef.current = onImage;
  useEffect(() => {
    const onPaste = (event: ClipboardEvent) => {
      const file = imageFromTransfer(event.clipboardData);
      if (!file) return;
      event.preventDefault();
      onImageRef.current(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);
}

function isMacPlatform(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}
