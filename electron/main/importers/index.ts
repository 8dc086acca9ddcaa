import { LatchkeyError } from '../../../shared/errors';
import type { ParsedOtpauth } from '../otp';
import { parseOtpauthList } from './otpauth-list';

export { parseOtpauthList } from './otpauth-list';

/** The largest import file read; real exports are kilobytes. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/**
 * Reads an import file into accounts. One entry point for every format, so the CLI and the app
 * gain each new importer at once; for now, lists of otpauth links.
 */
export function readImportFile(bytes: Uint8Array): ParsedOtpauth[] {
  if (bytes.length > MAX_IMPORT_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `It is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LatchkeyError('INVALID_IMPORT_FILE', 'It is not a text file of otpauth:// links.');
  }
  return parseOtpauthList(text.replace(/^\uFEFF/, ''));
}
