import { LatchkeyError } from '../../../shared/errors';
import type { ParsedOtpauth } from '../otp';
import { parseOtpauthList } from './otpauth-list';

export { parseOtpauthList } from './otpauth-list';
export { readExportFile, findImporter, importFormats, MAX_IMPORT_BYTES, type ImportFileResult } from './registry';
export { ImportPlan, type ImportPreviewEntry, type ImportReport } from './preview';
export { savedSecretLookup } from './duplicates';
export type { Importer, ImportItem, ImportedEntry, ImportSource } from './types';

/**
 * Reads a text file of otpauth links into accounts (the original `latchkey import`); every other
 * format goes through readExportFile.
 */
export function readImportFile(bytes: Uint8Array): ParsedOtpauth[] {
  if (bytes.length > 16 * 1024 * 1024) throw new LatchkeyError('INVALID_IMPORT_FILE', `It is larger than 16 MiB.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LatchkeyError('INVALID_IMPORT_FILE', 'It is not a text file of otpauth:// links.');
  }
  return parseOtpauthList(text.replace(/^\uFEFF/, ''));
}
export { ImportSession, type ImportRequest, type ImportPreviewResult } from './import-session';
