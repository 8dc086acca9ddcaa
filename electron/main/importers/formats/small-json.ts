import { z } from 'zod';
import { decodeBase64 } from '../crypto';
import { badFile, checkCount, itemFromUri, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem } from '../types';

/** Proton Authenticator: `{version, entries: [{content: {uri, entry_type, name}, note}]}`. */
function isProton(value: unknown): value is { version: unknown; entries: unknown[] } {
  return isRecord(value) && Array.isArray(value.entries) && value.entries.some((entry) => isRecord(entry) && isRecord(entry.content) && 'uri' in entry.content);
}

export const protonImporter: Importer = {
  id: 'proton',
  title: 'Proton Authenticator export',
  detect: (source) => isProton(source.json()),
  encrypted: () => false,
  async parse(source) {
    const json = source.json();
    if (!isProton(json)) throw badFile('It is not a Proton Authenticator export.');
    checkCount(json.entries.length);
    return json.entries.map((entry): ImportItem => {
      if (!isRecord(entry) || !isRecord(entry.content) || typeof entry.content.uri !== 'string') return refused('The entry has no otpauth:// link.');
      const notes = typeof entry.note === 'string' ? entry.note : null;
      return itemFromUri(entry.content.uri, { notes, label: typeof entry.content.name === 'string' ? entry.content.name : '' });
    });
  },
};

/** Steam Guard .maFile (Steam Desktop Authenticator), one account; or `{accounts: {id: maFile}}`. */
const maFileSchema = z.looseObject({ shared_secret: z.string(), account_name: z.string().nullish() });

function steamAccounts(value: unknown): unknown[] | null {
  if (isRecord(value) && typeof value.shared_secret === 'string') return [value];
  if (isRecord(value) && isRecord(value.accounts) && Object.values(value.accounts).some((account) => isRecord(account) && 'shared_secret' in account)) {
    return Object.values(value.accounts);
  }
  return null;
}

export const steamImporter: Importer = {
  id: 'steam',
  title: 'Steam Guard maFile (Steam Desktop Authenticator, old and new layouts)',
  detect: (source) => steamAccounts(source.json()) !== null,
  encrypted: () => false,
  async parse(source) {
    const accounts = steamAccounts(source.json());
    if (!accounts) throw badFile('It is not a Steam Guard file.');
    checkCount(accounts.length);
    return accounts.map((raw): ImportItem => {
      const parsed = maFileSchema.safeParse(raw);
      if (!parsed.success) return refused('The account has no shared_secret.', 'Steam');
      const secret = decodeBase64(parsed.data.shared_secret);
      if (!secret) return refused('Its shared_secret is not base64.', 'Steam', parsed.data.account_name);
      return toItem({ type: 'steam', secret, issuer: 'Steam', label: parsed.data.account_name });
    });
  },
};

/** Duo Mobile's third-party account export: a list of `{name, otpGenerator: {otpSecret, counter?}}`. */
const duoSchema = z.looseObject({
  name: z.string().nullish(),
  otpGenerator: z.looseObject({ otpSecret: z.string(), counter: z.number().nullish() }),
});

function isDuo(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length > 0 && value.every((entry) => isRecord(entry) && 'otpGenerator' in entry);
}

export const duoImporter: Importer = {
  id: 'duo',
  title: 'Duo Mobile account export',
  detect: (source) => isDuo(source.json()),
  encrypted: () => false,
  async parse(source) {
    const json = source.json();
    if (!isDuo(json)) throw badFile('It is not a Duo Mobile export.');
    checkCount(json.length);
    return json.map((raw): ImportItem => {
      const parsed = duoSchema.safeParse(raw);
      if (!parsed.success) return refused('The entry has no OTP secret.', '', isRecord(raw) ? raw.name : '');
      const { name, otpGenerator } = parsed.data;
      // Duo keeps no issuer; an entry with a counter is HOTP.
      const hotp = typeof otpGenerator.counter === 'number';
      return toItem({ type: hotp ? 'hotp' : 'totp', secret: otpGenerator.otpSecret, issuer: '', label: name, counter: otpGenerator.counter });
    });
  },
};
