import { createHmac } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import { LatchkeyError } from '../../../shared/errors';
import type { Algorithm, OtpType } from '../../../shared/domain';
import { MAX_DIGITS, MIN_DIGITS, STEAM_DIGITS } from '../../../shared/domain';
import { hotpSha1Truncated, prepareSha1HmacKey, type Sha1HmacKey } from './sha1-hotp';

export type OtpGeneratorInput = {
  type: OtpType;
  /** Ignored for steam: Steam Guard is always HMAC-SHA1. */
  algorithm: Algorithm;
  /** 6 to 10 for totp/hotp; ignored for steam (always 5 characters). */
  digits: number;
  /** Seconds per code for totp/steam. */
  period: number;
  /** The HOTP counter; ignored for totp/steam. */
  counter: number;
  secret: Uint8Array;
};

export type CodeGenerator = {
  /** The code valid at unix time `atMs` (HOTP: the code for the stored counter, whatever the time). */
  codeAt(atMs: number): string;
};

/** Steam Guard's 26-character alphabet (no vowels, no look-alikes). */
export const STEAM_ALPHABET = '23456789BCDFGHJKMNPQRTVWXY';

const MAX_PERIOD = 86_400;
const HMAC_NAMES: Record<Algorithm, string> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10];

function invalidAccount(detail: string): LatchkeyError {
  return new LatchkeyError('INVALID_ACCOUNT', detail);
}

/** Checks the generator parameters once, so the hot path does not have to. */
function validateInput(input: OtpGeneratorInput): void {
  if (input.type !== 'totp' && input.type !== 'hotp' && input.type !== 'steam') {
    throw invalidAccount(`Unknown OTP type '${String(input.type).slice(0, 20)}'.`);
  }
  if (!Object.hasOwn(HMAC_NAMES, input.algorithm)) {
    throw invalidAccount(`Unknown algorithm '${String(input.algorithm).slice(0, 20)}' (must be SHA1, SHA256 or SHA512).`);
  }
  if (input.type !== 'steam' && !(Number.isInteger(input.digits) && input.digits >= MIN_DIGITS && input.digits <= MAX_DIGITS)) {
    throw invalidAccount(`The number of digits must be a whole number from ${MIN_DIGITS} to ${MAX_DIGITS}.`);
  }
  if (input.type !== 'hotp' && !(Number.isInteger(input.period) && input.period >= 1 && input.period <= MAX_PERIOD)) {
    throw invalidAccount(`The period must be a whole number of seconds from 1 to ${MAX_PERIOD}.`);
  }
  if (input.type === 'hotp' && !(Number.isSafeInteger(input.counter) && input.counter >= 0)) {
    throw invalidAccount('The counter must be a whole number >= 0.');
  }
  if (!(input.secret instanceof Uint8Array) || input.secret.length === 0) {
    throw invalidAccount('The secret is empty.');
  }
}

function checkTime(atMs: number): void {
  if (!(Number.isFinite(atMs) && atMs >= 0)) {
    throw new LatchkeyError('INVALID_INPUT', 'The time must be a finite number of milliseconds >= 0.');
  }
}

/** The TOTP time step at `atMs`; the same formula as otpauth (floor(atMs / 1000 / period)). */
export function totpCounter(period: number, atMs: number): number {
  return Math.floor(atMs / 1000 / period);
}

/** Unix ms at which the code shown at `atMs` stops being valid (the end of the current period). */
export function codeExpiresAt(period: number, atMs: number): number {
  return (totpCounter(period, atMs) + 1) * period * 1000;
}

/** Steam Guard: the 31-bit HOTP truncation written as 5 characters, least significant first. */
function steamCode(truncated: number): string {
  let value = truncated;
  let code = '';
  for (let i = 0; i < STEAM_DIGITS; i++) {
    code += STEAM_ALPHABET[value % STEAM_ALPHABET.length];
    value = Math.floor(value / STEAM_ALPHABET.length);
  }
  return code;
}

/**
 * Reference implementation through the `otpauth` library. Fine for one code at a time;
 * use createCodeGenerator for anything repeated (it is several times faster and cacheable).
 */
