import { LatchkeyError } from '../../../shared/errors';
import type { VaultContent } from '../vault';
import { aegisEncryptedExport, aegisPlainExport } from './aegis';
import { type BackupCost, DEFAULT_BACKUP_COST, writeBackup } from './latchkey-backup';
import { openSealedParts, sealedParts } from './backup-seal';
import { qrSheetExport } from './qr-sheet';
import { otpauthUriExport } from './uris';
import type { ExportableAccount } from '../accounts/accounts-service';

export { readBackup, writeBackup, isLatchkeyBackup, DEFAULT_BACKUP_COST, type BackupCost } from './latchkey-backup';
export { restoreBackup } from './restore';
export { writeExportFile } from './write-file';
export { AutoBackup, type AutoBackupStatus, DEFAULT_KEEP } from './auto-backup';
export { ExportService, type SaveDialogPort } from './export-service';

export const EXPORT_FORMATS = ['latchkey', 'aegis', 'aegis-plain', 'uris', 'qr-html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Said before any export that writes secrets in clear text. */
export const PLAIN_EXPORT_WARNING =
  'This file will hold every secret unencrypted: anyone who gets a copy of it can make your login codes. Keep it off shared and synced folders and delete it once the accounts are moved.';

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

export function exportNeedsPassword(format: ExportFormat): boolean {
  return format === 'latchkey' || format === 'aegis';
}

/**
 * The accounts other apps can hold: entries with backup codes but no authenticator secret exist
 * only in Latchkey, so only a Latchkey backup carries them.
 */
function withOtpSecret(content: Readonly<VaultContent>): ExportableAccount[] {
  return content.accounts.filter((account): account is ExportableAccount => account.secret !== null);
}

/** The text of an export of the whole vault content in the given format. */
export async function buildExport(format: ExportFormat, content: Readonly<VaultContent>, password: string | null, cost: BackupCost = DEFAULT_BACKUP_COST): Promise<string> {
  if (exportNeedsPassword(format) && (password === null || password === '')) {
    throw new LatchkeyError('PASSWORD_REQUIRED', `A ${format === 'aegis' ? 'encrypted Aegis' : 'Latchkey backup'} file needs a password of its own.`);
  }
  switch (format) {
    case 'latchkey':
      return writeBackup(content, password as string, cost);
    case 'aegis':
      return aegisEncryptedExport(withOtpSecret(content), password as string);
    case 'aegis-plain':
      return aegisPlainExport(withOtpSecret(content));
    case 'uris':
      return otpauthUriExport(withOtpSecret(content));
    case 'qr-html':
      return qrSheetExport(withOtpSecret(content));
  }
}


/**
 * The content a Latchkey backup holds. With the seal's secret key (the password was typed: the
 * window keeps it for a few minutes, the command line has it from LATCHKEY_PASSWORD), backup codes
 * and provider credentials go in opened, under the backup's own encryption, so that the backup
 * password alone restores everything. Without it they stay sealed to this vault's password, and a
 * restore asks for that password too (`sealed` says so).
 */
export async function contentForBackup(content: Readonly<VaultContent>, sealSecretKey: Uint8Array | null): Promise<{ content: VaultContent; sealed: boolean }> {
  if (!sealedParts(content)) return { content: structuredClone(content) as VaultContent, sealed: false };
  if (sealSecretKey === null) return { content: structuredClone(content) as VaultContent, sealed: true };
  return { content: await openSealedParts(content, sealSecretKey), sealed: false };
}
