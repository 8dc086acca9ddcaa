import { z } from 'zod';
import { isAndroidPrefs, readAndroidPrefs } from '../android-prefs';
import { aesCbcDecrypt, decodeBase64, decodeHex, needPassword, parseJson, pbkdf2, sha256, wrongPassword } from '../crypto';
import { badFile, checkCount, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem } from '../types';

/** Apps whose data people copy from a (rooted) phone: SharedPreferences files. */

// --- Authy: com.authy.storage.tokens.authenticator.xml, secrets plain or PBKDF2-SHA1/AES-CBC encrypted.
const AUTHY_KEY = 'com.authy.storage.tokens.authenticator.key';
const authySchema = z.looseObject({
  digits: z.number().nullish(),
  originalName: z.string().nullish(),
  originalIssuer: z.string().nullish(),
  name: z.string().nullish(),
  accountType: z.string().nullish(),
  decryptedSecret: z.string().nullish(),
  encryptedSecret: z.string().nullish(),
  salt: z.string().nullish(),
});

function authyTokens(text: string | null): unknown[] | null {
  if (!isAndroidPrefs(text)) return null;
  const value = readAndroidPrefs(text).get(AUTHY_KEY);
  const json = value === undefined ? undefined : parseJson(value);
  return Array.isArray(json) ? json : null;
}

export const authyImporter: Importer = {
  id: 'authy',
  title: 'Authy token file (plain or encrypted secrets)',
  detect: (source) => authyTokens(source.text()) !== null,
  encrypted: (source) => authyTokens(source.text())?.some((token) => isRecord(token) && 'encryptedSecret' in token) ?? false,
  async parse(source, password) {
    const tokens = authyTokens(source.text());
    if (!tokens) throw badFile('It is not an Authy token file.');
    checkCount(tokens.length);
    return tokens.map((raw) => readAuthyToken(raw, password));
  },
};

function readAuthyToken(raw: unknown, password: string | null): ImportItem {
  const parsed = authySchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).');
  const token = parsed.data;
  const { issuer, label } = authyNames(token);
  let secret = token.decryptedSecret;
  if (!secret && token.encryptedSecret) {
    if (password === null) throw needPassword('an Authy token file with encrypted secrets (the Authy backup password)');
    secret = decryptAuthySecret(token.encryptedSecret, token.salt ?? '', password);
  }
  if (!secret) return refused('The entry has no secret.', issuer, label);
  // Authy keeps no algorithm or period: its tokens are SHA1, 30 s.
  return toItem({ type: 'totp', secret, issuer, label, digits: token.digits, algorithm: 'SHA1', period: 30 });
}

function decryptAuthySecret(encrypted: string, salt: string, password: string): string {
  const data = decodeBase64(encrypted);
  if (!data) throw badFile('An encrypted secret is not base64.');
  const plain = aesCbcDecrypt(pbkdf2(password, Buffer.from(salt, 'utf8'), 1000, 32, 'sha1'), new Uint8Array(16), data);
  const text = plain?.toString('latin1') ?? '';
  // Padding that happens to check out under a wrong key leaves bytes that are not base32.
  if (!/^[A-Za-z2-7= ]+$/.test(text)) throw wrongPassword('Authy backup');
  return text;
}

function authyNames(token: z.infer<typeof authySchema>): { issuer: string; label: string } {
  const original = token.originalName ?? '';
  const name = token.name ?? '';
  if (original.includes(':')) {
    const issuer = original.slice(0, original.indexOf(':'));
    return { issuer, label: name.replace(`${issuer}:`, '').trim() };
  }
  if (name.includes(' - ')) return { issuer: name.slice(0, name.indexOf(' - ')), label: name.slice(name.indexOf(' - ') + 3) };
  const type = token.originalIssuer || token.accountType || '';
  return { issuer: type.charAt(0).toUpperCase() + type.slice(1), label: name };
}

// --- Battle.net: the authenticator preferences, serial and secret XOR-masked with a fixed key.
const BATTLE_NET_MASK = Buffer.from('398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a', 'hex');
const BN_SECRET = 'com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET';
const BN_SERIAL = 'com.blizzard.messenger.AUTHENTICATOR_SERIAL';

