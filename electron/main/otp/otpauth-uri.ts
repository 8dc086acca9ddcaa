import { ERROR_SENTENCES, LatchkeyError, isLatchkeyError } from '../../../shared/errors';
import type { Algorithm, OtpType } from '../../../shared/domain';
import { MAX_DIGITS, MAX_TEXT, MIN_DIGITS, STEAM_DIGITS } from '../../../shared/domain';
import { normalizeBase32 } from './base32';

export type ParsedOtpauth = {
  type: OtpType;
  /** Normalized base32: uppercase, no spaces, no padding. */
  secret: string;
  /** '' when the link names no issuer. */
  issuer: string;
  /** The account name (the label without its "Issuer:" prefix). */
  label: string;
  /** Always SHA1 for steam. */
  algorithm: Algorithm;
  /** Always 5 for steam. */
  digits: number;
  /** Seconds per code; 30 (unused) for hotp. */
  period: number;
  /** The HOTP counter; 0 (unused) for totp and steam. */
  counter: number;
};

const DEFAULT_PERIOD = 30;
const MAX_PERIOD = 86_400;
const ALGORITHMS: readonly Algorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const TYPES: readonly OtpType[] = ['totp', 'hotp', 'steam'];
const PREFIX = 'otpauth://';

function fail(detail: string, cause?: unknown): LatchkeyError {
  return new LatchkeyError('INVALID_OTPAUTH_URI', detail, cause === undefined ? undefined : { cause });
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A parameter's raw (still encoded) values, keyed by lowercase name; repeated names keep every value. */
function splitQuery(query: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' ')).trim().toLowerCase();
    } catch {
      continue; // a name with broken encoding cannot be one we read; unknown parameters are ignored
    }
    const values = params.get(name) ?? [];
    values.push(eq < 0 ? '' : part.slice(eq + 1));
    params.set(name, values);
  }
  return params;
}

/**
 * Parses an otpauth:// link (Google Authenticator's Key Uri Format plus the extensions other apps
 * write): otpauth://totp/, otpauth://hotp/, otpauth://steam/ and otpauth://totp/...&encoder=steam.
 * Scheme, type, parameter names and algorithm are case-insensitive; unknown parameters (image,
 * codeDisplay, ...) are ignored, and so are parameters that do not apply to the type (period on
 * hotp, counter on totp, digits on steam). Defaults: SHA1, 6 digits, 30 s, counter 0 (Google's
 * spec requires counter for hotp; Latchkey is lenient but rejects a malformed one).
 *
 * The label is "Issuer:Account" or "Account"; the issuer parameter wins over the label's prefix.
 * Issuer and account are percent-decoded and trimmed. '+' means a space in parameters
 * (form encoding) but is a literal '+' in the label (URI path).
 *
 * Throws INVALID_OTPAUTH_URI with a detail that says exactly what is wrong and never holds the secret.
 */
