import { createHash } from 'node:crypto';

/**
 * HOTP-SHA1 hot path: HMAC-SHA1 of an 8-byte counter from precomputed key states.
 *
 * HMAC(K, m) = SHA1((K ^ opad) || SHA1((K ^ ipad) || m)). The key blocks K ^ ipad and K ^ opad
 * are 64 bytes, exactly one SHA-1 block, so their compression results ("midstates") can be
 * computed once per account. A code then costs two SHA-1 block compressions in plain JS and no
 * allocation, about 4x less than node:crypto's createHmac (whose per-call object setup and
 * native boundary crossing dominate for 8-byte messages). The output is tested against
 * node:crypto and otpauth on the RFC vectors and thousands of random keys and counters.
 *
 * Only SHA1 gets this treatment (it is what nearly every account and Steam use); SHA256/SHA512
 * accounts go through createHmac.
 */

/** The SHA-1 states after the (key ^ ipad) and (key ^ opad) blocks, as 5 signed 32-bit words each. */
export type Sha1HmacKey = { readonly inner: readonly number[]; readonly outer: readonly number[] };

// States are plain arrays of small integers: cheaper to allocate than typed arrays, and one shape for V8.
const IV: readonly number[] = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];
const W = new Int32Array(80); // message schedule scratch (generation is synchronous)
const BLOCK = new Int32Array(16);
const DIGEST: number[] = [0, 0, 0, 0, 0];

/** One SHA-1 compression of BLOCK starting from `state`, written to `out` (may be the same array). */
function compress(state: readonly number[], out: number[]): void {
  for (let i = 0; i < 16; i++) W[i] = BLOCK[i] as number;
  for (let i = 16; i < 80; i++) {
    const x = (W[i - 3] as number) ^ (W[i - 8] as number) ^ (W[i - 14] as number) ^ (W[i - 16] as number);
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc | 0;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6 | 0;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (W[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  out[0] = ((state[0] as number) + a) | 0;
  out[1] = ((state[1] as number) + b) | 0;
  out[2] = ((state[2] as number) + c) | 0;
  out[3] = ((state[3] as number) + d) | 0;
  out[4] = ((state[4] as number) + e) | 0;
}

/** Loads (key ^ pad), zero-padded to 64 bytes, into BLOCK as big-endian words. */
function loadPaddedKey(key: Uint8Array, pad: number): void {
  for (let i = 0; i < 16; i++) {
    let word = 0;
    for (let j = i * 4; j < i * 4 + 4; j++) word = (word << 8) | ((j < key.length ? (key[j] as number) : 0) ^ pad);
    BLOCK[i] = word;
  }
}

/** The inner and outer midstates for `key` (keys longer than 64 bytes are hashed first, per RFC 2104). */
export function prepareSha1HmacKey(key: Uint8Array): Sha1HmacKey {
  const k = key.length > 64 ? new Uint8Array(createHash('sha1').update(key).digest()) : key;
  const inner = [0, 0, 0, 0, 0];
  const outer = [0, 0, 0, 0, 0];
  loadPaddedKey(k, 0x36);
  compress(IV, inner);
  loadPaddedKey(k, 0x5c);
  compress(IV, outer);
  BLOCK.fill(0);
  if (k !== key) k.fill(0);
  return { inner, outer };
}

/** HMAC-SHA1(key, counter as 8 bytes big-endian) as 5 big-endian words, in a shared array (copy it to keep it). */
export function hmacSha1Counter(key: Sha1HmacKey, counter: number): readonly number[] {
  // Inner: 8-byte counter, then 0x80, zeros, and the bit length of ipad block + message.
  BLOCK.fill(0);
  BLOCK[0] = Math.floor(counter / 0x1_0000_0000) | 0;
  BLOCK[1] = counter | 0;
  BLOCK[2] = 0x80000000 | 0;
  BLOCK[15] = (64 + 8) * 8;
  compress(key.inner, DIGEST);
  // Outer: the 20-byte inner digest, then 0x80, zeros, and the bit length of opad block + digest.
  BLOCK.fill(0);
  BLOCK.set(DIGEST);
  BLOCK[5] = 0x80000000 | 0;
  BLOCK[15] = (64 + 20) * 8;
  compress(key.outer, DIGEST);
  return DIGEST;
}

/** RFC 4226 dynamic truncation of HMAC-SHA1(key, counter): a 31-bit number. */
export function hotpSha1Truncated(key: Sha1HmacKey, counter: number): number {
  const h = hmacSha1Counter(key, counter);
  const offset = (h[4] as number) & 0x0f; // low nibble of the digest's last byte
  let value = 0;
  for (let i = offset; i < offset + 4; i++) value = (value << 8) | (((h[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff);
  return value & 0x7fffffff;
}
