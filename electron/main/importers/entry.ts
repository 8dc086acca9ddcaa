import { type Algorithm, MAX_DIGITS, MAX_NOTES, MAX_TEXT, MIN_DIGITS, type OtpType, STEAM_DIGITS } from '../../../shared/domain';
import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import { decodeBase32, encodeBase32, MAX_SECRET_BYTES, parseOtpauthUri } from '../otp';
import type { ImportedEntry, ImportItem } from './types';

/** The fields an importer reads; the secret as bytes or as base32 text as the file holds it. */
export interface EntryFields {
  type: OtpType;
  secret: Uint8Array | string;
  issuer?: string | null;
  label?: string | null;
  algorithm?: string | null;
  digits?: number | null;
  period?: number | null;
  counter?: number | null;
  group?: string | null;
  notes?: string | null;
}

const ALGORITHMS: readonly Algorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const MAX_PERIOD = 86_400;

/** An entry refused for a reason a person understands; the names help find it in the old app. */
export function refused(reason: string, issuer?: unknown, label?: unknown): ImportItem {
  return { kind: 'refused', issuer: clip(issuer), label: clip(label), reason };
}

function clip(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, MAX_TEXT) : '';
}

/**
 * Checks one entry's fields and gives the account to save, or a refusal that says what is wrong.
 * Never throws for a bad entry: one bad entry must not hide the others.
 */
export function toItem(fields: EntryFields): ImportItem {
  const refuse = (reason: string): ImportItem => refused(reason, fields.issuer, fields.label);
  let secretBytes: Uint8Array;
  try {
    secretBytes = typeof fields.secret === 'string' ? decodeBase32(fields.secret) : fields.secret;
  } catch (error) {
    if (isLatchkeyError(error)) return refuse('Its secret is not valid base32.');
    throw error;
  }
  if (secretBytes.length === 0) return refuse('Its secret is empty.');
  if (secretBytes.length > MAX_SECRET_BYTES) return refuse(`Its secret is longer than ${MAX_SECRET_BYTES} bytes.`);
  const algorithm = (fields.algorithm ?? 'SHA1').toUpperCase().replace('-', '') as Algorithm;
  if (!ALGORITHMS.includes(algorithm)) return refuse(`Its algorithm ${JSON.stringify(String(fields.algorithm).slice(0, 16))} is not one Latchkey supports (SHA1, SHA256, SHA512).`);
  const steam = fields.type === 'steam';
  if (steam && algorithm !== 'SHA1') return refuse('It is a Steam entry with an algorithm other than SHA1.');
  const digits = steam ? STEAM_DIGITS : (fields.digits ?? 6);
  if (!steam && !(Number.isInteger(digits) && digits >= MIN_DIGITS && digits <= MAX_DIGITS)) {
    return refuse(`It has ${String(digits).slice(0, 12)} digits; Latchkey shows codes of ${MIN_DIGITS} to ${MAX_DIGITS} digits.`);
  }
  const period = fields.type === 'hotp' ? 30 : (fields.period ?? 30);
  if (!(Number.isInteger(period) && period >= 1 && period <= MAX_PERIOD)) return refuse(`Its period (${String(period).slice(0, 12)}) is not a whole number of seconds from 1 to ${MAX_PERIOD}.`);
  const counter = fields.type === 'hotp' ? (fields.counter ?? 0) : 0;
  if (!(Number.isSafeInteger(counter) && counter >= 0)) return refuse('Its counter is not a whole number 0 or more.');
  const issuer = (fields.issuer ?? '').trim();
  const label = (fields.label ?? '').trim();
  if (issuer.length > MAX_TEXT || label.length > MAX_TEXT) return refuse(`Its name or issuer is longer than ${MAX_TEXT} characters.`);
  const group = (fields.group ?? '').trim().slice(0, MAX_TEXT);
  const entry: ImportedEntry = {
    type: fields.type,
    secret: encodeBase32(secretBytes),
    issuer,
    label,
    algorithm,
    digits,
    period,
    counter,
    group: group === '' ? null : group,
    notes: (fields.notes ?? '').slice(0, MAX_NOTES),
  };
  return { kind: 'entry', entry };
}

/** An otpauth:// link inside another format (Bitwarden, Proton, 2FAS v4): refused, not thrown, when bad. */
export function itemFromUri(uri: string, extra: { group?: string | null; notes?: string | null; issuer?: string; label?: string } = {}): ImportItem {
  try {
    const parsed = parseOtpauthUri(uri);
    return toItem({ ...parsed, group: extra.group, notes: extra.notes });
  } catch (error) {
    if (!isLatchkeyError(error)) throw error;
    return refused(error.message, extra.issuer, extra.label);
  }
}

/** A whole file that cannot be read. */
export function badFile(detail: string): LatchkeyError {
  return new LatchkeyError('INVALID_IMPORT_FILE', detail);
}

/** The largest number of entries one file may hold; real exports have a few hundred. */
export const MAX_IMPORT_ENTRIES = 50_000;

export function checkCount(count: number): void {
  if (count > MAX_IMPORT_ENTRIES) throw badFile(`It holds ${count} entries; Latchkey imports at most ${MAX_IMPORT_ENTRIES} at once.`);
}
