import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { KdfParams } from '../vault/format';
import { type PasswordCost } from '../vault/slots';
import type { RecoveryContent, RecoverySeal, StoredRecoverySet, VaultContent } from '../vault/content';
import { MAX_CODES_PER_SET, recoveryCodeTextSchema } from '../vault/content';
import type { Sodium } from '../vault/sodium';

/**
 * The password seal of docs/vault-format.md: backup codes are sealed to an X25519 public key whose
 * secret key only the password unwraps, so a vault opened through the keychain can add codes and
 * count them but never read them.
 */

const KEY_BYTES = 32;
const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const B64 = 1; // sodium.base64_variants.ORIGINAL, fixed by the format

function wrapAssociatedData(publicKey: string, kdf: KdfParams): Uint8Array {
  return new TextEncoder().encode(`latchkey-recovery-seal-v1|${publicKey}|${JSON.stringify(kdf)}`);
}

function deriveKey(sodium: Sodium, password: string, kdf: KdfParams): Uint8Array {
  return sodium.crypto_pwhash(KEY_BYTES, password, sodium.from_base64(kdf.salt, B64), kdf.opsLimit, kdf.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

/** Wraps `secretKey` under the password, with a salt of its own. */
function wrapSecretKey(sodium: Sodium, publicKey: string, secretKey: Uint8Array, password: string, cost: PasswordCost): RecoverySeal {
  const kdf: KdfParams = { algorithm: 'argon2id13', opsLimit: cost.opsLimit, memLimit: cost.memLimit, salt: sodium.to_base64(sodium.randombytes_buf(SALT_BYTES), B64) };
  const key = deriveKey(sodium, password, kdf);
  try {
    const nonce = sodium.randombytes_buf(NONCE_BYTES);
    const wrapped = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secretKey, wrapAssociatedData(publicKey, kdf), null, nonce, key);
    return { publicKey, kdf, nonce: sodium.to_base64(nonce, B64), wrappedSecretKey: sodium.to_base64(wrapped, B64) };
  } finally {
    sodium.memzero(key);
  }
}

/** A new seal for this password, and its secret key (the caller wipes it). */
export function createSeal(sodium: Sodium, password: string, cost: PasswordCost): { seal: RecoverySeal; secretKey: Uint8Array } {
  const pair = sodium.crypto_box_keypair();
  const seal = wrapSecretKey(sodium, sodium.to_base64(pair.publicKey, B64), pair.privateKey, password, cost);
  return { seal, secretKey: pair.privateKey };
}

/** The seal's secret key; WRONG_PASSWORD when the password does not open it. */
export function openSeal(sodium: Sodium, seal: RecoverySeal, password: string): Uint8Array {
  const key = deriveKey(sodium, password, seal.kdf);
  let secretKey: Uint8Array | null = null;
  try {
    secretKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_base64(seal.wrappedSecretKey, B64), wrapAssociatedData(seal.publicKey, seal.kdf), sodium.from_base64(seal.nonce, B64), key);
  } catch {
    secretKey = null;
  } finally {
    sodium.memzero(key);
  }
  if (secretKey === null || secretKey.length !== KEY_BYTES) throw new LatchkeyError('WRONG_PASSWORD', 'It does not open the sealed backup codes.');
  // The public key must be this secret key's own; otherwise codes added since went to someone else's key.
  if (sodium.compare(sodium.crypto_scalarmult_base(secretKey), sodium.from_base64(seal.publicKey, B64)) !== 0) {
    sodium.memzero(secretKey);
    throw new LatchkeyError('VAULT_CORRUPT', 'The seal of the backup codes has been altered.');
  }
  return secretKey;
}

const sealedPayloadSchema = z.object({ setId: z.string(), codes: z.array(recoveryCodeTextSchema).min(1).max(MAX_CODES_PER_SET) });

export function sealCodes(sodium: Sodium, seal: RecoverySeal, setId: string, codes: readonly string[]): string {
  const plaintext = new TextEncoder().encode(JSON.stringify({ setId, codes }));
  try {
    return sodium.to_base64(sodium.crypto_box_seal(plaintext, sodium.from_base64(seal.publicKey, B64)), B64);
  } finally {
    sodium.memzero(plaintext);
  }
}

