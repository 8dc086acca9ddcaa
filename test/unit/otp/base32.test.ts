import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES, LatchkeyError } from '../../../shared/errors';
import { decodeBase32, encodeBase32, MAX_SECRET_BYTES, normalizeBase32 } from '../../../electron/main/otp';
import { canonicalEntries, rfcVectors } from './fixtures';
import { seededRandom } from '../../support/seeded-random';

function secretError(input: string): LatchkeyError {
  try {
    decodeBase32(input);
  } catch (error) {
    if (error instanceof LatchkeyError) return error;
    throw error;
  }
  throw new Error(`decodeBase32 accepted ${JSON.stringify(input)}`);
}

const ascii = (text: string) => new Uint8Array(Buffer.from(text, 'ascii'));

describe('base32 (RFC 4648 section 10 vectors)', () => {
  const vectors: Array<[string, string, string]> = [
    ['f', 'MY', 'MY======'],
    ['fo', 'MZXQ', 'MZXQ===='],
    ['foo', 'MZXW6', 'MZXW6==='],
    ['foob', 'MZXW6YQ', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI', 'MZXW6YTBOI======'],
  ];
  it.each(vectors)('%s <-> %s', (plain, unpadded, padded) => {
    expect(encodeBase32(ascii(plain))).toBe(unpadded);
    expect(decodeBase32(unpadded)).toEqual(ascii(plain));
    expect(decodeBase32(padded)).toEqual(ascii(plain));
    expect(decodeBase32(padded.toLowerCase())).toEqual(ascii(plain));
  });

  it('encodes an empty array as an empty string', () => {
    expect(encodeBase32(new Uint8Array())).toBe('');
  });

  it('decodes the RFC 6238/4226 seeds to their ASCII text', () => {
    for (const seed of [...Object.values(rfcVectors.totp.seeds), rfcVectors.hotp.secret]) {
      expect(Buffer.from(decodeBase32(seed.base32)).toString('hex')).toBe(seed.hex);
      expect(encodeBase32(ascii(seed.ascii))).toBe(seed.base32);
    }
  });

  it('round-trips random bytes of every length from 1 to 100', () => {
    const random = seededRandom('base32-round-trip');
    for (let length = 1; length <= 100; length++) {
      const bytes = random.bytes(length);
      const encoded = encodeBase32(bytes);
      expect(encoded).toMatch(/^[A-Z2-7]+$/);
      expect(encoded.length).toBe(Math.ceil((length * 8) / 5));
      expect(decodeBase32(encoded)).toEqual(bytes);
    }
  });

  it('leaves the canonical fixture secrets unchanged when normalizing', () => {
    for (const entry of canonicalEntries) expect(normalizeBase32(entry.secret)).toBe(entry.secret);
  });
});

describe('base32 leniency', () => {
  const canonical = 'JBSWY3DPEHPK3PXP';
  it.each([
    ['lowercase', 'jbswy3dpehpk3pxp'],
    ['mixed case', 'JbSwY3dPeHpK3pXp'],
    ['groups of four with spaces', 'JBSW Y3DP EHPK 3PXP'],
    ['groups with hyphens', 'jbsw-y3dp-ehpk-3pxp'],
    ['tabs, newlines and surrounding spaces', '  JBSW\tY3DP\nEHPK 3PXP  '],
    ['a non-breaking space', 'JBSW\u00a0Y3DPEHPK3PXP'],
    ['padding on a length that needs none', 'JBSWY3DPEHPK3PXP='],
  ])('accepts %s', (_name, input) => {
    expect(normalizeBase32(input)).toBe(canonical);
    expect(Buffer.from(decodeBase32(input)).toString('latin1')).toBe('Hello!\u00de\u00ad\u00be\u00ef');
  });

  it('accepts padding present, missing, partial, or spaced out', () => {
    const bytes = ascii('foob');
    for (const input of ['MZXW6YQ', 'MZXW6YQ=', 'mzxw6yq =', 'MZXW-6YQ=']) expect(decodeBase32(input)).toEqual(bytes);
    expect(decodeBase32('MY')).toEqual(ascii('f'));
    expect(decodeBase32('MY===')).toEqual(ascii('f'));
  });

  it('ignores non-zero leftover bits after the last whole byte, like Google Authenticator', () => {
    // 'B' = 00001: the final 2 bits of "AB" are not part of any byte.
    expect(decodeBase32('AB')).toEqual(new Uint8Array([0]));
    expect(normalizeBase32('AB')).toBe('AA');
    // 26 characters (130 bits) = 16 bytes + 2 leftover bits, as random-character secrets have.
    expect(decodeBase32('ABCDEFGHIJKLMNOPQRSTUVWXYZ')).toHaveLength(16);
  });

  it(`accepts up to ${MAX_SECRET_BYTES} bytes`, () => {
    const max = new Uint8Array(MAX_SECRET_BYTES).fill(0xa5);
    expect(decodeBase32(encodeBase32(max))).toEqual(max);
  });
});

describe('base32 rejections', () => {
  it.each([
    ['an empty string', '', /The secret is empty\./],
    ['only spaces and hyphens', '  - -  ', /has no base32 characters/],
    ['only padding', '========', /has no base32 characters/],
    ['the digit 1', 'JBSWY1DP', /invalid character '1' at position 6 \(base32 uses only the digits 2 to 7\)/],
    ['the digit 0', '0BSWY3DP', /invalid character '0' at position 1 \(base32 uses only the digits 2 to 7\)/],
    ['the digit 8 after spaces', 'JBSW Y3D8', /invalid character '8' at position 9 /],
    ['punctuation', 'JBSW!Y3DP', /invalid character '!' at position 5\.$/],
    ['an accented letter', 'JBSWÉY3DP', /invalid character 'É' at position 5\./],
    ['an emoji (one position per character)', '😀JBSWY3DP', /invalid character '😀' at position 1\./],
    ['a control character', 'JBSW\u0000Y3DP', /invalid character U\+0000 at position 5\./],
    ['a zero-width space', 'JBSW\u200bY3DP', /invalid character U\+200B at position 5\./],
    ['padding in the middle', 'MZXW=6YQ', /'=' padding at position 5 is followed by more characters/],
    ['1 character', 'M', /1 base32 characters, a length that cannot encode whole bytes \(1 character past a multiple of 8\)/],
    ['3 characters', 'MZX', /3 base32 characters.*\(3 characters past a multiple of 8\)/],
    ['6 characters', 'MZXW6Y', /6 base32 characters.*\(6 characters past a multiple of 8\)/],
    ['9 characters (with padding)', 'MZXW6YTBO=======', /9 base32 characters/],
  ])('rejects %s', (_name, input, detail) => {
    const error = secretError(input);
    expect(error.code).toBe('INVALID_SECRET');
    expect(error.message.startsWith(ERROR_SENTENCES.INVALID_SECRET)).toBe(true);
    expect(error.message).toMatch(detail);
  });

  it(`rejects more than ${MAX_SECRET_BYTES} bytes`, () => {
    const error = secretError(encodeBase32(new Uint8Array(MAX_SECRET_BYTES + 1)));
    expect(error.code).toBe('INVALID_SECRET');
    expect(error.message).toMatch(`It decodes to ${MAX_SECRET_BYTES + 1} bytes; the most Latchkey accepts is ${MAX_SECRET_BYTES} bytes.`);
  });

  it('never repeats the input in the error', () => {
    const input = 'SECRETSECRETSECRET1';
    const error = secretError(input);
    expect(error.message).not.toContain('SECRETSECRET');
    expect(error.message).toMatch(/'1' at position 19/);
  });

  it('rejects through normalizeBase32 too', () => {
    expect(() => normalizeBase32('abc!')).toThrow(/invalid character '!' at position 4/);
  });
});
