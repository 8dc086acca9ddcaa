import type { IncomingMessage } from 'node:http';
import type { JsonSchema } from './json-schema';

/** A float in [0, 1): tests pass a seeded one, the start script a crypto one. */
export type Random = () => number;

const CODE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Recovery codes in groups, like the seeds' examples (`xwbwb-07bjt`, `ckss-2skx-ebow`). */
export function makeCodes(random: Random, count: number, groups: number[]): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    codes.add(groups.map((length) => Array.from({ length }, () => CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)]).join('')).join('-'));
  }
  return [...codes];
}

export function makeUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export function makeToken(random: Random, prefix: string, length = 32): string {
  return prefix + Array.from({ length }, () => CODE_ALPHABET[Math.floor(random() * CODE_ALPHABET.length)]).join('');
}

/**
 * Checks a request against an OpenAPI security scheme from a seed: http bearer, http basic, or an
 * apiKey header. `credential` is the token, the key, or `user:password` for basic.
 */
export function satisfiesSecurityScheme(scheme: JsonSchema, headers: IncomingMessage['headers'], credential: string): boolean {
  if (scheme.type === 'http' && typeof scheme.scheme === 'string') {
    const [kind, value] = (headers.authorization ?? '').split(' ', 2);
    if (kind?.toLowerCase() !== scheme.scheme.toLowerCase() || value === undefined) return false;
    if (scheme.scheme.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8') === credential;
    return value === credential;
  }
  if (scheme.type === 'apiKey' && scheme.in === 'header' && typeof scheme.name === 'string') {
    return headers[scheme.name.toLowerCase()] === credential;
  }
  throw new Error(`security scheme ${JSON.stringify(scheme)} is not supported`);
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) cookies.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
  }
  return cookies;
}
