import { decryptContent, encodeVaultFile, type ParsedVaultFile, parseVaultFile, type Slot } from './format';
import type { Sodium } from './sodium';
import type { VaultFolder } from './storage';

/**
 * What a slot change does to the files already on disk (docs/vault-format.md, "Changing slots").
 * The master key is new after every slot change; the backups that the old key opens are written
 * again under the new key with the new slots, so that no file in the folder keeps a slot that was
 * changed or removed. A backup that the old key does not open (a different vault, a file left by an
 * interrupted rotation) is left as it is; it does not open with the current key either.
 */
export async function reencryptBackupsUnderNewKey(
  sodium: Sodium,
  folder: VaultFolder,
  current: { file: ParsedVaultFile; generation: number },
  oldKey: Uint8Array,
  newKey: Uint8Array,
  newSlots: Slot[],
): Promise<void> {
  for (const backup of await folder.listBackups()) {
    const bytes = await folder.readBackup(backup);
    const file = bytes === null ? null : parseQuietly(sodium, bytes);
    if (file === null || file.header.vaultId !== current.file.header.vaultId) continue;
    const reencrypted = reencrypt(sodium, file, oldKey, newKey, newSlots);
    if (reencrypted !== null) await folder.rewriteBackup(backup, reencrypted);
  }
  // The file being replaced becomes the newest backup, under the new key like the others.
  const currentAsBackup = reencrypt(sodium, current.file, oldKey, newKey, newSlots);
  if (currentAsBackup !== null) await folder.writeBackupOfCurrent(current.generation, currentAsBackup);
}

/** The same generation and content under the new key and slots; null when the old key does not open it. */
function reencrypt(sodium: Sodium, file: ParsedVaultFile, oldKey: Uint8Array, newKey: Uint8Array, newSlots: Slot[]): Uint8Array | null {
  const plaintext = decryptContent(sodium, file, oldKey);
  if (plaintext === null) return null;
  try {
    return encodeVaultFile(sodium, { ...file.header, slots: newSlots }, newKey, plaintext);
  } finally {
    sodium.memzero(plaintext);
  }
}

function parseQuietly(sodium: Sodium, bytes: Uint8Array): ParsedVaultFile | null {
  try {
    return parseVaultFile(sodium, bytes);
  } catch {
    return null;
  }
}

/**
 * Keychain entries that some file in the folder (the vault or a kept backup) still names: such an
 * entry may be the only way into that file, so it is never deleted.
 */
export async function keychainEntriesInUse(sodium: Sodium, folder: VaultFolder): Promise<Set<string> | 'unknown'> {
  const current = parseQuietly(sodium, (await folder.read().catch(() => null)) ?? new Uint8Array());
  // If the vault itself cannot be read now, nothing can be said about what it needs.
  if (current === null) return 'unknown';
  const inUse = new Set<string>();
  const headers = [current.header];
  for (const backup of await folder.listBackups()) {
    const bytes = await folder.readBackup(backup);
    const file = bytes === null ? null : parseQuietly(sodium, bytes);
    if (file) headers.push(file.header);
  }
  for (const header of headers) for (const slot of header.slots) if (slot.type === 'keychain') inUse.add(slot.keychainEntry);
  return inUse;
}
