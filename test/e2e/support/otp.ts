import { createHmac } from 'node:crypto';
import { seededRandom } from '../../support/seeded-random';

const secrets = seededRandom('e2e-secrets');

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, written here on purpose: the test must not share code with what it checks. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function randomSecret(bytes = 20): string {
  return base32Encode(secrets.bytes(bytes));
}

/** RFC 4226 HOTP with dynamic truncation. */
export function hotp(secret: string, counter: number, digits = 6, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 TOTP at `timeMs`. */
export function totp(secret: string, timeMs: number, { period = 30, digits = 6, algorithm = 'sha1' as 'sha1' | 'sha256' | 'sha512' } = {}): string {
  return hotp(secret, Math.floor(timeMs / 1000 / period), digits, algorithm);
}

/** The codes of the previous, current and next period: a code read from the screen must be one of them. */
export function totpWindow(secret: string, timeMs: number, options: { period?: number; digits?: number; algorithm?: 'sha1' | 'sha256' | 'sha512' } = {}): string[] {
  const period = options.period ?? 30;
  return [-1, 0, 1].map((step) => totp(secret, timeMs + step * period * 1000, options));
}
