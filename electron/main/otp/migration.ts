import { randomInt } from 'node:crypto';
import type { Algorithm, OtpType } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { decodeBase32, encodeBase32, MAX_SECRET_BYTES } from './base32';
import type { ParsedOtpauth } from './otpauth-uri';
import { type ProtoField, ProtoWriter, readFields } from './protobuf';

/**
 * Google Authenticator's export, `otpauth-migration://offline?data=<base64 MigrationPayload>`:
 *   MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
 *                      int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }
 *   OtpParameters { bytes secret = 1; string name = 2; string issuer = 3; Algorithm algorithm = 4;
 *                   DigitCount digits = 5; OtpType type = 6; int64 counter = 7; }
 * Algorithm: 0 unspecified (SHA1), 1 SHA1, 2 SHA256, 3 SHA512, 4 MD5. DigitCount: 0 unspecified (6),
 * 1 six, 2 eight. OtpType: 0 unspecified, 1 HOTP, 2 TOTP. A large export spans several QR codes,
 * which share batch_id and have batch_index 0..batch_size-1.
 */
export interface MigrationBatchPart {
  version: number;
  batchId: number;
  batchIndex: number;
  batchSize: number;
  accounts: ParsedOtpauth[];
}

const PREFIX = 'otpauth-migration://offline?';
const ALGORITHMS: Record<number, Algorithm> = { 0: 'SHA1', 1: 'SHA1', 2: 'SHA256', 3: 'SHA512' };
const ALGORITHM_NUMBERS: Record<Algorithm, number> = { SHA1: 1, SHA256: 2, SHA512: 3 };
const DIGITS: Record<number, number> = { 0: 6, 1: 6, 2: 8 };
/** Google's app moves about ten accounts per QR code; more makes a code too dense to scan. */
export const ACCOUNTS_PER_MIGRATION_QR = 10;
/**
 * The most parts one export may declare. Google's app writes ten accounts to a code, so 100 codes
 * carry 1,000 accounts, far beyond what anyone moves in one go. A larger batch_size is refused: it
 * comes from a forged or broken code (a 102-byte link once declared two billion parts).
 */
export const MAX_MIGRATION_BATCH_SIZE = 100;
/** Names longer than this are refused, as for accounts typed in (MAX_TEXT). */
const MAX_NAME_CHARACTERS = 256;

function fail(detail: string): LatchkeyError {
  return new LatchkeyError('INVALID_MIGRATION_URI', detail);
}

export function isMigrationUri(text: string): boolean {
  return text.trim().toLowerCase().startsWith('otpauth-migration:');
}

/** Decodes one export QR code's text. Throws INVALID_MIGRATION_URI saying what is wrong. */
export function decodeMigrationUri(uri: string): MigrationBatchPart {
  const payload = readPayloadBytes(uri.trim());
  let fields: ProtoField[];
  try {
    fields = readFields(payload);
  } catch (error) {
    throw fail(`Its data is not a readable export (${(error as Error).message}).`);
  }
  // As int64, the varint's real value: an int32 cast would turn 2^32 + 1 parts into one.
  const number = (field: number): bigint | null => {
    const found = fields.find((candidate) => candidate.number === field && candidate.wireType === 0);
    return found ? BigInt.asIntN(64, found.value as bigint) : null;
  };
  const accounts = fields
    .filter((field): field is ProtoField & { wireType: 2 } => field.number === 1 && field.wireType === 2)
    .map((field, index) => decodeOtpParameters(field.value, index + 1));
  if (accounts.length === 0) throw fail('It holds no accounts.');
  const declaredSize = number(3) ?? 0n;
  if (declaredSize < 0n || declaredSize > BigInt(MAX_MIGRATION_BATCH_SIZE)) {
    throw fail(`It says its export has ${declaredSize} parts; an export has 1 to ${MAX_MIGRATION_BATCH_SIZE}.`);
  }
  // 0 is protobuf's "not set": a single code.
  const batchSize = declaredSize === 0n ? 1 : Number(declaredSize);
  const declaredIndex = number(4) ?? 0n;
  if (declaredIndex < 0n || declaredIndex >= BigInt(batchSize)) throw fail(`Its part number ${declaredIndex + 1n} is outside its batch of ${batchSize}.`);
  // int32 fields: an encoder may write a negative batch id as a 64-bit varint.
  const int32 = (value: bigint | null, fallback: number) => (value === null ? fallback : Number(BigInt.asIntN(32, value)));
  return { version: int32(number(2), 1), batchId: int32(number(5), 0), batchIndex: Number(declaredIndex), batchSize, accounts };
}

