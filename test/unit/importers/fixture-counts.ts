import { createDecipheriv, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { fixturesDir } from '../otp/fixtures';

/**
 * How many accounts each fixture file holds, counted from the file itself with plain JSON, text,
 * XML and SQL reading (no importer code), so that an importer that drops an entry is caught.
 * Encrypted files whose count is not visible without the password count as their plain twin
 * (expected.json: "same as ..."; the fixture README says each was decrypted to confirm it); the old
 * andOTP file, which has no twin, is decrypted here with node:crypto; Authenticator Plus (an
 * encrypted zip around an SQLCipher database) uses expected.json's count.
 */
type Counter = (file: string) => number | Promise<number>;

const bytes = (file: string) => readFileSync(path.join(fixturesDir, 'aegis', file));
const json = (file: string) => JSON.parse(bytes(file).toString('utf8')) as Record<string, unknown> & unknown[];
const lengthOf = (value: unknown) => (value as unknown[]).length;
const twin = (other: string): Counter => () => countFixtureItems(other);
const stated = (count: number): Counter => () => count;

function unescapeXml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The JSON array kept in one <string name="..."> of an Android shared-preferences file. */
function prefsArray(file: string, name: string): number {
  const match = new RegExp(`<string name="${name.replace(/\./g, '\\.')}">([^<]*)</string>`).exec(bytes(file).toString('utf8'));
  if (!match) throw new Error(`${file}: no ${name}`);
  return lengthOf(JSON.parse(unescapeXml(match[1] as string)));
}

/** FreeOTP's preferences: one <string> per token, besides tokenOrder. */
function prefsTokens(file: string): number {
  return [...bytes(file).toString('utf8').matchAll(/<string name="([^"]*)"/g)].filter((match) => match[1] !== 'tokenOrder').length;
}

/** FreeOTP 2 backups: every token has a "<uuid>-token" entry in the serialized map, readable without the password. */
function freeOtpV2Tokens(file: string): number {
  return bytes(file).toString('latin1').match(/-[0-9a-f]{12}-token/g)?.length ?? 0;
}

function otpauthLines(file: string): number {
  return bytes(file).toString('utf8').split(/\r?\n/).filter((line) => line.trim().startsWith('otpauth://')).length;
}

async function sqlCount(file: string, table: string): Promise<number> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(bytes(file));
  try {
    return Number(db.exec(`SELECT count(*) FROM ${table}`)[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}

/** andOTP's old backups: AES-256-GCM under SHA-256(password), laid out as nonce(12) | ciphertext | tag(16). */
function oldAndOtpEntries(file: string, password: string): number {
  const data = bytes(file);
  const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(password).digest(), data.subarray(0, 12));
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  return lengthOf(JSON.parse(plain.toString('utf8')));
}

const COUNTERS: Record<string, Counter> = {
  'aegis_plain.json': (file) => lengthOf((json(file).db as { entries: unknown }).entries),
  'aegis_plain_grouped_v2.json': (file) => lengthOf((json(file).db as { entries: unknown }).entries),
  'aegis_encrypted.json': twin('aegis_plain.json'),
  'plain.txt': otpauthLines,
  'ente_auth.txt': otpauthLines,
  'andotp_plain.json': (file) => lengthOf(json(file)),
  'andotp_encrypted.bin': twin('andotp_plain.json'),
  'andotp_encrypted_old.bin': (file) => oldAndOtpEntries(file, 'test'),
  'stratum_plain.json': (file) => lengthOf(json(file).Authenticators),
  'stratum_encrypted.bin': twin('stratum_plain.json'),
  'stratum_encrypted_legacy.bin': twin('stratum_plain.json'),
  'stratum_internal.db': (file) => sqlCount(file, 'authenticator'),
  'proton_authenticator.json': (file) => lengthOf(json(file).entries),
  'authy_plain.xml': (file) => prefsArray(file, 'com.authy.storage.tokens.authenticator.key'),
  'authy_encrypted.xml': (file) => prefsArray(file, 'com.authy.storage.tokens.authenticator.key'),
  'battle_net_authenticator.xml': (file) => bytes(file).toString('utf8').match(/name="com\.blizzard\.messenger\.AUTHENTICATOR_DEVICE_SECRET"/g)?.length ?? 0,
  'bitwarden.json': (file) => (json(file).items as { login?: { totp?: string | null } }[]).filter((item) => item.login?.totp).length,
  'bitwarden.csv': (file) => bytes(file).toString('utf8').trim().split(/\r?\n/).slice(1).filter((line) => line.split(',').at(-1) !== '').length,
  'google_authenticator.sqlite': (file) => sqlCount(file, 'accounts'),
  'microsoft_authenticator.sqlite': (file) => sqlCount(file, 'accounts'),
  'duo.json': (file) => lengthOf(json(file)),
  'steam.json': (file) => Object.keys(json(file).accounts as object).length,
  'steam_old.json': (file) => (typeof json(file).shared_secret === 'string' ? 1 : 0),
  '2fas_authenticator.json': (file) => lengthOf(json(file).services),
  '2fas_authenticator_plain.2fas': (file) => lengthOf(json(file).services),
  '2fas_authenticator_encrypted.2fas': twin('2fas_authenticator_plain.2fas'),
  '2fas_authenticator_plain_v3.2fas': (file) => lengthOf(json(file).services),
  '2fas_authenticator_encrypted_v3.2fas': twin('2fas_authenticator_plain_v3.2fas'),
  '2fas_authenticator_plain_v4.2fas': (file) => lengthOf(json(file).services),
  '2fas_authenticator_encrypted_v4.2fas': twin('2fas_authenticator_plain_v4.2fas'),
  'totp_authenticator_internal.xml': (file) => prefsArray(file, 'STATIC_TOTP_CODES_LIST'),
  'totp_authenticator.bin': twin('totp_authenticator_internal.xml'),
  'freeotp.xml': prefsTokens,
  'freeotp_plus_internal.xml': prefsTokens,
  'freeotp_plus.json': (file) => lengthOf(json(file).tokens),
  'freeotp_v2_api23.xml': freeOtpV2Tokens,
  'freeotp_v2_api25.xml': freeOtpV2Tokens,
  'freeotp_v2_api27.xml': freeOtpV2Tokens,
  'freeotp_v2_api34.xml': freeOtpV2Tokens,
  'freeotp_v2_null_algo.xml': freeOtpV2Tokens,
  'authenticator_plus.zip': stated(7),
};

export function hasCounter(file: string): boolean {
  return file in COUNTERS;
}

/** The number of accounts in a fixture file, counted without Latchkey's importers. */
export async function countFixtureItems(file: string): Promise<number> {
  const counter = COUNTERS[file];
  if (!counter) throw new Error(`no counter for ${file}`);
  return counter(file);
}
