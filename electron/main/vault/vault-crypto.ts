import { LatchkeyError } from '../../../shared/errors';
import { parseContent, type VaultContent } from './content';
import { decryptContent, type ParsedVaultFile, type PasswordSlot, type VaultHeader } from './format';
import { derivePasswordKey, unwrapMasterKey } from './slots';
import type { Sodium } from './sodium';

export function passwordSlotOf(header: VaultHeader): PasswordSlot {
  const slot = header.slots.find((candidate): candidate is PasswordSlot => candidate.type === 'password');
  if (!slot) throw new LatchkeyError('NO_PASSWORD_SLOT', 'This vault opens only through the system keychain.');
  return slot;
}

export function unwrapWithPassword(sodium: Sodium, vaultId: string, slot: PasswordSlot, password: string): Uint8Array | null {
  const passwordKey = derivePasswordKey(sodium, password, slot.kdf);
  try {
    return unwrapMasterKey(sodium, vaultId, slot, passwordKey);
  } finally {
    sodium.memzero(passwordKey);
  }
}

/**
 * The content, or null when the key does not open it. The plaintext is wiped as soon as it is
 * parsed, on every path: this is the only place the vault's content is decrypted.
 */
export function tryDecryptAndParseContent(sodium: Sodium, file: ParsedVaultFile, masterKey: Uint8Array): VaultContent | null {
  const plaintext = decryptContent(sodium, file, masterKey);
  if (plaintext === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'Its content is not readable.');
  } finally {
    sodium.memzero(plaintext);
  }
  // Reads every content schema; an older one is upgraded in memory and written as the newest on the next save.
  return parseContent(json);
}

export function decryptAndParseContent(sodium: Sodium, file: ParsedVaultFile, masterKey: Uint8Array): VaultContent {
  const content = tryDecryptAndParseContent(sodium, file, masterKey);
  if (content === null) throw new LatchkeyError('VAULT_CORRUPT', 'Its content does not decrypt with the vault key.');
  return content;
}
