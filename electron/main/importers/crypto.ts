import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import { LatchkeyError } from '../../../shared/errors';

/** The error for a password that does not open the file (an authentication tag or padding that fails). */
export function wrongPassword(what: string): LatchkeyError {
  return new LatchkeyError('IMPORT_WRONG_PASSWORD', `Check the password of this ${what} and try again.`);
}

export function needPassword(what: string): LatchkeyError {
  return new LatchkeyError('IMPORT_PASSWORD_REQUIRED', `It is ${what}.`);
}

/** AES-GCM decryption; null when the tag does not match (wrong key or altered data). */
export function aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer | null {
  if (tag.length !== 16 || nonce.length === 0 || ![16, 24, 32].includes(key.length)) return null;
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    if (aad) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

/** AES-GCM encryption (for tests and exports): ciphertext and tag. */
export function aesGcmEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): { ciphertext: Buffer; tag: Buffer } {
  const cipher = createCipheriv(`aes-${key.length * 8}-gcm` as 'aes-256-gcm', key, nonce);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ciphertext, tag: cipher.getAuthTag() };
}

/** AES-CBC with PKCS#7 padding; null when the padding is wrong (almost always a wrong key). */
export function aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Buffer | null {
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0 || iv.length !== 16) return null;
  try {
    const decipher = createDecipheriv(`aes-${key.length * 8}-cbc` as 'aes-256-cbc', key, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

export function pbkdf2(password: string, salt: Uint8Array, iterations: number, length: number, digest: 'sha1' | 'sha256' | 'sha512'): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, digest);
}

export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Strict base64 (standard or URL alphabet); null when the text is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return null;
  return Buffer.from(clean, clean.includes('-') || clean.includes('_') ? 'base64url' : 'base64');
}

export function decodeHex(text: string): Buffer | null {
  return /^(?:[0-9a-fA-F]{2})*$/.test(text) ? Buffer.from(text, 'hex') : null;
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
