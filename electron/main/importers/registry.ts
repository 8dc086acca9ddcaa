import { LatchkeyError } from '../../../shared/errors';
import { badFile } from './entry';
import { describeOtherKind } from './file-kind';
import { IMPORTERS } from './formats';
import { importSource } from './source';
import type { Importer, ImportItem } from './types';

/** The largest import file read; real exports are kilobytes, SQLite databases a few hundred. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

export interface ImportFileResult {
  fileName: string;
  format: string;
  formatTitle: string;
  items: ImportItem[];
}

/** Every format Latchkey reads, for --format and the window's format list. */
export function importFormats(): { id: string; title: string }[] {
  return IMPORTERS.map(({ id, title }) => ({ id, title }));
}

/** The importer for a file: the one named, else the first whose detector recognises the content. */
export function findImporter(bytes: Uint8Array, fileName: string, format?: string): Importer {
  if (format !== undefined) {
    const named = IMPORTERS.find((importer) => importer.id === format);
    if (!named) throw new LatchkeyError('INVALID_INPUT', `Unknown format '${format.slice(0, 40)}'. Known formats: ${IMPORTERS.map((importer) => importer.id).join(', ')}.`);
    return named;
  }
  const source = importSource(bytes, fileName);
  const found = IMPORTERS.find((importer) => safeDetect(importer, source));
  if (found) return found;
  if (bytes.length === 0) throw badFile('It is empty.');
  throw new LatchkeyError('UNKNOWN_IMPORT_FORMAT', describeOtherKind(bytes) ?? `Known formats: ${IMPORTERS.map((importer) => importer.title).join('; ')}.`);
}

/** A detector that throws on a strange file means "not mine", never a crash. */
function safeDetect(importer: Importer, source: ReturnType<typeof importSource>): boolean {
  try {
    return importer.detect(source);
  } catch {
    return false;
  }
}

/**
 * Reads one export file into entries and refusals. The format is detected from the content unless
 * named; a password is used only by encrypted formats. Throws a LatchkeyError for a file that
 * cannot be read at all; never anything else (an unexpected failure becomes INVALID_IMPORT_FILE).
 */
export async function readExportFile(bytes: Uint8Array, options: { fileName?: string; format?: string; password?: string | null } = {}): Promise<ImportFileResult> {
  const fileName = options.fileName ?? '';
  if (bytes.length > MAX_IMPORT_BYTES) throw badFile(`It is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
  const importer = findImporter(bytes, fileName, options.format);
  const source = importSource(bytes, fileName);
  let items: ImportItem[];
  try {
    items = await importer.parse(source, options.password ?? null);
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    // A parser bug on a hostile file must still be a clear refusal, not a crash.
    throw new LatchkeyError('INVALID_IMPORT_FILE', `It could not be read as ${importer.title}.`, { cause: error });
  }
  if (items.length === 0) throw badFile(`It holds no accounts (read as ${importer.title}).`);
  return { fileName, format: importer.id, formatTitle: importer.title, items };
}
