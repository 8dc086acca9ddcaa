/// <reference lib="webworker" />
import wasmBase64 from 'virtual:zxing-wasm';
import { prepareQrReader, readQrCodes, readQrFrame } from '../../../shared/qr/qr-reader';
import type { QrWorkerReply, QrWorkerRequest } from './qr-worker-protocol';

/**
 * Decodes QR codes off the window's main thread, with the one decoder (shared/qr/qr-reader.ts).
 * The .wasm travels inside this worker's own script (base64 that the build inlines, see electron.vite.config.ts), so it
 * is loaded from the app's files under script-src 'self' 'wasm-unsafe-eval', with no fetch (the
 * policy has no connect-src) and never from zxing-wasm's default CDN.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

function wasmBytes(): Promise<Uint8Array> {
  const text = atob(wasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index);
  return Promise.resolve(bytes);
}

/**
 * WebAssembly functions are compiled on their first call: one read of a small blank picture when
 * the scan page opens compiles the grey conversion, binarizer and finder, so the person's first
 * picture or frame does not pay for that.
 */
async function warmUp(): Promise<void> {
  const side = 320;
  const blank = { width: side, height: side, data: new Uint8ClampedArray(side * side * 4).fill(255) };
  await readQrFrame(blank);
  await readQrCodes(blank);
}

scope.onmessage = async (event: MessageEvent<QrWorkerRequest>) => {
  const request = event.data;
  let reply: QrWorkerReply;
  try {
    await prepareQrReader(wasmBytes);
    if (request.kind === 'prepare') {
      await warmUp();
      reply = { id: request.id, texts: [] };
    }
    else {
      const image = { width: request.width, height: request.height, data: new Uint8ClampedArray(request.pixels) };
      reply = { id: request.id, texts: await (request.kind === 'frame' ? readQrFrame(image) : readQrCodes(image)) };
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : 'The QR decoder failed.' };
  }
  scope.postMessage(reply);
};