function readPayloadBytes(uri: string): Uint8Array {
  if (!uri.toLowerCase().startsWith(PREFIX)) {
    throw fail(uri.toLowerCase().startsWith('otpauth-migration:') ? 'It must start with otpauth-migration://offline?.' : 'It does not start with otpauth-migration://offline?.');
  }
  // Read data= by hand: some exports carry raw '+' and '/' that URLSearchParams would turn into spaces.
  const query = uri.slice(PREFIX.length);
  const dataParam = query.split('&').find((part) => part.startsWith('data='));
  if (dataParam === undefined) throw fail('It has no data= parameter.');
  let base64: string;
  try {
    base64 = decodeURIComponent(dataParam.slice('data='.length));
  } catch {
    throw fail('Its data has broken %-encoding.');
  }
  const normalized = base64.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (normalized === '' || !/^[A-Za-z0-9+/]+$/.test(normalized) || normalized.length % 4 === 1) throw fail('Its data is not base64.');
  return new Uint8Array(Buffer.from(normalized, 'base64'));
}

function decodeOtpParameters(bytes: Uint8Array, position: number): ParsedOtpauth {
  let fields: ProtoField[];
  try {
    fields = readFields(bytes);
  } catch (error) {
    throw fail(`Account ${position} is not readable (${(error as Error).message}).`);
  }
  const bytesOf = (number: number) => fields.find((field) => field.number === number && field.wireType === 2)?.value as Uint8Array | undefined;
  const numberOf = (number: number) => (fields.find((field) => field.number === number && field.wireType === 0)?.value as bigint | undefined) ?? 0n;
  const text = (number: number) => {
    const value = bytesOf(number);
    try {
      return value ? new TextDecoder('utf-8', { fatal: true }).decode(value) : '';
    } catch {
      throw fail(`Account ${position} has a name that is not valid text.`);
    }
  };
  const secret = bytesOf(1);
  if (!secret || secret.length === 0) throw fail(`Account ${position} has no secret.`);
  if (secret.length > MAX_SECRET_BYTES) throw fail(`Account ${position} has a secret of ${secret.length} bytes; the most Latchkey accepts is ${MAX_SECRET_BYTES}.`);
  const issuer = text(3).trim();
  const name = text(2).trim();
  if (issuer.length > MAX_NAME_CHARACTERS || name.length > MAX_NAME_CHARACTERS) throw fail(`Account ${position} has a name longer than ${MAX_NAME_CHARACTERS} characters.`);
  const algorithm = ALGORITHMS[Number(numberOf(4))];
  const describe = `Account ${position} (${[issuer, name].filter(Boolean).join(' – ') || 'unnamed'})`;
  if (!algorithm) throw fail(`${describe} uses ${numberOf(4) === 4n ? 'MD5' : `algorithm ${numberOf(4)}`}, which Latchkey does not support.`);
  const digits = DIGITS[Number(numberOf(5))];
  if (!digits) throw fail(`${describe} has an unknown digit count ${numberOf(5)}.`);
  const typeNumber = Number(numberOf(6));
  if (typeNumber !== 1 && typeNumber !== 2) throw fail(`${describe} has an unknown type ${typeNumber} (neither TOTP nor HOTP).`);
  const type: OtpType = typeNumber === 1 ? 'hotp' : 'totp';
  const counter = numberOf(7);
  if (counter > BigInt(Number.MAX_SAFE_INTEGER) || counter < 0n) throw fail(`${describe} has a counter out of range.`);
  return {
    type,
    secret: encodeBase32(secret),
    issuer,
    label: labelWithoutIssuer(name, issuer),
    algorithm,
    digits,
    period: 30,
    counter: type === 'hotp' ? Number(counter) : 0,
  };
}

/**
 * Google stores "Issuer:account" as the name; the label is the account part. Without an issuer
 * field a colon is just part of the name (the exports hold names like "encoding: ¿äÄéÉ? (demo)").
 */
function labelWithoutIssuer(name: string, issuer: string): string {
  const colon = name.indexOf(':');
  if (colon < 0 || issuer === '' || name.slice(0, colon).trim() !== issuer) return name;
  return name.slice(colon + 1).trim();
}

/** An account as the export writes it: the same fields a parsed otpauth link has. */
export type MigrationExportAccount = ParsedOtpauth;

/** Why an account cannot travel in Google's format, or null when it can. */
export function migrationIncompatibility(account: MigrationExportAccount): string | null {
  if (account.type === 'steam') return 'Steam Guard accounts cannot be moved in Google Authenticator’s format.';
  if (account.digits !== 6 && account.digits !== 8) return `Google Authenticator’s format has only 6 or 8 digits, not ${account.digits}.`;
  if (account.type === 'totp' && account.period !== 30) return `Google Authenticator’s format has only 30-second codes, not ${account.period}.`;
  return null;
}

