import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Algorithm, OtpType } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import {
  codeExpiresAt,
  createCodeGenerator,
  decodeBase32,
  generateCode,
  STEAM_ALPHABET,
  totpCounter,
  type OtpGeneratorInput,
} from '../../../electron/main/otp';
import { hmacSha1Counter, hotpSha1Truncated, prepareSha1HmacKey } from '../../../electron/main/otp/sha1-hotp';
import { canonicalEntries, rfcVectors } from './fixtures';

const base = { counter: 0, period: 30 };

/** Both implementations must give the expected code: otpauth (reference) and node:crypto (hot path). */
function expectCode(input: OtpGeneratorInput, atMs: number, expected: string): void {
  expect(generateCode(input, atMs)).toBe(expected);
  expect(createCodeGenerator(input).codeAt(atMs)).toBe(expected);
}

function thrown(fn: () => unknown): LatchkeyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('RFC 6238 TOTP vectors (8 digits, each algorithm with its own seed)', () => {
  it.each(rfcVectors.totp.vectors)('$algorithm at $unix_time = $code', ({ algorithm, unix_time, code }) => {
    const secret = decodeBase32(rfcVectors.totp.seeds[algorithm].base32);
    expect(Buffer.from(secret).toString('ascii')).toBe(rfcVectors.totp.seeds[algorithm].ascii);
    expectCode({ ...base, type: 'totp', algorithm, digits: 8, secret }, unix_time * 1000, code);
  });

  it('covers all 18 published vectors, including a time beyond 2^32 seconds', () => {
    expect(rfcVectors.totp.vectors).toHaveLength(18);
    expect(rfcVectors.totp.vectors.some((v) => v.unix_time > 2 ** 32)).toBe(true);
  });
});

describe('RFC 4226 HOTP vectors (SHA1, counters 0..9)', () => {
  const secret = decodeBase32(rfcVectors.hotp.secret.base32);
  it.each(rfcVectors.hotp.vectors)('counter $counter = $code', ({ counter, code, truncated_decimal }) => {
    expectCode({ ...base, type: 'hotp', algorithm: 'SHA1', digits: 6, counter, secret }, 0, code);
    // 10 digits: the 31-bit truncation itself, zero-padded.
    expectCode({ ...base, type: 'hotp', algorithm: 'SHA1', digits: 10, counter, secret }, 0, String(truncated_decimal).padStart(10, '0'));
    expectCode({ ...base, type: 'hotp', algorithm: 'SHA1', digits: 7, counter, secret }, 0, String(truncated_decimal % 1e7).padStart(7, '0'));
  });
});

describe('aegis/expected.json canonical entries', () => {
  for (const entry of canonicalEntries) {
    const secret = decodeBase32(entry.secret);
    if (entry.type === 'hotp') {
      it.each(Object.entries(entry.codes_at_counter))(`${entry.issuer} (hotp ${entry.algorithm}/${entry.digits}) at counter %s = %s`, (counter, code) => {
        expectCode({ type: 'hotp', algorithm: entry.algorithm, digits: entry.digits, period: 30, counter: Number(counter), secret }, 1_700_000_000_000, code);
      });
    } else {
      it.each(Object.entries(entry.codes_at_unix_time))(`${entry.issuer} (${entry.type} ${entry.algorithm}/${entry.digits}/${entry.period}s) at %s = %s`, (time, code) => {
        const input: OtpGeneratorInput = { type: entry.type, algorithm: entry.algorithm, digits: entry.digits, period: entry.period, counter: 0, secret };
        expectCode(input, Number(time) * 1000, code);
        // Any moment inside the same period gives the same code.
        const start = totpCounter(entry.period, Number(time) * 1000) * entry.period * 1000;
        expectCode(input, start + entry.period * 1000 - 1, code);
      });
    }
  }

  it('includes every type, and the documented spot checks hold', () => {
    expect(new Set(canonicalEntries.map((e) => e.type))).toEqual(new Set(['totp', 'hotp', 'steam']));
    const byIssuer = new Map(canonicalEntries.map((e) => [e.issuer, e]));
    const at = (issuer: string, time: number) => {
      const e = byIssuer.get(issuer);
      if (!e || e.type === 'hotp') throw new Error(issuer);
      return generateCode({ ...e, counter: 0, secret: decodeBase32(e.secret) }, time * 1000);
    };
    expect(at('Deno', 1_700_000_000)).toBe('790195');
    expect(at('SPDX', 1_700_000_000)).toBe('9993814');
    expect(at('Airbnb', 1_700_000_000)).toBe('65516786');
    expect(at('Boeing', 1_700_000_000)).toMatch(new RegExp(`^[${STEAM_ALPHABET}]{5}$`));
  });
});

