import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { syncDir, writeAndSync } from './durable-fs';

export const VAULT_FILE = 'vault.lkv';
export const LOCK_FILE = 'vault.lock';
export const BACKUP_DIR = 'backups';
export const DEFAULT_BACKUPS_KEPT = 10;
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
  constructor(readonly dir: string, private readonly backupsKept = DEFAULT_BACKUPS_KEPT) {}

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
      // Some file systems have no hard links; a copy costs more but keeps the same promise.
      await fs.copyFile(this.vaultPath, backupPath);
    }
    await syncDir(this.backupDir);
  }

  async listBackups(): Promise<{ generation: number; path: string }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.backupDir);
    } catch {
      return [];
    }
    return names
      .map((name) => ({ name, match: /^vault-(\d+)\.lkv$/.exec(name) }))
      .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
      .map(({ name, match }) => ({ generation: Number(match[1]), path: path.join(this.backupDir, name) }))
      .sort((a, b) => b.generation - a.generation);
  }

  private async pruneBackups(): Promise<void> {
    const backups = await this.listBackups();
    await Promise.all(backups.slice(this.backupsKept).map((backup) => fs.rm(backup.path, { force: true })));
  }

  /** Temp files left by a writer that died mid-save; only one writer runs at a time, so any other is stray. */
  private async removeStrayTempFiles(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => name.startsWith(TEMP_PREFIX)).map((name) => fs.rm(path.join(this.dir, name), { force: true })));
  }
}

export function backupName(generation: number): string {
  return `vault-${String(generation).padStart(10, '0')}.lkv`;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  createdAt: number;
}

export interface WriterLockOptions {
  /** How long a writer waits for another one to finish before VAULT_BUSY. */
  waitMs?: number;
  pollMs?: number;
}

/** The one-writer-at-a-time lock file: created with O_EXCL, taken over when its process is dead. */
export class WriterLock {
  private heldToken: string | null = null;

  constructor(private readonly dir: string, private readonly options: WriterLockOptions = {}) {}

  get lockPath(): string {
    return path.join(this.dir, LOCK_FILE);
  }

  async acquire(): Promise<void> {
    const waitMs = this.options.waitMs ?? 2000;
    const pollMs = this.options.pollMs ?? 25;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const owner = await this.tryCreate();
      if (owner === null) return;
      if (isStale(owner) && (await this.takeOverStale(owner))) continue;
      if (Date.now() >= deadline) {
        throw new LatchkeyError('VAULT_BUSY', `Process ${owner.pid} on ${owner.host} holds ${this.lockPath}.`);
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async release(): Promise<void> {
    if (this.heldToken === null) return;
    const owner = await readOwner(this.lockPath);
    if (owner?.token === this.heldToken) await fs.rm(this.lockPath, { force: true });
    this.heldToken = null;
  }

  /**
   * Null when this process now holds the lock; otherwise who holds it. The owner record is written
   * to a private file first and hard-linked into place, so a lock file is never seen half written.
   */
  private async tryCreate(): Promise<LockOwner | null> {
    const me: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(16).toString('hex'), createdAt: Date.now() };
    const draftPath = `${this.lockPath}.new-${process.pid}-${me.token.slice(0, 8)}`;
    try {
      await writeAndSync(draftPath, new TextEncoder().encode(JSON.stringify(me)));
      await fs.link(draftPath, this.lockPath);
      this.heldToken = me.token;
      return null;
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw ioError('Taking the vault lock', error);
    } finally {
      await fs.rm(draftPath, { force: true });
    }
    return (await readOwner(this.lockPath)) ?? { pid: 0, host: '', token: '', createdAt: await modifiedAt(this.lockPath) };
  }

  /**
   * Moves the stale lock aside and checks that what moved is the stale one: two processes may see
   * the same stale lock, and the slower must not throw away the lock the faster just created.
   */
  private async takeOverStale(stale: LockOwner): Promise<boolean> {
    const asidePath = `${this.lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await fs.rename(this.lockPath, asidePath);
    } catch {
      return true; // someone else moved it first; try to create again
    }
    const moved = await readOwner(asidePath);
    if (moved && moved.token !== stale.token) {
      await fs.link(asidePath, this.lockPath).catch(() => undefined);
    }
    await fs.rm(asidePath, { force: true });
    return true;
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(lockPath, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { pid, host, token, createdAt } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string' || typeof token !== 'string' || typeof createdAt !== 'number') return null;
    return { pid, host, token, createdAt };
  } catch {
    return null;
  }
}

const FOREIGN_HOST_LOCK_EXPIRY_MS = 10 * 60 * 1000;
const UNREADABLE_LOCK_EXPIRY_MS = 60 * 1000;

async function modifiedAt(filePath: string): Promise<number> {
  try {
    return (await fs.stat(filePath)).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isStale(owner: LockOwner): boolean {
  // Unreadable: gone between our two looks (ask again), or garbage that no writer will ever remove.
  if (owner.pid === 0) return Date.now() - owner.createdAt > UNREADABLE_LOCK_EXPIRY_MS;
  if (owner.host !== hostname()) return Date.now() - owner.createdAt > FOREIGN_HOST_LOCK_EXPIRY_MS;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return isErrno(error, 'ESRCH');
  }
}
