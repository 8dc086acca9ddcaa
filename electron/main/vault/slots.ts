import { randomUUID } from 'node:crypto';
import type { KdfParams, KeychainSlot, PasswordSlot, Slot } from './format';
import { NONCE_BYTES } from './format';
import type { Sodium } from './sodium';

export const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Argon2id cost of a new password slot: 3 passes over 64 MiB (about a quarter second here). */
export interface PasswordCost {
  opsLimit: number;
  memLimit: number;
}
export const DEFAULT_PASSWORD_COST: PasswordCost = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

function slotAssociatedData(vaultId: string, slotId: string, type: Slot['type'], kdf: KdfParams | null): Uint8Array {
  return new TextEncoder().encode(`latchkey-slot-v1|${vaultId}|${slotId}|${type}|${kdf ? JSON.stringify(kdf) : ''}`);
}

function wrap(sodium: Sodium, masterKey: Uint8Array, wrappingKey: Uint8Array, associatedData: Uint8Array) {
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const wrapped = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(masterKey, associatedData, null, nonce, wrappingKey);
  return { nonce: sodium.to_base64(nonce, sodium.base64_variants.ORIGINAL), wrappedKey: sodium.to_base64(wrapped, sodium.base64_variants.ORIGINAL) };
}

/** The master key, or null when the wrapping key does not open the slot. */
export function unwrapMasterKey(sodium: Sodium, vaultId: string, slot: Slot, wrappingKey: Uint8Array): Uint8Array | null {
  const kdf = slot.type === 'password' ? slot.kdf : null;
  try {
    const nonce = sodium.from_base64(slot.nonce, sodium.base64_variants.ORIGINAL);
    const wrapped = sodium.from_base64(slot.wrappedKey, sodium.base64_variants.ORIGINAL);
    const key = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped, slotAssociatedData(vaultId, slot.id, slot.type, kdf), nonce, wrappingKey);
    return key.length === KEY_BYTES ? key : null;
  } catch {
    return null;
  }
}

export function keychainEntryName(vaultId: string, slotId: string): string {
  return `vault-${vaultId}-${slotId}`;
}

export function createKeychainSlot(sodium: Sodium, vaultId: string, masterKey: Uint8Array, keychainKey: Uint8Array): KeychainSlot {
  const id = randomUUID();
  return { type: 'keychain', id, keychainEntry: keychainEntryName(vaultId, id), ...wrap(sodium, masterKey, keychainKey, slotAssociatedData(vaultId, id, 'keychain', null)) };
}

export function derivePasswordKey(sodium: Sodium, password: string, kdf: KdfParams): Uint8Array {
  const salt = sodium.from_base64(kdf.salt, sodium.base64_variants.ORIGINAL);
  return sodium.crypto_pwhash(KEY_BYTES, password, salt, kdf.opsLimit, kdf.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

export function createPasswordSlot(sodium: Sodium, vaultId: string, masterKey: Uint8Array, password: string, cost: PasswordCost): PasswordSlot {
  const id = randomUUID();
  const kdf: KdfParams = {
    algorithm: 'argon2id13',
    opsLimit: cost.opsLimit,
    memLimit: cost.memLimit,
    salt: sodium.to_base64(sodium.randombytes_buf(SALT_BYTES), sodium.base64_variants.ORIGINAL),
  };
  const passwordKey = derivePasswordKey(sodium, password, kdf);
  try {
    return { type: 'password', id, kdf, ...wrap(sodium, masterKey, passwordKey, slotAssociatedData(vaultId, id, 'password', kdf)) };
  } finally {
    sodium.memzero(passwordKey);
  }
}