export const battleNetImporter: Importer = {
  id: 'battle-net',
  title: 'Battle.net Authenticator preferences',
  detect: (source) => {
    const text = source.text();
    return isAndroidPrefs(text) && text.includes(BN_SECRET);
  },
  encrypted: () => false,
  async parse(source) {
    const text = source.text();
    if (!isAndroidPrefs(text)) throw badFile('It is not a Battle.net preferences file.');
    const prefs = readAndroidPrefs(text);
    const masked = prefs.get(BN_SECRET);
    if (!masked) throw badFile('It holds no Battle.net authenticator secret.');
    const serial = prefs.get(BN_SERIAL);
    const secretHex = unmask(masked);
    const secret = secretHex === null ? null : decodeHex(secretHex);
    const label = serial ? (unmask(serial) ?? '') : '';
    if (!secret) return [refused('Its secret could not be unmasked.', 'Battle.net', label)];
    return [toItem({ type: 'totp', secret, issuer: 'Battle.net', label, digits: 8 })];
  },
};

function unmask(hex: string): string | null {
  const bytes = decodeHex(hex);
  if (!bytes || bytes.length > BATTLE_NET_MASK.length) return null;
  return String.fromCharCode(...bytes.map((byte, index) => byte ^ (BATTLE_NET_MASK[index] as number)));
}

// --- TOTP Authenticator (com.authenticator.authservice2): internal prefs, or its .bin backup.
const TOTP_AUTH_KEY = 'STATIC_TOTP_CODES_LIST';
const totpAuthSchema = z.looseObject({ base: z.number(), key: z.string(), name: z.string().nullish(), issuer: z.string().nullish() });

export const totpAuthenticatorImporter: Importer = {
  id: 'totp-authenticator',
  title: 'TOTP Authenticator backup (.bin) or internal preferences',
  detect: (source) => {
    const text = source.text();
    if (isAndroidPrefs(text)) return text.includes(TOTP_AUTH_KEY);
    // The .bin backup is one line of base64 whose length is a whole number of AES blocks.
    const trimmed = source.text()?.trim() ?? '';
    if (trimmed.length < 24 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return false;
    const bytes = decodeBase64(trimmed);
    return bytes !== null && bytes.length % 16 === 0;
  },
  encrypted: (source) => !isAndroidPrefs(source.text()),
  async parse(source, password) {
    const text = source.text();
    if (text === null) throw badFile('It is not a TOTP Authenticator file.');
    let list: string;
    if (isAndroidPrefs(text)) {
      const value = readAndroidPrefs(text).get(TOTP_AUTH_KEY);
      if (value === undefined) throw badFile(`It has no ${TOTP_AUTH_KEY} entry.`);
      list = value;
    } else {
      if (password === null) throw needPassword('an encrypted TOTP Authenticator backup');
      list = decryptTotpAuthenticator(text, password);
    }
    const outer = parseJson(list);
    if (!Array.isArray(outer)) throw badFile('Its list of accounts is damaged.');
    checkCount(outer.length);
    return outer.map((value) => readTotpAuthEntry(typeof value === 'string' ? parseJson(value) : value));
  },
};

function decryptTotpAuthenticator(text: string, password: string): string {
  const data = decodeBase64(text.trim());
  if (!data) throw badFile('It is not base64.');
  const plain = aesCbcDecrypt(sha256(password), new Uint8Array(16), data);
  const json = plain ? parseJson(plain.toString('utf8')) : undefined;
  // The decrypted object's only key is the list of accounts itself, as JSON text.
  if (!isRecord(json)) throw wrongPassword('TOTP Authenticator backup');
  const first = Object.keys(json)[0];
  if (first === undefined) throw badFile('It holds no accounts.');
  return first;
}

function readTotpAuthEntry(raw: unknown): ImportItem {
  const parsed = totpAuthSchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).');
  const { base, key, name, issuer } = parsed.data;
  const secret = base === 16 ? decodeHex(key) : base === 64 ? decodeBase64(key) : base === 32 ? key : null;
  if (secret === null) return refused(`Its secret is in base ${base}, which Latchkey does not read.`, issuer, name);
  // TOTP Authenticator always makes SHA1, 6-digit, 30-second codes.
  return toItem({ type: 'totp', secret, issuer, label: name, algorithm: 'SHA1', digits: 6, period: 30 });
}
