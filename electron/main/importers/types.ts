import type { ParsedOtpauth } from '../otp';
import type { ProviderEntryData, RecoverySeal, StoredRecoverySet } from '../vault/content';

/** One account read from an export file, ready to be saved (secret as normalized base32). */
export type ImportedEntry = ParsedOtpauth & {
  group: string | null;
  notes: string;
};

/**
 * What an importer makes of one entry of the file: an account, or a refusal that says why, so the
 * report can count every entry (nothing is dropped silently).
 */
export type ImportItem =
  | { kind: 'entry'; entry: ImportedEntry; extras?: AccountExtras }
  | { kind: 'refused'; issuer: string; label: string; reason: string; codesOnly?: CodesOnlyItem };

/**
 * A Latchkey entry with backup codes and no authenticator secret. It has no secret to be read as an
 * account, so a reader that knows only accounts sees a refusal with its reason; the import plan
 * imports it with its codes (electron/main/importers/backup-merge.ts).
 */
export interface CodesOnlyItem {
  entry: CodesOnlyEntry;
  extras: AccountExtras;
}

/** A set of backup codes as a Latchkey backup holds it, codes in clear (opened from the backup's seal). */
export type ImportedRecoverySet = Omit<StoredRecoverySet, 'codes'> & { codes: string[] };

/**
 * What an account of a Latchkey backup brings besides its secret: its backup-code sets (current and
 * superseded, used marks included, in the backup's order) and its provider connection.
 */
export interface AccountExtras {
  recoverySets: ImportedRecoverySet[];
  /** The connection as its JSON (credentials included: it never leaves main), and its provider's name. */
  connection: { provider: string; json: string } | null;
  /**
   * Still sealed to the seal of the vault the backup was made from (its password was not the backup
   * password): the account's sets and connection as stored, until openSealedExtras opens them.
   */
  sealed: { seal: RecoverySeal; accountId: string; sets: StoredRecoverySet[]; connection: ProviderEntryData | null } | null;
}

/** A Latchkey entry with backup codes and no authenticator secret. */
export interface CodesOnlyEntry {
  issuer: string;
  label: string;
  group: string | null;
  notes: string;
}

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
