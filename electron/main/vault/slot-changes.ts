import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import type { SecretStore } from '../keychain/secret-store';
import type { KeychainSlot, PasswordSlot, Slot, VaultHeader } from './format';
import { keychainEntriesInUse } from './key-rotation';
import { createKeychainSlot, createPasswordSlot, KEY_BYTES, type PasswordCost, unwrapMasterKey } from './slots';
import type { Sodium } from './sodium';
import type { VaultFolder } from './storage';
import { unwrapWithPassword } from './vault-crypto';

/**
 * The parts of a slot change (docs/vault-format.md, "Changing slots") that need no open vault:
 * the proof, the plan, the new slots, and the keychain entries made and removed. VaultService runs
 * them in order inside one writer-locked transaction.
 */

/**
 * Proof that the person changing a slot may open the vault now: the current password when the
 * vault has a password slot; otherwise the keychain is asked again at the moment of the change.
 */
export interface SlotChangeProof {
  currentPassword?: string;
}

/** What a slot change leaves: each kind of slot kept (with a new key), removed, added, or set anew. */
export interface SlotPlan {
  password: 'keep' | 'remove' | { set: string };
  keychain: 'keep' | 'remove' | 'add';
}

export interface SlotKinds {
  password: boolean;
  keychain: boolean;
}

/** Which kinds of slots the vault will have, and whether that is what it has now (nothing to do). */
export function slotKindsAfter(header: VaultHeader, plan: SlotPlan): { want: SlotKinds; unchanged: boolean } {
  const had: SlotKinds = { password: header.slots.some((slot) => slot.type === 'password'), keychain: header.slots.some((slot) => slot.type === 'keychain') };
  const want: SlotKinds = {
    password: plan.password === 'remove' ? false : plan.password === 'keep' ? had.password : true,
    keychain: plan.keychain === 'remove' ? false : plan.keychain === 'keep' ? had.keychain : true,
  };
  if (!want.password && !want.keychain) throw new LatchkeyError('LAST_SLOT');
  const unchanged = typeof plan.password === 'string' && want.password === had.password && want.keychain === had.keychain;
  return { want, unchanged };
}

/** The current password when the vault has one; otherwise the keychain must open the vault right now. */
export async function checkSlotChangeProof(sodium: Sodium, keychain: SecretStore, header: VaultHeader, proof: SlotChangeProof): Promise<void> {
  const passwordSlot = header.slots.find((slot): slot is PasswordSlot => slot.type === 'password');
  if (passwordSlot) {
    if (proof.currentPassword === undefined) throw new LatchkeyError('PASSWORD_REQUIRED', 'Enter the current password to change how the vault opens.');
    const key = unwrapWithPassword(sodium, header.vaultId, passwordSlot, proof.currentPassword);
    if (key === null) throw new LatchkeyError('WRONG_PASSWORD');
    sodium.memzero(key);
    return;
  }
  const keychainSlot = header.slots.find((slot): slot is KeychainSlot => slot.type === 'keychain');
  if (!keychainSlot) throw new LatchkeyError('PASSWORD_REQUIRED');
  sodium.memzero(await unwrapWithKeychainSlot(sodium, keychain, header.vaultId, keychainSlot));
}

/**
 * The slots of the new master key. A password that stays is the current one under a new salt; a
 * keychain slot that stays gets a new key under a new entry name. Whatever else is wrapped under
 * the password's key must be re-wrapped here as well, next to the password slot.
 */
export async function slotsForNewKey(
  sodium: Sodium,
  keychain: SecretStore,
  header: VaultHeader,
  masterKey: Uint8Array,
  change: { plan: SlotPlan; want: SlotKinds; currentPassword: string | undefined; newPasswordCost: PasswordCost },
): Promise<Slot[]> {
  const slots: Slot[] = [];
  if (change.want.keychain) slots.push(await createStoredKeychainSlot(sodium, keychain, header.vaultId, masterKey));
  if (change.want.password) {
    const oldSlot = header.slots.find((slot): slot is PasswordSlot => slot.type === 'password');
    const password = typeof change.plan.password === 'object' ? change.plan.password.set : change.currentPassword;
    if (password === undefined) throw new LatchkeyError('PASSWORD_REQUIRED');
    // A new password gets today's cost; a password that stays keeps the cost it was given.
    const cost = typeof change.plan.password === 'object' || !oldSlot ? change.newPasswordCost : { opsLimit: oldSlot.kdf.opsLimit, memLimit: oldSlot.kdf.memLimit };
    slots.push(createPasswordSlot(sodium, header.vaultId, masterKey, password, cost));
  }
  return slots;
}

/** The master key through a keychain slot; the keychain's key is wiped once used. */
export async function unwrapWithKeychainSlot(sodium: Sodium, keychain: SecretStore, vaultId: string, slot: KeychainSlot): Promise<Uint8Array> {
  const keychainKey = await keychain.get(slot.keychainEntry);
  if (keychainKey === null) throw new LatchkeyError('KEYCHAIN_KEY_MISSING');
  const masterKey = unwrapMasterKey(sodium, vaultId, slot, keychainKey);
  sodium.memzero(keychainKey);
  if (masterKey === null) throw new LatchkeyError('KEYCHAIN_KEY_MISSING', 'The key it holds does not open this vault.');
  return masterKey;
}

/** A keychain slot with a new random key, stored in the keychain before any file names it. */
export async function createStoredKeychainSlot(sodium: Sodium, keychain: SecretStore, vaultId: string, masterKey: Uint8Array): Promise<KeychainSlot> {
  const keychainKey = sodium.randombytes_buf(KEY_BYTES);
  try {
    const slot = createKeychainSlot(sodium, vaultId, masterKey, keychainKey);
    // A crash after this leaves at most an entry no file names.
    await keychain.set(slot.keychainEntry, keychainKey);
    return slot;
  } finally {
    sodium.memzero(keychainKey);
  }
}

/**
 * Best effort, after the save: an entry that the vault or a kept backup still names is kept, since
 * it may be the only way into that file; any other is removed from the keychain.
 */
export async function forgetUnusedKeychainEntries(sodium: Sodium, keychain: SecretStore, folder: VaultFolder, slots: KeychainSlot[]): Promise<void> {
  if (slots.length === 0) return;
  const inUse = await keychainEntriesInUse(sodium, folder);
  if (inUse === 'unknown') return;
  for (const slot of slots) {
    if (inUse.has(slot.keychainEntry)) continue;
    await keychain.delete(slot.keychainEntry).catch((error: unknown) => {
      if (!isLatchkeyError(error, 'KEYCHAIN_UNAVAILABLE')) throw error;
    });
  }
}
