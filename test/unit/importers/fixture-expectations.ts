import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fixturesDir } from '../otp/fixtures';

/** The canonical entries of test/fixtures/aegis/expected.json, with the codes computed independently. */
const canonicalSchema = z.object({
  type: z.enum(['totp', 'hotp', 'steam']),
  issuer: z.string(),
  name: z.string(),
  secret: z.string(),
  algorithm: z.enum(['SHA1', 'SHA256', 'SHA512']),
  digits: z.number(),
  period: z.number().optional(),
  counter: z.number().optional(),
  codes_at_unix_time: z.record(z.string(), z.string()).optional(),
  codes_at_counter: z.record(z.string(), z.string()).optional(),
});
export type Canonical = z.infer<typeof canonicalSchema>;

const expected = z
  .object({ canonical_entries: z.array(canonicalSchema), files: z.record(z.string(), z.object({ password: z.string().nullable() })) })
  .parse(JSON.parse(readFileSync(path.join(fixturesDir, 'aegis', 'expected.json'), 'utf8')));

export const CANONICAL = new Map(expected.canonical_entries.map((entry) => [entry.issuer, entry]));
export const FILE_PASSWORDS = new Map(Object.entries(expected.files).map(([file, info]) => [file, info.password]));

/** What an entry of a file should import as: a canonical entry, with the file's documented adjustments. */
export interface ExpectedEntry {
  secret: string;
  type: 'totp' | 'hotp' | 'steam';
  issuer: string;
  label: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period?: number;
  counter?: number;
  /** The canonical entry when the parameters are unchanged, so its listed codes apply. */
  codesFrom: Canonical | null;
}

type Adjust = Partial<Omit<ExpectedEntry, 'codesFrom' | 'secret'>> | ((entry: Canonical) => Partial<Omit<ExpectedEntry, 'codesFrom' | 'secret'>>);

export function canonical(issuer: string, adjust: Adjust = {}): ExpectedEntry {
  const entry = CANONICAL.get(issuer);
  if (!entry) throw new Error(`no canonical entry ${issuer}`);
  const base: ExpectedEntry = {
    secret: entry.secret,
    type: entry.type,
    issuer: entry.issuer,
    label: entry.name,
    algorithm: entry.algorithm,
    digits: entry.digits,
    ...(entry.type === 'hotp' ? { counter: entry.counter } : { period: entry.period }),
    codesFrom: entry,
  };
  const changes = typeof adjust === 'function' ? adjust(entry) : adjust;
  const result = { ...base, ...changes };
  const same = result.type === base.type && result.algorithm === base.algorithm && result.digits === base.digits && result.period === base.period && result.counter === base.counter;
  return { ...result, codesFrom: same ? entry : null };
}

const ALL = ['Deno', 'SPDX', 'Airbnb', 'Issuu', 'Air Canada', 'WWE', 'Boeing'];
const NO_STEAM = ALL.filter((issuer) => issuer !== 'Boeing');
const TOTP = ['Deno', 'SPDX', 'Airbnb'];
const all = (issuers: string[], adjust: Adjust = {}): ExpectedEntry[] => issuers.map((issuer) => canonical(issuer, adjust));
const sha1Six30: Adjust = (entry) => ({ type: entry.type === 'steam' ? 'totp' : entry.type, algorithm: 'SHA1', digits: 6, ...(entry.type === 'hotp' ? { counter: entry.counter } : { period: 30 }) });