describe('Steam Guard', () => {
  const steam = canonicalEntries.find((e) => e.type === 'steam');
  if (!steam || steam.type !== 'steam') throw new Error('fixture has no steam entry');
  const secret = decodeBase32(steam.secret);
  const input: OtpGeneratorInput = { type: 'steam', algorithm: 'SHA1', digits: 5, period: 30, counter: 0, secret };

  it('always gives 5 characters and ignores digits and algorithm (Steam is HMAC-SHA1)', () => {
    const code = steam.codes_at_unix_time['1700000000'];
    expect(code).toBe('747JR');
    expectCode({ ...input, digits: 8, algorithm: 'SHA512' }, 1_700_000_000_000, '747JR');
  });

  it('honours a non-standard period', () => {
    // With a 60 s period, time t uses step floor(t/60); with 30 s that step is reached at t/2.
    const t = 1_700_000_000_000;
    const doubled = createCodeGenerator({ ...input, period: 60 }).codeAt(t);
    const sameStep = totpCounter(60, t) * 30_000;
    expect(doubled).toBe(generateCode(input, sameStep));
    expect(doubled).not.toBe(generateCode(input, t));
  });
});

describe('codeExpiresAt and totpCounter', () => {
  it.each([
    [30, 0, 30_000],
    [30, 59_000, 60_000],
    [30, 59_999, 60_000],
    [30, 60_000, 90_000],
    [20, 1_700_000_000_000, 1_700_000_020_000],
    [50, 1_700_000_000_000, 1_700_000_000_000 + 50_000],
    [1, 1_234, 2_000],
  ])('period %i at %i expires at %i', (period, atMs, expected) => {
    expect(codeExpiresAt(period, atMs)).toBe(expected);
    expect(codeExpiresAt(period, atMs)).toBeGreaterThan(atMs);
    expect(codeExpiresAt(period, atMs) - atMs).toBeLessThanOrEqual(period * 1000);
  });

  it('matches the RFC T values', () => {
    expect(totpCounter(30, 59_000)).toBe(1);
    expect(totpCounter(30, 1_111_111_109_000)).toBe(0x23523ec);
    expect(totpCounter(30, 20_000_000_000_000)).toBe(666_666_666);
  });
});