/** A random batch id, as Google's app writes: a signed 32-bit number that ties the codes of one export. */
export function randomBatchId(): number {
  return randomInt(-0x8000_0000, 0x7fff_ffff);
}

/** The export QR codes' texts for these accounts, batched like Google's app does. */
export function encodeMigrationUris(accounts: MigrationExportAccount[], perCode = ACCOUNTS_PER_MIGRATION_QR, batchId = randomBatchId()): string[] {
  for (const account of accounts) {
    const problem = migrationIncompatibility(account);
    if (problem) throw new LatchkeyError('INVALID_ACCOUNT', `${[account.issuer, account.label].filter(Boolean).join(' – ')}: ${problem}`);
  }
  const batchSize = Math.max(1, Math.ceil(accounts.length / perCode));
  if (batchSize > MAX_MIGRATION_BATCH_SIZE) {
    throw new LatchkeyError('INVALID_INPUT', `An export holds at most ${MAX_MIGRATION_BATCH_SIZE * perCode} accounts (${MAX_MIGRATION_BATCH_SIZE} codes); choose fewer.`);
  }
  const uris: string[] = [];
  for (let batchIndex = 0; batchIndex < batchSize; batchIndex += 1) {
    const writer = new ProtoWriter();
    for (const account of accounts.slice(batchIndex * perCode, (batchIndex + 1) * perCode)) writer.bytes(1, encodeOtpParameters(account));
    writer.varint(2, 1).varint(3, batchSize).varint(4, batchIndex).varint(5, batchId);
    uris.push(`${PREFIX}data=${encodeURIComponent(Buffer.from(writer.finish()).toString('base64'))}`);
  }
  return uris;
}

function encodeOtpParameters(account: MigrationExportAccount): Uint8Array {
  return new ProtoWriter()
    .bytes(1, decodeBase32(account.secret))
    .string(2, account.issuer ? `${account.issuer}:${account.label}` : account.label)
    .string(3, account.issuer)
    .varint(4, ALGORITHM_NUMBERS[account.algorithm])
    .varint(5, account.digits === 8 ? 2 : 1)
    .varint(6, account.type === 'hotp' ? 1 : 2)
    .varint(7, account.type === 'hotp' ? account.counter : 0)
    .finish();
}

interface CollectedBatch {
  size: number;
  parts: Map<number, ParsedOtpauth[]>;
  /** 0-based indexes not read yet. Sized by the part count, which decode capped. */
  missing: Set<number>;
}

/** Collects the parts of one or more batches as they are scanned, in any order. */
export class MigrationBatchCollector {
  private readonly batches = new Map<number, CollectedBatch>();

  /** Adds a decoded part; a part seen before is ignored. Checks everything before changing anything. */
  add(part: MigrationBatchPart): void {
    if (!Number.isSafeInteger(part.batchSize) || part.batchSize < 1 || part.batchSize > MAX_MIGRATION_BATCH_SIZE) throw fail(`An export has 1 to ${MAX_MIGRATION_BATCH_SIZE} parts.`);
    if (!Number.isSafeInteger(part.batchIndex) || part.batchIndex < 0 || part.batchIndex >= part.batchSize) throw fail('Its part number is outside its batch.');
    const known = this.batches.get(part.batchId);
    if (known && known.size !== part.batchSize) throw fail(`This code says its batch has ${part.batchSize} parts, an earlier one said ${known.size}.`);
    const batch = known ?? { size: part.batchSize, parts: new Map(), missing: new Set(Array.from({ length: part.batchSize }, (_, index) => index)) };
    batch.parts.set(part.batchIndex, part.accounts);
    batch.missing.delete(part.batchIndex);
    this.batches.set(part.batchId, batch);
  }

  /** 1-based numbers of the parts not yet read, per batch. */
  missing(): { batchId: number; batchSize: number; missingParts: number[] }[] {
    return [...this.batches].flatMap(([batchId, batch]) => {
      const missingParts = [...batch.missing].sort((a, b) => a - b).map((index) => index + 1);
      return missingParts.length ? [{ batchId, batchSize: batch.size, missingParts }] : [];
    });
  }

  isComplete(): boolean {
    return this.batches.size > 0 && [...this.batches.values()].every((batch) => batch.missing.size === 0);
  }

  /** Every account read so far, batch by batch, part by part. */
  accounts(): ParsedOtpauth[] {
    return [...this.batches.values()].flatMap((batch) => [...batch.parts.entries()].sort(([a], [b]) => a - b).flatMap(([, accounts]) => accounts));
  }
}