/** Every export-format fixture and the entries it must import to (README and expected.json quirks). */
export const FIXTURE_EXPECTATIONS: Record<string, { format: string; entries: ExpectedEntry[] }> = {
  'aegis_plain.json': { format: 'aegis', entries: all(ALL) },
  'aegis_encrypted.json': { format: 'aegis', entries: all(ALL) },
  'aegis_plain_grouped_v2.json': { format: 'aegis', entries: all(ALL) },
  'plain.txt': { format: 'uris', entries: all(ALL) },
  'ente_auth.txt': { format: 'uris', entries: all(ALL) },
  'andotp_plain.json': { format: 'andotp', entries: all(ALL) },
  'andotp_encrypted.bin': { format: 'andotp', entries: all(ALL) },
  'andotp_encrypted_old.bin': { format: 'andotp', entries: all(NO_STEAM) },
  'stratum_plain.json': { format: 'stratum', entries: all(ALL) },
  'stratum_encrypted.bin': { format: 'stratum', entries: all(ALL) },
  'stratum_encrypted_legacy.bin': { format: 'stratum', entries: all(ALL) },
  'stratum_internal.db': { format: 'stratum-db', entries: all(ALL) },
  'proton_authenticator.json': { format: 'proton', entries: all(TOTP) },
  // Authy keeps no algorithm or period: SHA1, 30 s.
  'authy_plain.xml': { format: 'authy', entries: all(TOTP, { algorithm: 'SHA1', period: 30 }) },
  'authy_encrypted.xml': { format: 'authy', entries: all(TOTP, { algorithm: 'SHA1', period: 30 }) },
  'battle_net_authenticator.xml': { format: 'battle-net', entries: [canonical('Battle.net')] },
  'bitwarden.json': { format: 'bitwarden', entries: [...all(TOTP), canonical('Boeing', { issuer: 'Test Steam', label: '' })] },
  'bitwarden.csv': { format: 'csv', entries: [...all(TOTP), canonical('Boeing', { issuer: 'Test 4', label: '' })] },
  'google_authenticator.sqlite': { format: 'google-authenticator-db', entries: all(NO_STEAM, sha1Six30) },
  'microsoft_authenticator.sqlite': { format: 'microsoft-authenticator-db', entries: all(ALL, () => ({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: undefined })) },
  'duo.json': { format: 'duo', entries: [canonical('Deno', { issuer: '' }), canonical('Issuu', { issuer: '', counter: 3 })] },
  'steam.json': { format: 'steam', entries: [canonical('Boeing', { issuer: 'Steam' })] },
  'steam_old.json': { format: 'steam', entries: [canonical('Boeing', { issuer: 'Steam' })] },
  '2fas_authenticator.json': { format: '2fas', entries: all(NO_STEAM, () => ({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: undefined })) },
  '2fas_authenticator_plain.2fas': { format: '2fas', entries: all(['Deno', 'Airbnb', 'Issuu', 'WWE'], (entry) => ({ type: 'totp', period: entry.period ?? 30, counter: undefined })) },
  '2fas_authenticator_encrypted.2fas': { format: '2fas', entries: all(['Deno', 'Airbnb', 'Issuu', 'WWE'], (entry) => ({ type: 'totp', period: entry.period ?? 30, counter: undefined })) },
  '2fas_authenticator_plain_v3.2fas': { format: '2fas', entries: all(NO_STEAM) },
  '2fas_authenticator_encrypted_v3.2fas': { format: '2fas', entries: all(NO_STEAM) },
  '2fas_authenticator_plain_v4.2fas': { format: '2fas', entries: all(['Deno', 'Issuu', 'Air Canada', 'WWE', 'Boeing']) },
  '2fas_authenticator_encrypted_v4.2fas': { format: '2fas', entries: all(['Deno', 'Issuu', 'Air Canada', 'WWE', 'Boeing']) },
  // TOTP Authenticator: SHA1, 6 digits, 30 s, names lower-cased.
  'totp_authenticator.bin': { format: 'totp-authenticator', entries: all(TOTP, (entry) => ({ algorithm: 'SHA1', digits: 6, period: 30, label: entry.name.toLowerCase() })) },
  'totp_authenticator_internal.xml': { format: 'totp-authenticator', entries: all(TOTP, (entry) => ({ algorithm: 'SHA1', digits: 6, period: 30, label: entry.name.toLowerCase() })) },
  // FreeOTP and FreeOTP+ store the HOTP counter minus one; the importer adds it back.
  'freeotp.xml': { format: 'freeotp-xml', entries: all(['WWE', 'Airbnb', 'Deno', 'Issuu']) },
  'freeotp_plus.json': { format: 'freeotp-plus', entries: all(NO_STEAM) },
  'freeotp_plus_internal.xml': { format: 'freeotp-xml', entries: all(NO_STEAM) },
  'freeotp_v2_api23.xml': { format: 'freeotp-v2', entries: all(NO_STEAM) },
  'freeotp_v2_api25.xml': { format: 'freeotp-v2', entries: all(NO_STEAM) },
  'freeotp_v2_api27.xml': { format: 'freeotp-v2', entries: all(NO_STEAM) },
  'freeotp_v2_api34.xml': { format: 'freeotp-v2', entries: all(NO_STEAM) },
  'freeotp_v2_null_algo.xml': { format: 'freeotp-v2', entries: [canonical('Deno')] },
  'authenticator_plus.zip': { format: 'authenticator-plus', entries: all(ALL) },
};
