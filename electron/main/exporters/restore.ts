import { LatchkeyError } from '../../../shared/errors';
import { parseJson } from '../importers/crypto';
import type { CreateVaultOptions, VaultService } from '../vault';
import { openBackupSeal, sealForNewVault } from './backup-seal';
import { readBackup } from './latchkey-backup';

export interface RestoreOptions extends Omit<CreateVaultOptions, 'content'> {
  /**
   * The password of the vault the backup was made from, when its backup codes are sealed and neither
   * the backup password nor the new vault's password opens them.
   */
  sourceVaultPassword?: string | null;
}

/**
 * Makes a new vault from a Latchkey backup. The backup is opened and checked completely first (so a
 * wrong password or a damaged file leaves no vault behind), its sealed parts are sealed again for
 * the new vault's password, and the vault is created with that content in its first and only save:
 * at no moment does an empty or half-restored vault exist (docs/backup-format.md).
 */
export async function restoreBackup(vault: VaultService, bytes: Uint8Array, backupPassword: string | null, options: RestoreOptions): Promise<{ accounts: number; createdAt: number; codeSets: number; connections: number }> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LatchkeyError('INVALID_IMPORT_FILE', 'It is not a Latchkey backup.');
  }
  const backup = await readBackup(parseJson(text), backupPassword);
  const password = options.password ?? null;
  const opened = await openBackupSeal(backup.content, [options.sourceVaultPassword ?? null, backupPassword, password]);
  const content = await sealForNewVault(opened, password, vault.newPasswordCost);
  await vault.create({ password, useKeychain: options.useKeychain, content });
  return { accounts: content.accounts.length, createdAt: backup.createdAt, codeSets: content.recovery.sets.length, connections: content.providers?.connections.length ?? 0 };
}
