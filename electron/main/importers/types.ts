import type { ParsedOtpauth } from '../otp';

/** One account read from an export file, ready to be saved (secret as normalized base32). */
export type ImportedEntry = ParsedOtpauth & {
  group: string | null;
  notes: string;
};

/**
 * What an importer makes of one entry of the file: an account, or a refusal that says why, so the
 * report can count every entry (nothing is dropped silently).
 */
export type ImportItem = { kind: 'entry'; entry: ImportedEntry } | { kind: 'refused'; issuer: string; label: string; reason: string };

/** The file being imported, with its text and JSON decoded once, lazily, for every detector. */
export interface ImportSource {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  /** The file as UTF-8 text without a BOM, or null when it is not valid UTF-8. */
  text(): string | null;
  /** The file parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

/** One foreign format. Detection looks at the content only; the file name is a hint for messages. */
export interface Importer {
  /** The name used with --format. */
  readonly id: string;
  /** The app and format, as a person names them. */
  readonly title: string;
  detect(source: ImportSource): boolean;
  /** True when this file needs a password to be read. */
  encrypted(source: ImportSource): boolean;
  /** Reads every entry. Throws a LatchkeyError for a file that cannot be read at all. */
  parse(source: ImportSource, password: string | null): Promise<ImportItem[]>;
}