export function parseOtpauthUri(uri: string): ParsedOtpauth {
  if (typeof uri !== 'string') throw fail('The link must be text.');
  const text = uri.trim();
  if (text === '') throw fail('The link is empty.');
  if (/^otpauth-migration:/i.test(text)) {
    throw fail('This is a Google Authenticator export link (otpauth-migration://) that can hold many accounts; import it as an export instead.');
  }
  if (text.slice(0, PREFIX.length).toLowerCase() !== PREFIX) throw fail('It does not start with otpauth://.');

  let rest = text.slice(PREFIX.length);
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const head = question < 0 ? rest : rest.slice(0, question);
  const params = splitQuery(question < 0 ? '' : rest.slice(question + 1));
  const slash = head.indexOf('/');
  const rawType = slash < 0 ? head : head.slice(0, slash);
  const rawLabel = slash < 0 ? '' : head.slice(slash + 1);

  // Whatever the link's secret is, it must not be echoed back in an error through another field.
  const rawSecrets = (params.get('secret') ?? []).filter((value) => value.length >= 4);
  const show = (value: string): string => {
    const clean = value.replace(/[\p{Cc}\p{Cf}]/gu, '?');
    if (value.length >= 4 && rawSecrets.some((secret) => secret.includes(value) || value.includes(secret))) return '(value not shown)';
    return `'${clean.length > 24 ? `${clean.slice(0, 24)}…` : clean}'`;
  };

  const param = (name: string): string | undefined => {
    const values = params.get(name);
    if (values === undefined) return undefined;
    if (values.length > 1) throw fail(`The '${name}' parameter appears ${values.length} times; it may appear only once.`);
    try {
      return decodeURIComponent((values[0] ?? '').replace(/\+/g, ' '));
    } catch (error) {
      throw fail(`The '${name}' parameter has bad percent-encoding.`, error);
    }
  };

  // Type
  if (rawType === '') throw fail('The OTP type is missing (expected otpauth://totp/, otpauth://hotp/ or otpauth://steam/).');
  let type = rawType.toLowerCase() as OtpType;
  if (!TYPES.includes(type)) throw fail(`Unknown type ${show(rawType)} (expected totp, hotp or steam).`);

  const encoder = param('encoder')?.trim().toLowerCase();
  if (encoder !== undefined && encoder !== '') {
    if (encoder !== 'steam') throw fail(`Unknown encoder ${show(encoder)} (only 'steam' is supported).`);
    if (type === 'hotp') throw fail("encoder=steam is for time-based codes, but this is an otpauth://hotp/ link.");
    type = 'steam';
  }

  // Secret
  const rawSecret = param('secret');
  if (rawSecret === undefined) throw fail('The secret is missing (the link has no secret= parameter).');
  if (rawSecret.trim() === '') throw fail('The secret parameter is empty.');
  let secret: string;
  try {
    secret = normalizeBase32(rawSecret);
  } catch (error) {
    if (!isLatchkeyError(error, 'INVALID_SECRET')) throw error;
    const detail = error.message.slice(ERROR_SENTENCES.INVALID_SECRET.length).trim();
    throw fail(`The secret is not valid base32: ${lowerFirst(detail)}`, error);
  }

  // Algorithm
  const rawAlgorithm = param('algorithm');
  let algorithm: Algorithm = 'SHA1';
  if (rawAlgorithm !== undefined) {
    const name = rawAlgorithm.trim().toUpperCase().replace('-', '');
    if (!ALGORITHMS.includes(name as Algorithm)) {
      throw fail(`Unknown algorithm ${show(rawAlgorithm)} (must be SHA1, SHA256 or SHA512).`);
    }
    algorithm = name as Algorithm;
  }
  if (type === 'steam' && algorithm !== 'SHA1') {
    throw fail(`Steam Guard codes always use SHA1, but the link asks for ${algorithm}.`);
  }

  // Digits (Steam codes are always 5 characters, whatever the link says)
  let digits = type === 'steam' ? STEAM_DIGITS : 6;
  if (type !== 'steam') {
    const rawDigits = param('digits');
    if (rawDigits !== undefined) {
      const value = /^\s*\d{1,3}\s*$/.test(rawDigits) ? Number(rawDigits) : NaN;
      if (!(value >= MIN_DIGITS && value <= MAX_DIGITS)) {
        throw fail(`The number of digits must be a whole number from ${MIN_DIGITS} to ${MAX_DIGITS} (the link says ${show(rawDigits)}).`);
      }
      digits = value;
    }
  }

  // Period (totp, steam) or counter (hotp)
  let period = DEFAULT_PERIOD;
  let counter = 0;
  if (type === 'hotp') {
    const rawCounter = param('counter');
    if (rawCounter !== undefined) {
      const value = /^\s*\d{1,16}\s*$/.test(rawCounter) ? Number(rawCounter) : NaN;
      if (!Number.isSafeInteger(value)) {
        throw fail(`The counter must be a whole number >= 0 and at most ${Number.MAX_SAFE_INTEGER} (the link says ${show(rawCounter)}).`);
      }
      counter = value;
    }
  } else {
    const rawPeriod = param('period');
    if (rawPeriod !== undefined) {
      const value = /^\s*\d{1,6}\s*$/.test(rawPeriod) ? Number(rawPeriod) : NaN;
      if (!(value >= 1 && value <= MAX_PERIOD)) {
        throw fail(`The period must be a whole number of seconds from 1 to ${MAX_PERIOD} (the link says ${show(rawPeriod)}).`);
      }
      period = value;
    }
  }

  // Label: "Issuer:Account". A literal ':' separates; failing that, an encoded one (%3A) does.
  const decodeLabel = (part: string): string => {
    try {
      return decodeURIComponent(part);
    } catch (error) {
      throw fail('The label (the part after otpauth://type/) has bad percent-encoding.', error);
    }
  };
  let prefix: string | undefined;
  let account: string;
  const colon = rawLabel.indexOf(':');
  if (colon >= 0) {
    prefix = decodeLabel(rawLabel.slice(0, colon));
    account = decodeLabel(rawLabel.slice(colon + 1));
  } else {
    const decoded = decodeLabel(rawLabel);
    const encodedColon = decoded.indexOf(':');
    if (encodedColon >= 0) {
      prefix = decoded.slice(0, encodedColon);
      account = decoded.slice(encodedColon + 1);
    } else {
      account = decoded;
    }
  }
  const issuerParam = param('issuer')?.trim();
  const issuer = issuerParam ? issuerParam : (prefix ?? '').trim();
  const label = account.trim();
  if (issuer.length > MAX_TEXT) throw fail(`The issuer is ${issuer.length} characters long; at most ${MAX_TEXT} are allowed.`);
  if (label.length > MAX_TEXT) throw fail(`The account name is ${label.length} characters long; at most ${MAX_TEXT} are allowed.`);

  return { type, secret, issuer, label, algorithm, digits, period, counter };
}