/** Deterministic PRNG (mulberry32) so a failure can be reproduced. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the node:crypto hot path agrees with otpauth', () => {
  it('on 3,000 random inputs (all types, algorithms, 6..10 digits, long keys, large counters and times)', () => {
    const random = prng(0x1a7c4);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const types: OtpType[] = ['totp', 'hotp', 'steam'];
    const algorithms: Algorithm[] = ['SHA1', 'SHA256', 'SHA512'];
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const secret = new Uint8Array(1 + Math.floor(random() * 200)).map(() => Math.floor(random() * 256));
      const counter = random() < 0.2 ? Number.MAX_SAFE_INTEGER - Math.floor(random() * 1000) : Math.floor(random() * 2 ** (random() * 45));
      const input: OtpGeneratorInput = {
        type: pick(types),
        algorithm: pick(algorithms),
        digits: 6 + Math.floor(random() * 5),
        period: pick([1, 15, 20, 30, 30, 60, 86_400, 1 + Math.floor(random() * 600)]),
        counter,
        secret,
      };
      const atMs = Math.floor(random() * 2 ** (random() < 0.1 ? 50 : 41));
      const reference = generateCode(input, atMs);
      expect(createCodeGenerator(input).codeAt(atMs), JSON.stringify({ ...input, secret: Buffer.from(secret).toString('hex'), atMs })).toBe(reference);
      seen.add(`${input.type}/${input.algorithm}`);
    }
    expect(seen.size).toBe(9);
  });
});

describe('the JS HMAC-SHA1 midstate path (sha1-hotp.ts)', () => {
  const toHex = (words: readonly number[]) => words.map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
  const counterBytes = (counter: number) => {
    const message = Buffer.alloc(8);
    message.writeUInt32BE(Math.floor(counter / 2 ** 32), 0);
    message.writeUInt32BE(counter >>> 0, 4);
    return message;
  };

  it.each(rfcVectors.hotp.vectors)('gives the RFC 4226 HMAC and truncation for counter $counter', ({ counter, hmac_sha1_hex, truncated_decimal }) => {
    const key = prepareSha1HmacKey(decodeBase32(rfcVectors.hotp.secret.base32));
    expect(toHex(hmacSha1Counter(key, counter))).toBe(hmac_sha1_hex);
    expect(hotpSha1Truncated(key, counter)).toBe(truncated_decimal);
  });

  it('matches node:crypto createHmac for keys of 1..200 bytes (incl. 64 and 65) and counters up to 2^53-1', () => {
    const random = prng(0x5a1);
    const lengths = [1, 10, 20, 32, 55, 56, 63, 64, 65, 100, 128, 129, 200, ...Array.from({ length: 300 }, () => 1 + Math.floor(random() * 200))];
    const counters = [0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    for (const length of lengths) {
      const secret = new Uint8Array(length).map(() => Math.floor(random() * 256));
      const key = prepareSha1HmacKey(secret);
      for (const counter of [...counters, Math.floor(random() * 2 ** 53)]) {
        const expectedHex = createHmac('sha1', secret).update(counterBytes(counter)).digest('hex');
        expect(toHex(hmacSha1Counter(key, counter)), `length ${length}, counter ${counter}`).toBe(expectedHex);
      }
    }
  });

  it('does not keep a reference to the key bytes', () => {
    const secret = decodeBase32(rfcVectors.hotp.secret.base32);
    const key = prepareSha1HmacKey(secret);
    secret.fill(0);
    expect(hotpSha1Truncated(key, 0)).toBe(rfcVectors.hotp.vectors[0]?.truncated_decimal);
  });
});

describe('createCodeGenerator', () => {
  const secret = decodeBase32(rfcVectors.totp.seeds.SHA1.base32);
  const totp: OtpGeneratorInput = { type: 'totp', algorithm: 'SHA1', digits: 8, period: 30, counter: 0, secret };

  it('moves to the next code at the period boundary and back for an earlier time', () => {
    const generator = createCodeGenerator(totp);
    expect(generator.codeAt(1_111_111_109_000)).toBe('07081804');
    expect(generator.codeAt(1_111_111_109_500)).toBe('07081804');
    expect(generator.codeAt(1_111_111_111_000)).toBe('14050471');
    expect(generator.codeAt(59_000)).toBe('94287082');
  });

  it('keeps its own copy of the secret', () => {
    const copy = secret.slice();
    const generator = createCodeGenerator({ ...totp, secret: copy });
    copy.fill(0);
    expect(generator.codeAt(59_000)).toBe('94287082');
  });

  it('gives HOTP codes for the stored counter whatever the time', () => {
    const hotpSecret = decodeBase32(rfcVectors.hotp.secret.base32);
    const generator = createCodeGenerator({ type: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter: 9, secret: hotpSecret });
    expect(generator.codeAt(0)).toBe('520489');
    expect(generator.codeAt(2_000_000_000_000)).toBe('520489');
  });

  it('computes 10,000 codes well within budget (guards against order-of-magnitude regressions)', () => {
    const generators = Array.from({ length: 10_000 }, (_, i) =>
      createCodeGenerator({ ...totp, digits: 6, secret: new Uint8Array(Buffer.from(`account-${i}-secret-key`)) }),
    );
    const start = performance.now();
    const codes = generators.map((g) => g.codeAt(1_700_000_000_000));
    const elapsed = performance.now() - start;
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(9_000);
    expect(elapsed).toBeLessThan(150);
  });
});

describe('generator input validation', () => {
  const secret = new Uint8Array([1, 2, 3]);
  const good: OtpGeneratorInput = { type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret };
  it.each<[string, OtpGeneratorInput, RegExp]>([
    ['5 digits on totp', { ...good, digits: 5 }, /digits must be a whole number from 6 to 10/],
    ['11 digits on hotp', { ...good, type: 'hotp', digits: 11 }, /digits must be a whole number from 6 to 10/],
    ['fractional digits', { ...good, digits: 6.5 }, /digits must be a whole number from 6 to 10/],
    ['period 0', { ...good, period: 0 }, /period must be a whole number of seconds from 1 to 86400/],
    ['fractional period on steam', { ...good, type: 'steam', period: 29.5 }, /period must be a whole number/],
    ['negative counter', { ...good, type: 'hotp', counter: -1 }, /counter must be a whole number >= 0/],
    ['unsafe counter', { ...good, type: 'hotp', counter: 2 ** 53 }, /counter must be a whole number >= 0/],
    ['empty secret', { ...good, secret: new Uint8Array() }, /secret is empty/],
    ['unknown algorithm', { ...good, algorithm: 'MD5' as Algorithm }, /Unknown algorithm 'MD5'/],
    ['unknown type', { ...good, type: 'motp' as OtpType }, /Unknown OTP type 'motp'/],
  ])('rejects %s with INVALID_ACCOUNT', (_name, input, detail) => {
    for (const fn of [() => generateCode(input, 0), () => createCodeGenerator(input)]) {
      const error = thrown(fn);
      expect(error.code).toBe('INVALID_ACCOUNT');
      expect(error.message).toMatch(detail);
    }
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects the time %s with INVALID_INPUT', (atMs) => {
    expect(thrown(() => generateCode(good, atMs)).code).toBe('INVALID_INPUT');
    expect(thrown(() => createCodeGenerator(good).codeAt(atMs)).message).toMatch(/finite number of milliseconds >= 0/);
  });

  it('ignores period on hotp and counter on totp', () => {
    expect(generateCode({ ...good, type: 'hotp', period: 0 }, 0)).toMatch(/^\d{6}$/);
    expect(generateCode({ ...good, counter: -5 }, 0)).toBe(generateCode(good, 0));
  });
});
