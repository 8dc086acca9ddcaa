import type { QrWorkerReply, QrWorkerRequest } from './qr-worker-protocol';

/**
 * The window's side of QR decoding: one worker, started on first use and kept for the page's life
 * (the decoder's module is compiled once), requests answered in order by id.
 */
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (texts: string[]) => void; reject: (error: Error) => void }>();

function qrWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./qr-worker.ts', import.meta.url), { type: 'module', name: 'qr-decoder' });
  worker.onmessage = (event: MessageEvent<QrWorkerReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.texts);
  };
  worker.onerror = (event) => {
    // The worker could not start or crashed: fail everything waiting, and start afresh next time.
    event.preventDefault();
    for (const waiting of pending.values()) waiting.reject(new Error('The QR decoder could not be started in this window.'));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

function send(request: QrWorkerRequest, transfer: Transferable[] = []): Promise<string[]> {
  return new Promise((resolve, reject) => {
    pending.set(request.id, { resolve, reject });
    qrWorker().postMessage(request, transfer);
  });
}

/** Starts the worker and compiles the decoder now, so that the first picture or frame does not wait for it. */
export async function prepareQrDecoder(): Promise<void> {
  await send({ id: nextId++, kind: 'prepare' });
}

/**
 * Every QR code's text in these RGBA pixels (a canvas's ImageData). `frame` is a camera frame: one
 * quick look, as the next frame comes soon; otherwise a picture, searched thoroughly for every code.
 * The pixel buffer is handed to the worker (it is empty here afterwards).
 */
export function decodeQrPixels(pixels: ImageData, kind: 'picture' | 'frame'): Promise<string[]> {
  const buffer = pixels.data.buffer as ArrayBuffer;
  return send({ id: nextId++, kind, width: pixels.width, height: pixels.height, pixels: buffer }, [buffer]);
}