export function generateCode(input: OtpGeneratorInput, atMs: number): string {
  validateInput(input);
  checkTime(atMs);
  const secret = new Secret({ buffer: input.secret.slice().buffer });
  switch (input.type) {
    case 'totp':
      return TOTP.generate({ secret, algorithm: input.algorithm, digits: input.digits, period: input.period, timestamp: atMs });
    case 'hotp':
      return HOTP.generate({ secret, algorithm: input.algorithm, digits: input.digits, counter: input.counter });
    case 'steam': {
      // With 10 digits the RFC 4226 truncation (< 2^31 < 10^10) comes back unreduced.
      const truncated = HOTP.generate({ secret, algorithm: 'SHA1', digits: 10, counter: totpCounter(input.period, atMs) });
      return steamCode(Number(truncated));
    }
  }
}

/** Reused for every HMAC message; generation is synchronous, so sharing it is safe. */
const message = Buffer.alloc(8);

/** RFC 4226 dynamic truncation of HMAC(key, counter as 8 bytes big-endian), 31 bits. */
function truncatedHmac(hmacName: string, key: Buffer, counter: number): number {
  message.writeUInt32BE(Math.floor(counter / 0x1_0000_0000), 0);
  message.writeUInt32BE(counter >>> 0, 4);
  const digest = createHmac(hmacName, key).update(message).digest();
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  return (
    (((digest[offset] as number) & 0x7f) << 24) |
    ((digest[offset + 1] as number) << 16) |
    ((digest[offset + 2] as number) << 8) |
    (digest[offset + 3] as number)
  );
}

/** Computes the 31-bit RFC 4226 truncation for a counter, with the key pre-built. */
type Truncator = { truncated(counter: number): number };

class Sha1Truncator implements Truncator {
  private readonly key: Sha1HmacKey;
  constructor(secret: Uint8Array) {
    this.key = prepareSha1HmacKey(secret);
  }
  truncated(counter: number): number {
    return hotpSha1Truncated(this.key, counter);
  }
}

class NodeHmacTruncator implements Truncator {
  private readonly key: Buffer;
  constructor(
    private readonly hmacName: string,
    secret: Uint8Array,
  ) {
    this.key = Buffer.from(secret); // a private copy
  }
  truncated(counter: number): number {
    return truncatedHmac(this.hmacName, this.key, counter);
  }
}

class TimeCodeGenerator implements CodeGenerator {
  private lastCounter = -1;
  private lastCode = '';
  constructor(
    private readonly truncator: Truncator,
    private readonly steam: boolean,
    private readonly digits: number,
    private readonly period: number,
  ) {}

  codeAt(atMs: number): string {
    checkTime(atMs);
    const counter = Math.floor(atMs / 1000 / this.period);
    if (counter !== this.lastCounter) {
      this.lastCode = renderCode(this.truncator.truncated(counter), this.steam, this.digits);
      this.lastCounter = counter;
    }
    return this.lastCode;
  }
}

class CounterCodeGenerator implements CodeGenerator {
  constructor(private readonly code: string) {}
  codeAt(atMs: number): string {
    checkTime(atMs);
    return this.code;
  }
}

function renderCode(truncated: number, steam: boolean, digits: number): string {
  return steam ? steamCode(truncated) : String(truncated % (POW10[digits] as number)).padStart(digits, '0');
}

/**
 * A generator for one account, meant to be cached per account. It validates once and pre-builds
 * the key: for SHA1 (and Steam) the HMAC inner/outer SHA-1 midstates (see sha1-hotp.ts), for
 * SHA256/SHA512 a private copy of the key for node:crypto's createHmac. Either way later changes to
 * the caller's secret array do not matter. It also remembers the last counter's code, so asking
 * again within the same period costs nothing. Produces exactly the codes of generateCode (tested).
 */
export function createCodeGenerator(input: OtpGeneratorInput): CodeGenerator {
  validateInput(input);
  const steam = input.type === 'steam';
  const hmacName = steam ? 'sha1' : HMAC_NAMES[input.algorithm];
  const truncator: Truncator = hmacName === 'sha1' ? new Sha1Truncator(input.secret) : new NodeHmacTruncator(hmacName, input.secret);
  if (input.type === 'hotp') return new CounterCodeGenerator(renderCode(truncator.truncated(input.counter), false, input.digits));
  return new TimeCodeGenerator(truncator, steam, input.digits, input.period);
}
