import { LatchkeyError } from '../../../shared/errors';
import { parseJson } from '../importers/crypto';
import type { CreateVaultOptions, VaultService } from '../vault';
import { readBackup } from './latchkey-backup';

/**
 * Makes a new vault from a Latchkey backup: the backup is opened and checked completely first, so a
 * wrong password or a damaged file leaves no vault behind; then the vault is created and the
 * content written in one save.
 */
export async function restoreBackup(vault: VaultService, bytes: Uint8Array, backupPassword: string | null, options: CreateVaultOptions): Promise<{ accounts: number; createdAt: number }> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LatchkeyError('INVALID_IMPORT_FILE', 'It is not a Latchkey backup.');
  }
  const backup = await readBackup(parseJson(text), backupPassword);
  await vault.create(options);
  await vault.update((content) => {
    for (const key of Object.keys(content)) delete (content as Record<string, unknown>)[key];
    Object.assign(content, structuredClone(backup.content));
  });
  return { accounts: backup.content.accounts.length, createdAt: backup.createdAt };
}
