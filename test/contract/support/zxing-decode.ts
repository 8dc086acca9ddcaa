import { readFileSync } from 'node:fs';
import path from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { DecodeQrImage } from '../../../electron/main/providers';
import { repoRoot } from '../../support/temp-dir';

let prepared = false;

/**
 * The enrollment's QR dependency over zxing-wasm, the decoder the app ships, with its .wasm read
 * from node_modules (never fetched). Stands in until the `qr` work's shared decoder module lands.
 */
export const zxingDecodeQrImage: DecodeQrImage = async (bytes) => {
  if (!prepared) {
    const wasm = readFileSync(path.join(repoRoot, 'node_modules', 'zxing-wasm', 'dist', 'reader', 'zxing_reader.wasm'));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
    prepared = true;
  }
  const results = await readBarcodes(bytes, { formats: ['QRCode'], tryHarder: true });
  return results.filter((result) => result.isValid).map((result) => result.text);
};
