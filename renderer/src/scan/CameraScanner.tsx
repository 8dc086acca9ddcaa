import { BrowserQRCodeReader, type IScannerControls } from '@zxing/browser';
import { useEffect, useRef, useState } from 'react';

interface CameraScannerProps {
  /** Called once per new code read; resolve true to keep scanning (more parts to read), false to stop the camera. */
  onRead: (text: string) => Promise<boolean>;
}

type CameraState = { kind: 'starting' } | { kind: 'scanning' } | { kind: 'stopped' } | { kind: 'error'; message: string };

/** Between two frames the scanner waits this long: enough for a steady 10 reads a second. */
const FRAME_GAP_MS = 100;

/**
 * Live scanning: the video with a viewfinder, a camera picker when there are several, and the
 * camera stopped the moment a code is read or the scanner goes away.
 */
export function CameraScanner({ onRead }: CameraScannerProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = useState<string | undefined>(undefined);
  const [state, setState] = useState<CameraState>({ kind: 'starting' });
  const onReadRef = useRef(onRead);
  onReadRef.current = onRead;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let controls: IScannerControls | null = null;
    let cancelled = false;
    let processing = false;
    // Codes already handed over, by digest: a code stays in view for many frames, and the text itself is not kept here.
    const seen = new Set<string>();
    const reader = new BrowserQRCodeReader(undefined, { delayBetweenScanAttempts: FRAME_GAP_MS, delayBetweenScanSuccess: FRAME_GAP_MS });
    setState({ kind: 'starting' });
    reader
      .decodeFromVideoDevice(deviceId, video, (result, _error, scanner) => {
        if (!result || processing || cancelled) return;
        processing = true;
        const text = result.getText();
        void digestOf(text)
          .then(async (digest) => {
            if (seen.has(digest)) return;
            seen.add(digest);
            const keepScanning = await onReadRef.current(text);
            if (keepScanning || cancelled) return;
            scanner.stop();
            setState({ kind: 'stopped' });
          })
          .finally(() => {
            processing = false;
          });
      })
      .then(async (started) => {
        controls = started;
        if (cancelled) return started.stop();
        setState((current) => (current.kind === 'starting' ? { kind: 'scanning' } : current));
        const devices = await BrowserQRCodeReader.listVideoInputDevices();
        if (!cancelled) setCameras(devices);
      })
      .catch((error: unknown) => {
        if (!cancelled) setState({ kind: 'error', message: cameraErrorMessage(error) });
      });
    return () => {
      cancelled = true;
      controls?.stop();
    };
  }, [deviceId]);

  return (
    <div className="camera">
      {cameras.length > 1 && (
        <label className="camera-picker">
          <span className="field-label">Camera</span>
          <select className="select" value={deviceId ?? cameras[0]?.deviceId ?? ''} onChange={(event) => setDeviceId(event.target.value)}>
            {cameras.map((camera, index) => (
              <option key={camera.deviceId} value={camera.deviceId}>
                {camera.label || `Camera ${index + 1}`}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="viewfinder" data-state={state.kind}>
        <video ref={videoRef} className="viewfinder-video" muted playsInline aria-label="Camera view" />
        <div className="viewfinder-frame" aria-hidden="true" />
      </div>
      <p className="camera-status" role="status">
        {state.kind === 'starting' && 'Starting the camera…'}
        {state.kind === 'scanning' && 'Hold the QR code inside the frame.'}
        {state.kind === 'stopped' && 'Code read. The camera is off.'}
        {state.kind === 'error' && state.message}
      </p>
    </div>
  );
}

async function digestOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError') return 'Latchkey may not use the camera. Allow it in your system settings, or use an image instead.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found. Use an image or the screen instead.';
  if (name === 'NotReadableError') return 'The camera is busy in another app. Close it there, or use an image instead.';
  return 'The camera could not be started. Use an image or the screen instead.';
}
