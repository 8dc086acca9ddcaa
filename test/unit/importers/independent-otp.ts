import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';

/**
 * Codes from implementations that share nothing with Latchkey's: oathtool (OATH Toolkit, Debian
 * package `oathtool`, see scripts/ensure-system-packages.sh) for TOTP and HOTP, and for Steam a
 * few lines written here from test/fixtures/aegis/expected.json's code_note (HOTP SHA1, then 5
 * characters from 23456789BCDFGHJKMNPQRTVWXY). The secret goes to oathtool as the base32 text the
 * importer produced, so oathtool's base32 decoder is checked too.
 */
export interface CodeParameters {
  type: 'totp' | 'hotp' | 'steam';
  secret: string;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  digits: number;
  period: number;
}

/** The times every TOTP and Steam entry is checked at (those of expected.json, and one past 2^32). */
export const CHECK_TIMES = [59, 1_111_111_109, 1_234_567_890, 1_700_000_000, 2_000_000_000, 20_000_000_000];

const cache = new Map<string, string>();

function oathtool(args: string[]): string {
  const key = args.join(' ');
  const known = cache.get(key);
  if (known !== undefined) return known;
  let output: string;
  try {
    output = execFileSync('oathtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error('oathtool is not installed: run scripts/ensure-system-packages.sh (Debian package oathtool).');
    throw error;
  }
  if (!/^\d{6,8}$/.test(output)) throw new Error(`oathtool ${key} printed ${JSON.stringify(output)}`);
  cache.set(key, output);
  return output;
}

/** A TOTP code at a unix time, from oathtool. */
export function oathtoolTotp(entry: CodeParameters, atSeconds: number): string {
  return oathtool([`--totp=${entry.algorithm}`, '--digits', String(entry.digits), '--time-step-size', `${entry.period}s`, '--now', `@${atSeconds}`, '--base32', entry.secret]);
}

/**
 * An HOTP code at a counter, from oathtool. oathtool's --hotp is HMAC-SHA1 only; for SHA256 and
 * SHA512 its TOTP mode with a 1 s step at time C is exactly HOTP at counter C (RFC 6238: T = C).
 */
export function oathtoolHotp(entry: CodeParameters, counter: number): string {
  if (entry.algorithm === 'SHA1') return oathtool(['--hotp', '--counter', String(counter), '--digits', String(entry.digits), '--base32', entry.secret]);
  return oathtool([`--totp=${entry.algorithm}`, '--digits', String(entry.digits), '--time-step-size', '1s', '--now', `@${counter}`, '--base32', entry.secret]);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 as written by hand here (not Latchkey's decoder): case, padding and spaces ignored. */
export function base32Bytes(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

/** A Steam Guard code: HOTP-SHA1 of the 30 s time step, the 31-bit value spelled in 5 characters. */
export function steamCode(secret: string, atSeconds: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(atSeconds / 30)));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = (mac[19] as number) & 0x0f;
  let value = mac.readUInt32BE(offset) & 0x7fffffff;
  let code = '';
  for (let i = 0; i < 5; i++) {
    code += STEAM_ALPHABET[value % STEAM_ALPHABET.length];
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}

/** The independent code of an entry at a time (TOTP, Steam) or a counter (HOTP). */
export function independentCode(entry: CodeParameters, at: { time: number } | { counter: number }): string {
  if ('counter' in at) return oathtoolHotp(entry, at.counter);
  return entry.type === 'steam' ? steamCode(entry.secret, at.time) : oathtoolTotp(entry, at.time);
}
