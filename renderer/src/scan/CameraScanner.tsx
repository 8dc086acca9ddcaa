import { useEffect, useRef, useState } from 'react';
import { decodeQrPixels, prepareQrDecoder } from './qr-client';

interface CameraScannerProps {
  /** Called once per new code read; resolve true to keep scanning (more parts to read), false to stop the camera. */
  onRead: (text: string) => Promise<boolean>;
}

type CameraState = { kind: 'starting' } | { kind: 'scanning' } | { kind: 'stopped' } | { kind: 'error'; message: string };

/** Between two frames the scanner waits this long: a steady 10 reads a second. */
const FRAME_GAP_MS = 100;
/** Frames are read at most this wide: enough for any code held up to a camera, and quick. */
const MAX_FRAME_WIDTH = 960;

/**
 * Live scanning: the video with a viewfinder, a camera picker when there are several, and the
 * camera stopped the moment a code is read or the scanner goes away. Frames are read by the same
 * decoder as pictures (zxing-cpp in a worker), one quick look per frame, the next frame read once
 * the previous one is done.
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
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    // Codes already handed over, by digest: a code stays in view for many frames, and the text itself is not kept here.
    const seen = new Set<string>();
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    const stop = () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
      video.srcObject = null;
    };

    // The decoder compiles while the camera starts, so the first frame is read at once.
    void prepareQrDecoder().catch(() => undefined);

    const readFrames = async (): Promise<void> => {
      if (stopped) return;
      let text: string | null = null;
      try {
        text = context ? await readFrame(video, canvas, context) : null;
      } catch (error) {
        // The decoder failed (it could not start in this window): the camera goes off, and the person is told.
        if (stopped) return;
        stop();
        setState({ kind: 'error', message: error instanceof Error ? error.message : 'The camera picture could not be read.' });
        return;
      }
      if (stopped) return;
      if (text !== null) {
        const digest = await digestOf(text);
        if (!seen.has(digest)) {
          seen.add(digest);
          const keepScanning = await onReadRef.current(text);
          if (stopped) return;
          if (!keepScanning) {
            stop();
            setState({ kind: 'stopped' });
            return;
          }
        }
      }
      timer = setTimeout(() => void readFrames(), FRAME_GAP_MS);
    };

    setState({ kind: 'starting' });
    navigator.mediaDevices
      .getUserMedia({ video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: 'environment' }, audio: false })
      .then(async (opened) => {
        stream = opened;
        if (stopped) return stop();
        video.srcObject = opened;
        await video.play();
        if (stopped) return;
        setState({ kind: 'scanning' });
        void readFrames();
        const devices = (await navigator.mediaDevices.enumerateDevices()).filter((device) => device.kind === 'videoinput');
        if (!stopped) setCameras(devices);
      })
      .catch((error: unknown) => {
        if (!stopped) setState({ kind: 'error', message: cameraErrorMessage(error) });
      });
    return stop;
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

/** The text of a code in the video's current frame, or null. */
async function readFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement, context: CanvasRenderingContext2D): Promise<string | null> {
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return null;
  const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
  const width = Math.round(video.videoWidth * scale);
  const height = Math.round(video.videoHeight * scale);
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  context.drawImage(video, 0, 0, width, height);
  const pixels = context.getImageData(0, 0, width, height);
  const [text] = await decodeQrPixels(pixels, 'frame');
  return text ?? null;
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
