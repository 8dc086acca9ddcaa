import { LatchkeyError } from '../../../shared/errors';

/** RFC 4648 base32 alphabet. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The largest secret Latchkey accepts, in bytes (real secrets are 10 to 64 bytes). */
export const MAX_SECRET_BYTES = 1024;

/** Character code -> 5-bit value, or -1. Lowercase letters map like uppercase ones. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i;
  VALUES[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}

/** Spaces and hyphens people (and some issuers) put into secrets for readability. */
function isSeparator(ch: string): boolean {
  return ch === '-' || /^\s$/u.test(ch);
}

/** A character shown in an error: printable ones quoted, others as U+XXXX. */
function describeChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || !/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) {
    return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return `'${ch}'`;
}

function invalid(detail: string): LatchkeyError {
  return new LatchkeyError('INVALID_SECRET', detail);
}

/**
 * Decodes base32 as people type it: spaces/hyphens are skipped, lowercase is accepted and '='
 * padding may be present or missing. Throws INVALID_SECRET saying exactly what is wrong.
 * Positions in error details count characters of the original input from 1.
 *
 * Leftover bits after the last whole byte are ignored even when they are not zero, as Google
 * Authenticator and the otpauth library do: services that generate secrets as random base32
 * characters (e.g. 26 of them) produce such strings. Lengths that cannot encode whole bytes
 * (1, 3 or 6 characters past a multiple of 8) are rejected.
 *
 * Error details never repeat the input; at most one offending non-base32 character is quoted.
 */
export function decodeBase32(input: string): Uint8Array {
  if (typeof input !== 'string') throw invalid('The secret must be text.');
  // Stored secrets are canonical: skip the per-character cleaning (it dominates opening 10,000 accounts).
  if (CANONICAL.test(input) && !BAD_LENGTH_REMAINDERS.has(input.length % 8) && Math.floor((input.length * 5) / 8) <= MAX_SECRET_BYTES) {
    return decodeClean(input);
  }

  let cleaned = '';
  let paddingAt = 0; // 1-based position of the first '=' seen, 0 if none
  let position = 0;
  for (const ch of input) {
    position++;
    const code = ch.charCodeAt(0);
    // The alphabet is checked first: it is nearly every character, and isSeparator's regex is slow.
    const isAlphabet = ch.length === 1 && code < 128 && VALUES[code] !== -1;
    if (!isAlphabet && isSeparator(ch)) continue;
    if (ch === '=') {
      if (paddingAt === 0) paddingAt = position;
      continue;
    }
    if (!isAlphabet) {
      const hint = ch === '0' || ch === '1' || ch === '8' || ch === '9' ? ' (base32 uses only the digits 2 to 7)' : '';
      throw invalid(`It has an invalid character ${describeChar(ch)} at position ${position}${hint}.`);
    }
    if (paddingAt !== 0) {
      throw invalid(`The '=' padding at position ${paddingAt} is followed by more characters; '=' may only appear at the end.`);
    }
    cleaned += ch;
  }

  if (cleaned.length === 0) {
    throw invalid(input.length === 0 ? 'The secret is empty.' : 'The secret has no base32 characters.');
  }
  const remainder = cleaned.length % 8;
  if (BAD_LENGTH_REMAINDERS.has(remainder)) {
    throw invalid(
      `It has ${cleaned.length} base32 characters, a length that cannot encode whole bytes (${remainder} character${remainder === 1 ? '' : 's'} past a multiple of 8); a character is probably missing or extra.`,
    );
  }
  const byteLength = Math.floor((cleaned.length * 5) / 8);
  if (byteLength > MAX_SECRET_BYTES) {
    throw invalid(`It decodes to ${byteLength} bytes; the most Latchkey accepts is ${MAX_SECRET_BYTES} bytes.`);
  }

  return decodeClean(cleaned);
}

const CANONICAL = /^[A-Z2-7]+$/;
/** Lengths (mod 8) that cannot encode whole bytes. */
const BAD_LENGTH_REMAINDERS = new Set([1, 3, 6]);

/** Decodes base32 already known to hold only alphabet characters, of a valid length. */
function decodeClean(cleaned: string): Uint8Array {
  const out = new Uint8Array(Math.floor((cleaned.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < cleaned.length; i++) {
    buffer = ((buffer << 5) | (VALUES[cleaned.charCodeAt(i)] as number)) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}

/** RFC 4648 base32, uppercase, without '=' padding. */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < bytes.length; i++) {
    buffer = ((buffer << 8) | (bytes[i] as number)) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** The canonical form of a typed secret: uppercase, no separators, no padding. Throws like decodeBase32. */
export function normalizeBase32(input: string): string {
  return encodeBase32(decodeBase32(input));
}
