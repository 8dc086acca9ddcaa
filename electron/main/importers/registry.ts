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

/**
 * Other names people give a format (an app's name, its file kind), each with the formats it may
 * mean: an app that exports two kinds is told apart by the content.
 */
const FORMAT_ALIASES: Record<string, readonly string[]> = {
  aegis: ['aegis', 'uris'],
  'aegis-txt': ['uris'],
  'authenticator-pro': ['stratum', 'stratum-db'],
  authpro: ['stratum', 'stratum-db'],
  stratum: ['stratum', 'stratum-db'],
  twofas: ['2fas'],
  freeotp: ['freeotp-xml', 'freeotp-v2'],
  'freeotp+': ['freeotp-plus', 'freeotp-xml'],
  freeotpplus: ['freeotp-plus', 'freeotp-xml'],
  bitwarden: ['bitwarden', 'csv'],
  'bitwarden-json': ['bitwarden'],
  'bitwarden-csv': ['csv'],
  apple: ['csv'],
  'apple-passwords': ['csv'],
  google: ['uris', 'google-authenticator-db'],
  'google-authenticator': ['uris', 'google-authenticator-db'],
  'google-migration': ['uris'],
  microsoft: ['microsoft-authenticator-db'],
  'microsoft-authenticator': ['microsoft-authenticator-db'],
  otpauth: ['uris'],
  uri: ['uris'],
  'uri-list': ['uris'],
  txt: ['uris'],
  text: ['uris'],
  ente: ['uris'],
  'ente-auth': ['uris'],
  battlenet: ['battle-net'],
  'battle.net': ['battle-net'],
  'proton-authenticator': ['proton'],
  'steam-guard': ['steam'],
  mafile: ['steam'],
  'duo-mobile': ['duo'],
  'latchkey-backup': ['latchkey'],
};

/** `--format` as typed: any case, spaces or underscores for dashes, an alias for one of several formats. */
function namedImporter(source: ReturnType<typeof importSource>, format: string): Importer {
  const name = format.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const ids = FORMAT_ALIASES[name] ?? [name];
  const candidates = ids.map((id) => IMPORTERS.find((importer) => importer.id === id)).filter((importer): importer is Importer => importer !== undefined);
  const first = candidates[0];
  if (!first) throw new LatchkeyError('INVALID_INPUT', `Unknown format '${format.slice(0, 40)}'. Known formats: ${IMPORTERS.map((importer) => importer.id).join(', ')}.`);
  return candidates.find((importer) => safeDetect(importer, source)) ?? first;
}

/** The importer for a file: the one named, else the first whose detector recognises the content. */
export function findImporter(bytes: Uint8Array, fileName: string, format?: string): Importer {
  const source = importSource(bytes, fileName);
  if (format !== undefined) return namedImporter(source, format);
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
