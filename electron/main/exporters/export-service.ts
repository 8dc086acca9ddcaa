import { LatchkeyError } from '../../../shared/errors';
import type { VaultService } from '../vault';
import { loadSodium } from '../vault/sodium';
import { buildExport, contentForBackup, type ExportFormat, exportNeedsPassword } from './index';
import type { AutoBackup, AutoBackupStatus } from './auto-backup';
import { writeExportFile } from './write-file';

/** Where the window's exports go: the Electron glue shows a save dialog; tests answer a path. */
export interface SaveDialogPort {
  /** The path the user chose, or null when they cancelled. */
  chooseSavePath(suggestedName: string, format: ExportFormat): Promise<string | null>;
  /** A folder for automatic backups, or null when the user cancelled. */
  chooseFolder(): Promise<string | null>;
}

const SUGGESTED: Record<ExportFormat, string> = {
  latchkey: 'latchkey-backup.json',
  aegis: 'aegis-export-encrypted.json',
  'aegis-plain': 'aegis-export-UNENCRYPTED.json',
  uris: 'otpauth-links-UNENCRYPTED.txt',
  'qr-html': 'qr-codes-UNENCRYPTED.html',
};

/**
 * Exports from the window. Main writes the file itself, so that no secret (and no plain export)
 * ever passes through the renderer; a plain export needs the user's explicit confirmation.
 */
export class ExportService {
  constructor(
    private readonly vault: VaultService,
    private readonly dialogs: SaveDialogPort | null,
    readonly autoBackup: AutoBackup | null = null,
    /** A copy of the backup codes' seal key while the password is kept open (RecoveryService), else null. */
    private readonly sealSecretKey: () => Uint8Array | null = () => null,
  ) {}

  /** Turns automatic backups on in a folder the user picks; status unchanged when they cancel. */
  async enableAutoBackup(password: string, keep: number): Promise<AutoBackupStatus> {
    const backups = this.requireAutoBackup();
    if (!this.dialogs) throw new LatchkeyError('INVALID_INPUT', 'Choosing a folder is not available here.');
    const folder = await this.dialogs.chooseFolder();
    if (folder === null) return backups.status();
    return backups.enable(folder, password, keep);
  }

  requireAutoBackup(): AutoBackup {
    if (!this.autoBackup) throw new LatchkeyError('INVALID_INPUT', 'Automatic backups are not available here.');
    return this.autoBackup;
  }

  /** `codesSealed`: the backup's codes stayed sealed to this vault's password (it was not typed lately). */
  async save(request: { format: ExportFormat; password?: string; confirmedUnencrypted: boolean; requireOpenSeal?: boolean }): Promise<{ path: string | null; accounts: number; codesSealed: boolean }> {
    const { format } = request;
    if (!exportNeedsPassword(format) && !request.confirmedUnencrypted) {
      throw new LatchkeyError('INVALID_INPUT', 'A file with every secret unencrypted is written only after you confirm the warning.');
    }
    const { content, sealed } = format === 'latchkey' ? await this.backupContent(request.requireOpenSeal ?? false) : { content: this.vault.content(), sealed: false };
    // Encrypt before asking where: a missing password is said before the dialog opens.
    const text = await buildExport(format, content, request.password ?? null);
    if (!this.dialogs) throw new LatchkeyError('INVALID_INPUT', 'Saving files is not available here.');
    const path = await this.dialogs.chooseSavePath(SUGGESTED[format], format);
    if (path === null) return { path: null, accounts: content.accounts.length, codesSealed: sealed };
    // The save dialog already asked before replacing a file.
    await writeExportFile(path, text, { overwrite: true });
    return { path, accounts: content.accounts.length, codesSealed: sealed };
  }

  private async backupContent(requireOpenSeal: boolean) {
    const key = this.sealSecretKey();
    try {
      const result = await contentForBackup(this.vault.content(), key);
      if (result.sealed && requireOpenSeal) {
        throw new LatchkeyError('RECOVERY_SEALED', 'Type the vault password, so that the backup holds your backup codes and provider credentials and its own password alone restores them.');
      }
      return result;
    } finally {
      if (key) (await loadSodium()).memzero(key);
    }
  }
}
