import { LatchkeyError } from '../../../shared/errors';
import type { ParsedOtpauth } from '../otp';
import { parseOtpauthList } from './otpauth-list';
import { isPicture, type PictureInput, parseQrPictures } from './qr-pictures';

export { parseOtpauthList } from './otpauth-list';
export { isPicture, MAX_PICTURES, type PictureInput, parseQrPictures } from './qr-pictures';
export { readExportFile, findImporter, importFormats, MAX_IMPORT_BYTES, type ImportFileResult } from './registry';
export { ImportPlan, type ImportPreviewEntry, type ImportReport } from './preview';
export { savedSecretLookup } from './duplicates';
export { savedExtrasLookup } from './backup-merge';
export { openSealedExtras } from './backup-extras';
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

/**
 * Several files in one import: pictures of QR codes read together (so a Google export's parts may
 * be in different pictures), every other file as readImportFile reads it. Fails whole on any file.
 */
export async function readImportFiles(files: readonly PictureInput[]): Promise<ParsedOtpauth[]> {
  const pictures = files.filter((file) => isPicture(file.bytes));
  const others = files.filter((file) => !isPicture(file.bytes));
  const fromOthers = others.flatMap((file) => {
    try {
      return readImportFile(file.bytes);
    } catch (error) {
      if (files.length === 1 || !(error instanceof LatchkeyError)) throw error;
      throw new LatchkeyError(error.code, `${file.name}: ${error.message}`);
    }
  });
  return [...fromOthers, ...(pictures.length > 0 ? await parseQrPictures(pictures) : [])];
}
export { ImportSession, type ImportRequest, type ImportPreviewResult } from './import-session';
export { PICTURES_FORMAT, readImportSources } from './read-files';
