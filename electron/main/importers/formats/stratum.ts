import { argon2idAsync } from '@noble/hashes/argon2.js';
import { z } from 'zod';
import { aesCbcDecrypt, aesGcmDecrypt, needPassword, parseJson, pbkdf2, wrongPassword } from '../crypto';
import { badFile, checkCount, refused } from '../entry';
import { isRecord, startsWithAscii } from '../source';
import type { Importer, ImportItem, ImportSource } from '../types';
import { stratumItem } from './databases';

/**
 * Authenticator Pro / Stratum backups: plain JSON `{Authenticators: [...]}`; encrypted
 * "AUTHENTICATORPRO" | salt (16) | IV (12) | AES-256-GCM, key Argon2id (t=3, m=64 MiB, p=4);
 * legacy "AuthenticatorPro" | salt (20) | IV (16) | AES-256-CBC, key PBKDF2-HMAC-SHA1 (64,000).
 */
const HEADER = 'AUTHENTICATORPRO';
const HEADER_LEGACY = 'AuthenticatorPro';
const entrySchema = z.looseObject({
  Type: z.number(),
  Issuer: z.string().nullish(),
  Username: z.string().nullish(),
  Secret: z.string(),
  Algorithm: z.number().nullish(),
  Digits: z.number().nullish(),
  Period: z.number().nullish(),
  Counter: z.number().nullish(),
});

function isStratumJson(value: unknown): value is { Authenticators: unknown[] } {
  return isRecord(value) && Array.isArray(value.Authenticators);
}

function isEncrypted(source: ImportSource): boolean {
  return startsWithAscii(source.bytes, HEADER) || startsWithAscii(source.bytes, HEADER_LEGACY);
}

export const stratumImporter: Importer = {
  id: 'stratum',
  title: 'Authenticator Pro / Stratum backup (plain JSON, encrypted or legacy encrypted)',
  detect: (source) => isStratumJson(source.json()) || isEncrypted(source),
  encrypted: isEncrypted,
  async parse(source, password) {
    let json = source.json();
    if (!isStratumJson(json)) {
      if (password === null) throw needPassword('an encrypted Authenticator Pro / Stratum backup');
      json = await decrypt(source.bytes, password);
    }
    if (!isStratumJson(json)) throw badFile('Its content has no list of authenticators.');
    checkCount(json.Authenticators.length);
    return json.Authenticators.map(readEntry);
  },
};

async function decrypt(bytes: Uint8Array, password: string): Promise<unknown> {
  let plain: Buffer | null;
  if (startsWithAscii(bytes, HEADER)) {
    if (bytes.length < 16 + 16 + 12 + 16) throw badFile('It is too short to be an encrypted backup.');
    const salt = bytes.subarray(16, 32);
    const iv = bytes.subarray(32, 44);
    const key = await argon2idAsync(Buffer.from(password, 'utf8'), salt, { t: 3, m: 64 * 1024, p: 4, dkLen: 32 });
    plain = aesGcmDecrypt(key, iv, bytes.subarray(44, bytes.length - 16), bytes.subarray(bytes.length - 16));
  } else {
    if (bytes.length < 16 + 20 + 16 + 16) throw badFile('It is too short to be an encrypted backup.');
    const salt = bytes.subarray(16, 36);
    const iv = bytes.subarray(36, 52);
    plain = aesCbcDecrypt(pbkdf2(password, salt, 64_000, 32, 'sha1'), iv, bytes.subarray(52));
  }
  const json = plain ? parseJson(plain.toString('utf8')) : undefined;
  if (json === undefined) throw wrongPassword('Authenticator Pro / Stratum backup');
  return json;
}

function readEntry(raw: unknown): ImportItem {
  const parsed = entrySchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).', isRecord(raw) ? raw.Issuer : '', isRecord(raw) ? raw.Username : '');
  const entry = parsed.data;
  return stratumItem({
    type: entry.Type,
    issuer: entry.Issuer ?? '',
    username: entry.Username ?? '',
    secret: entry.Secret,
    algorithm: entry.Algorithm ?? 0,
    digits: entry.Digits ?? 6,
    period: entry.Period ?? 30,
    counter: entry.Counter ?? 0,
  });
}
