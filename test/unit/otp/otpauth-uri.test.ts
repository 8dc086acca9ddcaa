import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES, LatchkeyError } from '../../../shared/errors';
import {
  decodeBase32,
  formatOtpauthUri,
  generateCode,
  parseOtpauthUri,
  type ParsedOtpauth,
} from '../../../electron/main/otp';
import { canonicalEntries, fixtureLines, type CanonicalEntry } from './fixtures';

function expected(entry: CanonicalEntry): ParsedOtpauth {
  return {
    type: entry.type,
    secret: entry.secret,
    issuer: entry.issuer,
    label: entry.name,
    algorithm: entry.algorithm,
    digits: entry.digits,
    period: entry.type === 'hotp' ? 30 : entry.period,
    counter: entry.type === 'hotp' ? entry.counter : 0,
  };
}

function uriError(uri: string): LatchkeyError {
  try {
    parseOtpauthUri(uri);
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error(`parseOtpauthUri accepted ${uri}`);
}

describe.each(['aegis/plain.txt', 'aegis/ente_auth.txt'])('%s', (file) => {
  const lines = fixtureLines(file);
  const bySecret = new Map(canonicalEntries.map((entry) => [entry.secret, entry]));

  it('holds the 7 canonical entries (all but Battle.net), one URI per line', () => {
    expect(lines).toHaveLength(7);
    const secrets = lines.map((line) => parseOtpauthUri(line).secret);
    expect(new Set(secrets).size).toBe(7);
    expect(canonicalEntries.filter((e) => !secrets.includes(e.secret)).map((e) => e.issuer)).toEqual(['Battle.net']);
  });

  it.each(lines)('parses %s to its canonical entry', (line) => {
    const parsed = parseOtpauthUri(line);
    const entry = bySecret.get(parsed.secret);
    expect(entry, 'no canonical entry has this secret').toBeDefined();
    if (!entry) return;
    expect(parsed).toEqual(expected(entry));

    // And the parsed account gives the fixture's codes.
    const secret = decodeBase32(parsed.secret);
    if (entry.type === 'hotp') {
      expect(generateCode({ ...parsed, secret }, 0)).toBe(entry.codes_at_counter[String(entry.counter)]);
    } else {
      expect(generateCode({ ...parsed, secret }, 1_700_000_000_000)).toBe(entry.codes_at_unix_time['1700000000']);
    }
  });
});

describe('parseOtpauthUri variants', () => {
  const S = 'JBSWY3DPEHPK3PXP';
  const totp = (over: Partial<ParsedOtpauth>): ParsedOtpauth => ({
    type: 'totp',
    secret: S,
    issuer: '',
    label: '',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    ...over,
  });

  it.each<[string, string, ParsedOtpauth]>([
    ['defaults SHA1/6/30 and no issuer', `otpauth://totp/alice@example.com?secret=${S}`, totp({ label: 'alice@example.com' })],
    ['Issuer:Account label', `otpauth://totp/ACME%20Co:alice?secret=${S}`, totp({ issuer: 'ACME Co', label: 'alice' })],
    ['"Issuer: Account" with a space', `otpauth://totp/ACME:%20alice?secret=${S}`, totp({ issuer: 'ACME', label: 'alice' })],
    ['an encoded colon (%3A)', `otpauth://totp/Example%3Aalice%40google.com?secret=${S}`, totp({ issuer: 'Example', label: 'alice@google.com' })],
    ['the issuer parameter winning over the label prefix', `otpauth://totp/Old:alice?secret=${S}&issuer=New+Name`, totp({ issuer: 'New Name', label: 'alice' })],
    ['only the issuer parameter', `otpauth://totp/alice?issuer=ACME&secret=${S}`, totp({ issuer: 'ACME', label: 'alice' })],
    ['an empty issuer parameter falling back to the prefix', `otpauth://totp/ACME:alice?issuer=&secret=${S}`, totp({ issuer: 'ACME', label: 'alice' })],
    ['a colon in the account name', `otpauth://totp/ACME:user:42?secret=${S}`, totp({ issuer: 'ACME', label: 'user:42' })],
    ["a literal '+' in the label", `otpauth://totp/a+b?secret=${S}`, totp({ label: 'a+b' })],
    ['raw and encoded unicode', `otpauth://totp/Caf%C3%A9:j%C3%BCrgen?secret=${S}&issuer=Café`, totp({ issuer: 'Café', label: 'jürgen' })],
    ['no label at all', `otpauth://totp?secret=${S}`, totp({})],
    ['upper-case scheme, type and parameter names', `OTPAUTH://TOTP/x?SECRET=${S}&Algorithm=sha256&DIGITS=8&Period=60`, totp({ label: 'x', algorithm: 'SHA256', digits: 8, period: 60 })],
    ['lowercase algorithm and SHA-512 spelling', `otpauth://totp/x?secret=${S}&algorithm=sha-512`, totp({ label: 'x', algorithm: 'SHA512' })],
    ['a lowercase, spaced, padded secret', `otpauth://totp/x?secret=jbsw%20y3dp+ehpk%203pxp%3D%3D`, totp({ label: 'x' })],
    ['10 digits', `otpauth://totp/x?secret=${S}&digits=10`, totp({ label: 'x', digits: 10 })],
    ['unknown parameters, a fragment and surrounding whitespace', `  otpauth://totp/x?secret=${S}&image=https%3A%2F%2Fe.com%2Fa.png&codeDisplay=%ZZ&foo#frag\n`, totp({ label: 'x' })],
    ['a counter on totp (ignored)', `otpauth://totp/x?secret=${S}&counter=abc`, totp({ label: 'x' })],
    ['hotp without a counter (lenient: 0)', `otpauth://hotp/x?secret=${S}`, totp({ type: 'hotp', label: 'x' })],
    ['hotp with a period (ignored)', `otpauth://hotp/x?secret=${S}&counter=12&period=zzz`, totp({ type: 'hotp', label: 'x', counter: 12 })],
    ['hotp with the largest safe counter', `otpauth://hotp/x?secret=${S}&counter=${Number.MAX_SAFE_INTEGER}`, totp({ type: 'hotp', label: 'x', counter: Number.MAX_SAFE_INTEGER })],
    ['otpauth://steam/ (digits forced to 5)', `otpauth://steam/Steam:gabe?secret=${S}`, totp({ type: 'steam', issuer: 'Steam', label: 'gabe', digits: 5 })],
    ['totp with encoder=steam', `otpauth://totp/Steam:gabe?secret=${S}&period=30&digits=5&issuer=Steam&encoder=steam`, totp({ type: 'steam', issuer: 'Steam', label: 'gabe', digits: 5 })],
    ['encoder=STEAM upper-case, digits ignored', `otpauth://totp/gabe?secret=${S}&encoder=STEAM&digits=6`, totp({ type: 'steam', label: 'gabe', digits: 5 })],
  ])('accepts %s', (_name, uri, result) => {
    expect(parseOtpauthUri(uri)).toEqual(result);
  });
});

describe('parseOtpauthUri rejections', () => {
  const S = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  it.each<[string, string, RegExp]>([
    ['an empty string', '', /The link is empty\./],
    ['a bare secret', S, /It does not start with otpauth:\/\//],
    ['an http link', `https://example.com/?secret=${S}`, /It does not start with otpauth:\/\//],
    ['a Google export link', `otpauth-migration://offline?data=${S}`, /Google Authenticator export link \(otpauth-migration:\/\/\)/],
    ['a missing type', `otpauth:///x?secret=${S}`, /The OTP type is missing/],
    ['an unknown type', `otpauth://motp/x?secret=${S}`, /Unknown type 'motp' \(expected totp, hotp or steam\)/],
    ['a missing secret', 'otpauth://totp/ACME:alice?issuer=ACME', /The secret is missing \(the link has no secret= parameter\)/],
    ['an empty secret', 'otpauth://totp/ACME:alice?secret=&issuer=ACME', /The secret parameter is empty/],
    ['a repeated secret', `otpauth://totp/x?secret=${S}&secret=${S}`, /The 'secret' parameter appears 2 times; it may appear only once/],
    ['a secret with an invalid character', `otpauth://totp/x?secret=${S}1`, /The secret is not valid base32: it has an invalid character '1' at position 33/],
    ['a secret of impossible length', `otpauth://totp/x?secret=${S}A`, /The secret is not valid base32: it has 33 base32 characters, a length that cannot encode whole bytes/],
    ['a secret with broken percent-encoding', `otpauth://totp/x?secret=${S}%E0%A4`, /The 'secret' parameter has bad percent-encoding/],
    ['an unknown algorithm', `otpauth://totp/x?secret=${S}&algorithm=MD5`, /Unknown algorithm 'MD5' \(must be SHA1, SHA256 or SHA512\)/],
    ['an empty algorithm', `otpauth://totp/x?secret=${S}&algorithm=`, /Unknown algorithm '' /],
    ['steam with SHA256', `otpauth://steam/x?secret=${S}&algorithm=SHA256`, /Steam Guard codes always use SHA1, but the link asks for SHA256/],
    ['5 digits on totp', `otpauth://totp/x?secret=${S}&digits=5`, /digits must be a whole number from 6 to 10 \(the link says '5'\)/],
    ['11 digits', `otpauth://hotp/x?secret=${S}&digits=11`, /digits must be a whole number from 6 to 10 \(the link says '11'\)/],
    ['non-numeric digits', `otpauth://totp/x?secret=${S}&digits=six`, /digits must be a whole number from 6 to 10 \(the link says 'six'\)/],
    ['fractional digits', `otpauth://totp/x?secret=${S}&digits=6.0`, /digits must be a whole number from 6 to 10 \(the link says '6\.0'\)/],
    ['period 0', `otpauth://totp/x?secret=${S}&period=0`, /The period must be a whole number of seconds from 1 to 86400 \(the link says '0'\)/],
    ['a negative period', `otpauth://steam/x?secret=${S}&period=-30`, /The period must be a whole number of seconds from 1 to 86400 \(the link says '-30'\)/],
    ['a fractional period', `otpauth://totp/x?secret=${S}&period=30.5`, /period must be a whole number of seconds .*'30\.5'/],
    ['a period over a day', `otpauth://totp/x?secret=${S}&period=86401`, /period must be a whole number of seconds from 1 to 86400 \(the link says '86401'\)/],
    ['an empty period', `otpauth://totp/x?secret=${S}&period=`, /period must be a whole number of seconds .*''/],
    ['a negative counter', `otpauth://hotp/x?secret=${S}&counter=-1`, /The counter must be a whole number >= 0 .*\(the link says '-1'\)/],
    ['a hex counter', `otpauth://hotp/x?secret=${S}&counter=0x10`, /The counter must be a whole number >= 0 .*'0x10'/],
    ['an unsafe counter', `otpauth://hotp/x?secret=${S}&counter=9007199254740992`, /The counter must be a whole number >= 0 and at most 9007199254740991/],
    ['bad percent-encoding in the label', `otpauth://totp/ACME:al%ZZice?secret=${S}`, /The label \(the part after otpauth:\/\/type\/\) has bad percent-encoding/],
    ['invalid UTF-8 in the label', `otpauth://totp/%C3%28?secret=${S}`, /The label .* has bad percent-encoding/],
    ['bad percent-encoding in the issuer', `otpauth://totp/x?secret=${S}&issuer=%E2%82`, /The 'issuer' parameter has bad percent-encoding/],
    ['an unknown encoder', `otpauth://totp/x?secret=${S}&encoder=yandex`, /Unknown encoder 'yandex' \(only 'steam' is supported\)/],
    ['encoder=steam on hotp', `otpauth://hotp/x?secret=${S}&encoder=steam`, /encoder=steam is for time-based codes, but this is an otpauth:\/\/hotp\/ link/],
    ['an over-long issuer', `otpauth://totp/x?secret=${S}&issuer=${'i'.repeat(257)}`, /The issuer is 257 characters long; at most 256 are allowed/],
    ['an over-long account name', `otpauth://totp/ACME:${'a'.repeat(300)}?secret=${S}`, /The account name is 300 characters long; at most 256 are allowed/],
  ])('rejects %s', (_name, uri, detail) => {
    const error = uriError(uri);
    expect(error.code).toBe('INVALID_OTPAUTH_URI');
    expect(error.message.startsWith(ERROR_SENTENCES.INVALID_OTPAUTH_URI)).toBe(true);
    expect(error.message).toMatch(detail);
    expect(error.message).not.toContain(S);
    expect(error.message).not.toContain(S.slice(0, 12));
  });

  it('does not echo the secret through another field', () => {
    const error = uriError(`otpauth://totp/x?secret=${S}&digits=${S}`);
    expect(error.message).toMatch(/digits must be a whole number from 6 to 10 \(the link says \(value not shown\)\)/);
    expect(error.message).not.toContain(S.slice(0, 8));
  });

  it('shows long wrong values only in part', () => {
    const error = uriError(`otpauth://totp/x?secret=${S}&algorithm=${'X'.repeat(100)}`);
    expect(error.message).toContain(`'${'X'.repeat(24)}…'`);
    expect(error.message).not.toContain('X'.repeat(25));
  });

  it('keeps the base32 error as the cause', () => {
    const error = uriError(`otpauth://totp/x?secret=${S}8`);
    expect(error.cause).toBeInstanceOf(LatchkeyError);
    expect((error.cause as LatchkeyError).code).toBe('INVALID_SECRET');
  });
});

describe('formatOtpauthUri', () => {
  it('writes the canonical form of each canonical entry', () => {
    const deno = canonicalEntries.find((e) => e.issuer === 'Deno');
    const issuu = canonicalEntries.find((e) => e.issuer === 'Issuu');
    const boeing = canonicalEntries.find((e) => e.issuer === 'Boeing');
    if (!deno || !issuu || !boeing) throw new Error('fixture entries missing');
    expect(formatOtpauthUri(expected(deno))).toBe('otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno&algorithm=SHA1&digits=6&period=30');
    expect(formatOtpauthUri(expected(issuu))).toBe('otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&algorithm=SHA1&digits=6&counter=1');
    expect(formatOtpauthUri(expected(boeing))).toBe('otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30');
  });

  it('round-trips every canonical entry', () => {
    for (const entry of canonicalEntries) expect(parseOtpauthUri(formatOtpauthUri(expected(entry)))).toEqual(expected(entry));
  });

  const S = 'KUVJJOM753IHTNDSZVCNKL7GII';
  const cases: ParsedOtpauth[] = [
    { type: 'totp', secret: S, issuer: 'Crédit Agricole: Pro', label: 'jean.dupont@exemple.fr', algorithm: 'SHA256', digits: 8, period: 60, counter: 0 },
    { type: 'totp', secret: S, issuer: '', label: 'no issuer: but a colon', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 },
    { type: 'totp', secret: S, issuer: 'ACME', label: '', algorithm: 'SHA512', digits: 10, period: 1, counter: 0 },
    { type: 'totp', secret: S, issuer: '', label: '', algorithm: 'SHA1', digits: 6, period: 86_400, counter: 0 },
    { type: 'hotp', secret: S, issuer: '東京 銀行', label: 'ユーザー 1', algorithm: 'SHA512', digits: 7, period: 30, counter: 10_300 },
    { type: 'hotp', secret: S, issuer: 'a+b&c=d?e#f/g%h', label: 'x:y:z 😀', algorithm: 'SHA1', digits: 9, period: 30, counter: Number.MAX_SAFE_INTEGER },
    { type: 'steam', secret: S, issuer: 'Steam: Valve', label: 'gabe n', algorithm: 'SHA1', digits: 5, period: 30, counter: 0 },
    { type: 'steam', secret: S, issuer: '', label: 'üser:1', algorithm: 'SHA1', digits: 5, period: 45, counter: 0 },
  ];
  it.each(cases)('round-trips $type "$issuer" / "$label"', (account) => {
    const uri = formatOtpauthUri(account);
    expect(uri).toMatch(new RegExp(`^otpauth://${account.type}/[^?#\\s]*\\?secret=${S}&`));
    expect(uri).not.toMatch(/[\s#]/);
    expect(parseOtpauthUri(uri)).toEqual(account);
  });

  it('normalizes the secret it is given', () => {
    const uri = formatOtpauthUri({ ...cases[0]!, secret: 'kuvj jom7 53ih tnds zvcn kl7g ii==' });
    expect(uri).toContain(`secret=${S}&`);
  });

  it.each<[string, Partial<ParsedOtpauth>, string, RegExp]>([
    ['5 digits on totp', { digits: 5 }, 'INVALID_ACCOUNT', /digits must be a whole number from 6 to 10/],
    ['period 0', { period: 0 }, 'INVALID_ACCOUNT', /period must be a whole number/],
    ['a negative hotp counter', { type: 'hotp', counter: -1 }, 'INVALID_ACCOUNT', /counter must be a whole number >= 0/],
    ['a bad secret', { secret: 'NOT-BASE32!' }, 'INVALID_SECRET', /invalid character '!' at position 11/],
  ])('refuses %s', (_name, change, code, detail) => {
    expect(() => formatOtpauthUri({ ...cases[0]!, ...change })).toThrow(detail);
    try {
      formatOtpauthUri({ ...cases[0]!, ...change });
    } catch (error) {
      expect((error as LatchkeyError).code).toBe(code);
    }
  });
});
