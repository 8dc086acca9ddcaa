import { z } from 'zod';
import { aesGcmDecrypt, needPassword, parseJson, pbkdf2, sha256, wrongPassword } from '../crypto';
import { badFile, checkCount, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem, ImportSource } from '../types';

/**
 * andOTP backups: a JSON array (plain), or AES-256-GCM encrypted: the current format is
 * iterations (4 bytes, big-endian) | salt (12) | nonce (12) | ciphertext+tag with a PBKDF2-HMAC-SHA1
 * key; the old one is nonce (12) | ciphertext+tag with key SHA-256(password). Neither has a magic
 * number, so an unrecognised binary file is tried as andOTP only when a password is given.
 */
const entrySchema = z.looseObject({
  secret: z.string(),
  issuer: z.string().nullish(),
  label: z.string().nullish(),
  digits: z.number().nullish(),
  type: z.string(),
  algorithm: z.string().nullish(),
  period: z.number().nullish(),
  counter: z.number().nullish(),
  tags: z.array(z.string()).nullish(),
});
const MIN_ITERATIONS = 1_000;
/** andOTP writes 140,000 to 160,000; far more is a hostile file meant to stall the import. */
const MAX_ITERATIONS = 1_000_000;
const TAG = 16;

function isAndOtpList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((entry) => isRecord(entry) && 'secret' in entry && 'type' in entry && !('otpGenerator' in entry));
}

function looksEncrypted(source: ImportSource): boolean {
  const bytes = source.bytes;
  if (source.text() !== null || bytes.length < 12 + TAG + 2) return false;
  const iterations = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  return (iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS) || /\.bin$/i.test(source.fileName);
}

export const andOtpImporter: Importer = {
  id: 'andotp',
  title: 'andOTP backup (JSON, or encrypted .bin in the current or old format)',
  detect: (source) => isAndOtpList(source.json()) || looksEncrypted(source),
  encrypted: (source) => !isAndOtpList(source.json()),
  async parse(source, password) {
    let json = source.json();
    let old = false;
    if (!isAndOtpList(json)) {
      if (password === null) throw needPassword('an encrypted andOTP backup');
      ({ json, old } = decrypt(source.bytes, password));
    }
    if (!Array.isArray(json)) throw badFile('It is not a list of andOTP entries.');
    checkCount(json.length);
    return json.map((entry) => readEntry(entry, old));
  },
};

function decrypt(bytes: Uint8Array, password: string): { json: unknown; old: boolean } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 4 + 12 + 12 + TAG) {
    const iterations = view.getUint32(0);
    if (iterations >= MIN_ITERATIONS && iterations <= MAX_ITERATIONS) {
      const salt = bytes.subarray(4, 16);
      const nonce = bytes.subarray(16, 28);
      const key = pbkdf2(password, salt, iterations, 32, 'sha1');
      const plain = aesGcmDecrypt(key, nonce, bytes.subarray(28, bytes.length - TAG), bytes.subarray(bytes.length - TAG));
      if (plain) return { json: parseDecrypted(plain), old: false };
    }
  }
  const plain = aesGcmDecrypt(sha256(password), bytes.subarray(0, 12), bytes.subarray(12, bytes.length - TAG), bytes.subarray(bytes.length - TAG));
  if (plain) return { json: parseDecrypted(plain), old: true };
  throw wrongPassword('andOTP backup');
}

function parseDecrypted(plain: Buffer): unknown {
  const json = parseJson(plain.toString('utf8'));
  if (json === undefined) throw badFile('Its decrypted content is not JSON.');
  return json;
}

function readEntry(raw: unknown, old: boolean): ImportItem {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).', isRecord(raw) ? raw.issuer : '', isRecord(raw) ? raw.label : '');
  const entry = parsed.data;
  let issuer = entry.issuer ?? '';
  let label = entry.label ?? '';
  // The old format has no issuer field; its label is "Issuer - Issuer:Name" (or "Issuer:Name").
  if (old && issuer === '') ({ issuer, label } = splitOldLabel(label));
  const kind = entry.type.toUpperCase();
  const type = kind === 'TOTP' ? 'totp' : kind === 'HOTP' ? 'hotp' : kind === 'STEAM' ? 'steam' : null;
  if (!type) return refused(`Its type '${kind.slice(0, 16)}' is not one Latchkey supports (TOTP, HOTP, Steam).`, issuer, label);
  return toItem({ type, secret: entry.secret, issuer, label, algorithm: entry.algorithm, digits: entry.digits, period: entry.period, counter: entry.counter, group: entry.tags?.[0] ?? null });
}

function splitOldLabel(text: string): { issuer: string; label: string } {
  const dash = text.indexOf(' - ');
  let rest = dash >= 0 ? text.slice(dash + 3) : text;
  const issuer = dash >= 0 ? text.slice(0, dash) : rest.includes(':') ? rest.slice(0, rest.indexOf(':')) : '';
  if (issuer !== '' && rest.startsWith(`${issuer}:`)) rest = rest.slice(issuer.length + 1);
  return { issuer: issuer.trim(), label: rest.trim() };
}