/** The code texts of a set: plain ones as they are, sealed ones with the secret key (null: sealed and no key). */
export function codesOfSet(sodium: Sodium, seal: RecoverySeal | null, secretKey: Uint8Array | null, set: StoredRecoverySet): string[] | null {
  if ('plain' in set.codes) return [...set.codes.plain];
  if (seal === null || secretKey === null) return null;
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_box_seal_open(sodium.from_base64(set.codes.sealed, B64), sodium.from_base64(seal.publicKey, B64), secretKey);
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'A set of backup codes does not open with the seal.');
  }
  let payload: z.infer<typeof sealedPayloadSchema>;
  try {
    payload = sealedPayloadSchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)));
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'A sealed set of backup codes is not readable.');
  } finally {
    sodium.memzero(plaintext);
  }
  // Sealed boxes carry no associated data: the id inside ties the codes to their set.
  if (payload.setId !== set.id || payload.codes.length !== set.count) throw new LatchkeyError('VAULT_CORRUPT', 'A sealed set of backup codes belongs to another set.');
  return payload.codes;
}

/** What a change of the password slot means for the seal: from one password (or none) to another (or none). */
export interface PasswordChange {
  /** The password before the change; null when there was no password slot. */
  currentPassword: string | null;
  /** The password after the change; null when the password slot is removed. */
  newPassword: string | null;
}

/**
 * Makes the seal follow the password, inside the save that changes the password slot:
 * - first password (or a seal with nothing under it yet): a new seal, and every plain set sealed;
 * - new password: the secret key re-wrapped (sets untouched), opened with the current password or
 *   with the key kept in memory since the password was last typed;
 * - password removed: every set unsealed to plain, no seal (the keychain alone protects them).
 * Returns the secret key in effect afterwards (the caller keeps or wipes it), or null.
 */
export function applyPasswordChange(sodium: Sodium, content: VaultContent, change: PasswordChange, cost: PasswordCost, keptSecretKey: Uint8Array | null): Uint8Array | null {
  const recovery = content.recovery;
  // A seal with nothing sealed under it protects nothing: start afresh, no current password needed.
  if (recovery.seal !== null && !recovery.sets.some((set) => 'sealed' in set.codes)) recovery.seal = null;
  if (recovery.seal === null) {
    if (change.newPassword === null) return null;
    const { seal, secretKey } = createSeal(sodium, change.newPassword, cost);
    recovery.seal = seal;
    recovery.sets = recovery.sets.map((set) => sealSet(sodium, seal, set));
    return secretKey;
  }
  const secretKey = keptSecretKey ? new Uint8Array(keptSecretKey) : secretKeyFrom(sodium, recovery, change.currentPassword);
  if (change.newPassword === null) {
    unsealAll(sodium, recovery, secretKey);
    sodium.memzero(secretKey);
    return null;
  }
  recovery.seal = wrapSecretKey(sodium, recovery.seal.publicKey, secretKey, change.newPassword, cost);
  return secretKey;
}

function secretKeyFrom(sodium: Sodium, recovery: RecoveryContent, password: string | null): Uint8Array {
  if (recovery.seal === null) throw new LatchkeyError('INTERNAL_ERROR');
  if (password === null) throw new LatchkeyError('PASSWORD_REQUIRED', 'The backup codes are sealed with the current password; type it to change it.');
  return openSeal(sodium, recovery.seal, password);
}

export function sealSet(sodium: Sodium, seal: RecoverySeal, set: StoredRecoverySet): StoredRecoverySet {
  if (!('plain' in set.codes)) return set;
  return { ...set, codes: { sealed: sealCodes(sodium, seal, set.id, set.codes.plain) } };
}

function unsealAll(sodium: Sodium, recovery: RecoveryContent, secretKey: Uint8Array): void {
  const seal = recovery.seal;
  recovery.sets = recovery.sets.map((set) => ({ ...set, codes: { plain: codesOfSet(sodium, seal, secretKey, set) as string[] } }));
  recovery.seal = null;
}
