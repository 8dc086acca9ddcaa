import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { backupsToKeep, DEFAULT_BACKUP_POLICY, type BackupPolicy } from './backup-retention';
import { syncDir, writeAndSync } from './durable-fs';

export { LOCK_FILE, WriterLock, type WriterLockOptions } from './writer-lock';

export const VAULT_FILE = 'vault.lkv';
export const BACKUP_DIR = 'backups';
const TEMP_PREFIX = `${VAULT_FILE}.tmp-`;

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

function ioError(action: string, error: unknown): LatchkeyError {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return new LatchkeyError('IO_ERROR', `${action} failed${code ? ` (${code})` : ''}.`, { cause: error });
}

/** The folder that holds one vault: the file, its lock and its backups. */
export class VaultFolder {
  constructor(readonly dir: string, private readonly backupPolicy: BackupPolicy = DEFAULT_BACKUP_POLICY) {}

  get vaultPath(): string {
    return path.join(this.dir, VAULT_FILE);
  }

  get backupDir(): string {
    return path.join(this.dir, BACKUP_DIR);
  }

  async exists(): Promise<boolean> {
    try {
      await fs.access(this.vaultPath);
      return true;
    } catch {
      return false;
    }
  }

  async read(): Promise<Uint8Array> {
    try {
      return new Uint8Array(await fs.readFile(this.vaultPath));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new LatchkeyError('VAULT_NOT_FOUND', `Looked in ${this.dir}.`);
      throw ioError('Reading the vault', error);
    }
  }

  async ensureDir(): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw ioError('Creating the vault folder', error);
    }
  }

  /**
   * Replaces vault.lkv so that a crash at any moment leaves the old or the new file:
   * temp file, fsync, backup link of the old generation, rename, fsync of the folder.
   */
  async writeAtomically(bytes: Uint8Array, previousGeneration: number | null): Promise<void> {
    const tempPath = path.join(this.dir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await writeAndSync(tempPath, bytes);
      if (previousGeneration !== null) await this.keepBackup(previousGeneration);
      await fs.rename(tempPath, this.vaultPath);
      await syncDir(this.dir);
    } catch (error) {
      await fs.rm(tempPath, { force: true }).catch(() => undefined);
      throw error instanceof LatchkeyError ? error : ioError('Saving the vault', error);
    }
    await this.removeStrayTempFiles();
    await this.pruneBackups();
  }

  private async keepBackup(generation: number): Promise<void> {
    await fs.mkdir(this.backupDir, { recursive: true, mode: 0o700 });
    const backupPath = path.join(this.backupDir, backupName(generation));
    await fs.rm(backupPath, { force: true });
    try {
      await fs.link(this.vaultPath, backupPath);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      // Some file systems have no hard links; a copy costs more but keeps the same promise, and
      // keeps the time it was saved, which the backup policy goes by.
      await fs.copyFile(this.vaultPath, backupPath);
      const saved = await fs.stat(this.vaultPath);
      await fs.utimes(backupPath, saved.atime, saved.mtime);
    }
    await syncDir(this.backupDir);
  }

  /**
   * Replaces one backup generation with other bytes (the same generation under a new key), so a
   * crash leaves the old or the new backup: temp file, fsync, rename, fsync of the folder. The
   * time it was saved is kept, since the backup policy goes by it.
   */
  async rewriteBackup(backup: BackupFile, bytes: Uint8Array): Promise<void> {
    const tempPath = path.join(this.backupDir, `${TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await writeAndSync(tempPath, bytes);
      await fs.utimes(tempPath, new Date(backup.savedAt), new Date(backup.savedAt));
      await fs.rename(tempPath, backup.path);
      await syncDir(this.backupDir);
    } catch (error) {
      await fs.rm(tempPath, { force: true }).catch(() => undefined);
      throw ioError('Re-encrypting a backup', error);
    }
  }

  /** Writes the current generation into backups/ from given bytes (its re-encryption), with the time it was saved. */
  async writeBackupOfCurrent(generation: number, bytes: Uint8Array): Promise<void> {
    await fs.mkdir(this.backupDir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
      throw ioError('Creating the backup folder', error);
    });
    let savedAt = Date.now();
    try {
      savedAt = (await fs.stat(this.vaultPath)).mtimeMs;
    } catch {
      // no current file: now is as good as any time
    }
    await this.rewriteBackup({ generation, path: path.join(this.backupDir, backupName(generation)), savedAt }, bytes);
  }

  async readBackup(backup: BackupFile): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(backup.path));
    } catch {
      return null;
    }
  }

  /** The backups, newest generation first, with the time each was saved (its file's modification time). */
  async listBackups(): Promise<BackupFile[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.backupDir);
    } catch {
      return [];
    }
    const backups: BackupFile[] = [];
    for (const name of names) {
      const match = /^vault-(\d+)\.lkv$/.exec(name);
      if (!match) continue;
      const backupPath = path.join(this.backupDir, name);
      const stat = await fs.stat(backupPath).catch(() => null);
      if (stat) backups.push({ generation: Number(match[1]), path: backupPath, savedAt: stat.mtimeMs });
    }
    return backups.sort((a, b) => b.generation - a.generation);
  }

  private async pruneBackups(): Promise<void> {
    const backups = await this.listBackups();
    const keep = backupsToKeep(backups, Date.now(), this.backupPolicy);
    await Promise.all(backups.filter((backup) => !keep.has(backup.generation)).map((backup) => fs.rm(backup.path, { force: true })));
  }

  /** Temp files left by a writer that died mid-save; only one writer runs at a time, so any other is stray. */
  private async removeStrayTempFiles(): Promise<void> {
    for (const dir of [this.dir, this.backupDir]) {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      await Promise.all(names.filter((name) => name.startsWith(TEMP_PREFIX)).map((name) => fs.rm(path.join(dir, name), { force: true })));
    }
  }
}

export interface BackupFile {
  generation: number;
  path: string;
  /** Unix ms. */
  savedAt: number;
}

export function backupName(generation: number): string {
  return `vault-${String(generation).padStart(10, '0')}.lkv`;
}
