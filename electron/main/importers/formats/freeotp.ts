import { z } from 'zod';
import { isAndroidPrefs, readAndroidPrefs } from '../android-prefs';
import { parseJson } from '../crypto';
import { badFile, checkCount, refused, toItem } from '../entry';
import { isRecord } from '../source';
import type { Importer, ImportItem } from '../types';

/**
 * FreeOTP+ JSON exports (`{tokenOrder, tokens}`) and the FreeOTP / FreeOTP+ token files
 * (SharedPreferences XML: one JSON token per "issuer:label" key). Secrets are signed byte arrays.
 * Both apps store the HOTP counter of the code shown last, one below the next code's counter.
 */
export const freeOtpTokenSchema = z.looseObject({
  algo: z.string().nullish(),
  counter: z.number().nullish(),
  digits: z.number().nullish(),
  issuerExt: z.string().nullish(),
  issuerInt: z.string().nullish(),
  label: z.string().nullish(),
  period: z.number().nullish(),
  secret: z.array(z.number().int().min(-128).max(255)),
  type: z.string(),
});

function isFreeOtpPlus(value: unknown): value is { tokens: unknown[] } {
  return isRecord(value) && Array.isArray(value.tokens) && ('tokenOrder' in value || value.tokens.every((token) => isRecord(token) && Array.isArray(token.secret)));
}

export const freeOtpPlusImporter: Importer = {
  id: 'freeotp-plus',
  title: 'FreeOTP+ JSON export',
  detect: (source) => isFreeOtpPlus(source.json()),
  encrypted: () => false,
  async parse(source) {
    const json = source.json();
    if (!isFreeOtpPlus(json)) throw badFile('It is not a FreeOTP+ export.');
    checkCount(json.tokens.length);
    return json.tokens.map(readToken);
  },
};

export const freeOtpXmlImporter: Importer = {
  id: 'freeotp-xml',
  title: 'FreeOTP / FreeOTP+ token file (tokens.xml)',
  detect: (source) => {
    const text = source.text();
    return isAndroidPrefs(text) && /&quot;secret&quot;:\[/.test(text) && !text.includes('masterKey');
  },
  encrypted: () => false,
  async parse(source) {
    const text = source.text();
    if (!isAndroidPrefs(text)) throw badFile('It is not a FreeOTP token file.');
    const values = [...readAndroidPrefs(text)].filter(([name]) => name !== 'tokenOrder');
    checkCount(values.length);
    return values.map(([name, value]) => {
      const json = parseJson(value);
      return json === undefined ? refused('The entry is not valid JSON.', name) : readToken(json);
    });
  },
};

function readToken(raw: unknown): ImportItem {
  const parsed = freeOtpTokenSchema.safeParse(raw);
  if (!parsed.success) return refused('The entry is damaged (a field is missing or has the wrong type).', isRecord(raw) ? raw.issuerExt : '', isRecord(raw) ? raw.label : '');
  const token = parsed.data;
  return freeOtpItem(token, Uint8Array.from(token.secret, (value) => value & 0xff), true);
}

export interface FreeOtpToken {
  algo?: string | null;
  counter?: number | null;
  digits?: number | null;
  issuerExt?: string | null;
  issuerInt?: string | null;
  label?: string | null;
  period?: number | null;
  type: string;
}

/** One FreeOTP token; `counterIsLastUsed` for the formats that keep the counter one behind. */
export function freeOtpItem(token: FreeOtpToken, secret: Uint8Array, counterIsLastUsed: boolean): ImportItem {
  const issuer = token.issuerExt || token.issuerInt || '';
  const label = token.label ?? '';
  const kind = token.type.toUpperCase();
  const type = kind === 'TOTP' ? 'totp' : kind === 'HOTP' ? 'hotp' : kind === 'STEAM' ? 'steam' : null;
  if (!type) return refused(`Its type '${kind.slice(0, 16)}' is not one Latchkey supports (TOTP, HOTP, Steam).`, issuer, label);
  const counter = type === 'hotp' ? (token.counter ?? 0) + (counterIsLastUsed ? 1 : 0) : 0;
  return toItem({ type, secret, issuer, label, algorithm: token.algo ?? 'SHA1', digits: token.digits, period: token.period, counter });
}