/**
 * The canonical link for an account; parseOtpauthUri(formatOtpauthUri(p)) gives p back (issuer and
 * label trimmed). Parameter order: secret, issuer, algorithm, digits, then period or counter.
 *
 * Steam accounts are written as otpauth://steam/...?...&digits=5, as Aegis and Ente Auth export them.
 * The alternative, otpauth://totp/...&encoder=steam (KeePassXC), is also read by parseOtpauthUri,
 * but an app that does not know the encoder would silently show wrong 6-digit codes; an unknown
 * otpauth://steam/ type is rejected instead, which is the safer failure.
 *
 * An empty issuer with a ':' in the account name is written as ":account" so the colon is not
 * read back as an issuer separator.
 */
export function formatOtpauthUri(p: ParsedOtpauth): string {
  if (!TYPES.includes(p.type)) throw new LatchkeyError('INVALID_ACCOUNT', 'Unknown OTP type.');
  if (!ALGORITHMS.includes(p.algorithm)) throw new LatchkeyError('INVALID_ACCOUNT', 'Unknown algorithm.');
  const steam = p.type === 'steam';
  if (!steam && !(Number.isInteger(p.digits) && p.digits >= MIN_DIGITS && p.digits <= MAX_DIGITS)) {
    throw new LatchkeyError('INVALID_ACCOUNT', `The number of digits must be a whole number from ${MIN_DIGITS} to ${MAX_DIGITS}.`);
  }
  if (p.type !== 'hotp' && !(Number.isInteger(p.period) && p.period >= 1 && p.period <= MAX_PERIOD)) {
    throw new LatchkeyError('INVALID_ACCOUNT', `The period must be a whole number of seconds from 1 to ${MAX_PERIOD}.`);
  }
  if (p.type === 'hotp' && !(Number.isSafeInteger(p.counter) && p.counter >= 0)) {
    throw new LatchkeyError('INVALID_ACCOUNT', 'The counter must be a whole number >= 0.');
  }
  const secret = normalizeBase32(p.secret);

  const issuer = p.issuer.trim();
  const label = p.label.trim();
  let path: string;
  if (issuer !== '') path = `${encodeURIComponent(issuer)}:${encodeURIComponent(label)}`;
  else path = label.includes(':') ? `:${encodeURIComponent(label)}` : encodeURIComponent(label);

  const query = [`secret=${secret}`];
  if (issuer !== '') query.push(`issuer=${encodeURIComponent(issuer)}`);
  query.push(`algorithm=${steam ? 'SHA1' : p.algorithm}`, `digits=${steam ? STEAM_DIGITS : p.digits}`);
  query.push(p.type === 'hotp' ? `counter=${p.counter}` : `period=${p.period}`);
  return `${PREFIX}${p.type}/${path}?${query.join('&')}`;
}
