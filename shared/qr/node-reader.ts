import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { LatchkeyError } from '../errors';
import { readPictureHeader } from './picture-format';
import { checkSize, PictureTooLargeError, prepareQrReader, readQrCodes, readQrCodesFromEncoded } from './qr-reader';

/**
 * The QR decoder in Node (the main process and the command line): the .wasm is read from the
 * installed zxing-wasm package on disk (inside the app's own files once packaged), never fetched.
 */
const require = createRequire(import.meta.url);

/** The largest picture file read: a full-screen PNG of a 4K screen is a few MiB. */
export const MAX_PICTURE_BYTES = 32 * 1024 * 1024;

/** The decoder's .wasm inside the installed zxing-wasm package. */
export function zxingWasmPath(): string {
  return require.resolve('zxing-wasm/reader/zxing_reader.wasm');
}

export function prepareNodeQrReader(): Promise<void> {
  return prepareQrReader(async () => new Uint8Array(await readFile(zxingWasmPath())));
}

/**
 * Every QR code's text in an encoded picture (PNG, JPEG, WebP, GIF or BMP), each once. A file that
 * is not such a picture, or too large, is INVALID_PICTURE; a picture without a code is an empty list
 * (the caller says what that means where it is).
 */
export async function readQrCodesInPicture(bytes: Uint8Array): Promise<string[]> {
  if (bytes.length > MAX_PICTURE_BYTES) throw new LatchkeyError('INVALID_PICTURE', `It is larger than ${MAX_PICTURE_BYTES / 1024 / 1024} MiB.`);
  const header = readPictureHeader(bytes);
  if (!header) throw new LatchkeyError('INVALID_PICTURE', 'It is not a PNG, JPEG, WebP, GIF or BMP picture.');
  try {
    checkSize(header.width, header.height);
  } catch (error) {
    throw new LatchkeyError('INVALID_PICTURE', error instanceof PictureTooLargeError ? error.message : 'Its header gives it no pixels.');
  }
  await prepareNodeQrReader();
  try {
    // zxing-cpp decodes PNG, JPEG, GIF and BMP itself (stb_image); WebP is decoded by libwebp first.
    if (header.format !== 'webp') return await readQrCodesFromEncoded(bytes);
    return await readQrCodes(decodeWebp(bytes));
  } catch (error) {
    // The decoders run in WebAssembly: damaged data fails there, never beyond. Say so, not "internal error".
    if (error instanceof LatchkeyError) throw error;
    throw new LatchkeyError('INVALID_PICTURE', `Its ${header.format.toUpperCase()} data could not be decoded.`);
  }
}

/**
 * The same, for a picture that arrives as base64 (a provider's enrollment QR image, e.g. Misakey's
 * PNG), with or without a `data:image/...;base64,` prefix. The text is checked before decoding.
 */
export function readQrCodesInBase64Picture(base64: string): Promise<string[]> {
  const body = base64.replace(/^data:image\/[a-z+.-]+;base64,/i, '');
  if (body.length > Math.ceil(MAX_PICTURE_BYTES / 3) * 4) return Promise.reject(new LatchkeyError('INVALID_PICTURE', `It is larger than ${MAX_PICTURE_BYTES / 1024 / 1024} MiB.`));
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return Promise.reject(new LatchkeyError('INVALID_PICTURE', 'It is not base64.'));
  return readQrCodesInPicture(Buffer.from(body, 'base64'));
}

function decodeWebp(bytes: Uint8Array): { width: number; height: number; data: Uint8ClampedArray } {
  const webp = require('@cwasm/webp') as { decode: (source: Uint8Array) => { width: number; height: number; data: Uint8ClampedArray } };
  try {
    return webp.decode(bytes);
  } catch {
    throw new LatchkeyError('INVALID_PICTURE', 'Its WebP data is damaged.');
  }
}
