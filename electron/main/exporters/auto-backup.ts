import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { VaultContent, VaultService } from '../vault';
import { loadSodium } from '../vault/sodium';
import { writeExportFile } from './write-file';
import { type BackupCost, DEFAULT_BACKUP_COST, deriveBackupKey, writeBackupWithKey } from './latchkey-backup';

/**
 * Automatic backups: after each change (debounced), an encrypted Latchkey backup in a folder the
 * user picked, keeping the last N. The setup lives inside the vault content (so it is encrypted
 * and travels with the vault): the folder, N, and the backup key derived once from the backup
 * password with its Argon2id parameters, so each backup costs no key derivation and still opens
 * with the password alone.
 */
export const DEFAULT_KEEP = 10;
const MAX_KEEP = 1000;
const FILE_PATTERN = /^latchkey-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.json$/;

const setupSchema = z.object({
  folder: z.string().min(1).max(4096),
  keep: z.number().int().min(1).max(MAX_KEEP),
  kdf: z.object({ algorithm: z.literal('argon2id13'), opsLimit: z.number().int(), memLimit: z.number().int(), salt: z.string() }),
  key: z.string(),
});
type Setup = z.infer<typeof setupSchema>;

export interface AutoBackupStatus {
  enabled: boolean;
  folder: string | null;
  keep: number;
  /** Unix ms of the newest backup in the folder, or null. */
  lastBackupAt: number | null;
  /** Why the last attempt failed, or null when it worked (or none was made yet). */
  lastError: string | null;
}

export class AutoBackup {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The content as of the last change, kept until its backup is written (so a lock does not lose it). */
  private pending: VaultContent | null = null;
  private lastError: string | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly vault: VaultService,
    private readonly options: { delayMs?: number; cost?: BackupCost; now?: () => number } = {},
  ) {
    vault.onEvent((event) => {
      if (event === 'changed') this.schedule();
      // Locking leaves no content to read later: a pending backup is written now, from its snapshot.
      if (event === 'locked' && this.pending) void this.writePending();
    });
  }

  private setup(content: Readonly<VaultContent> = this.vault.content()): Setup | null {
    const parsed = setupSchema.safeParse((content as Record<string, unknown>).autoBackup);
    return parsed.success ? parsed.data : null;
  }

  async status(): Promise<AutoBackupStatus> {
    const setup = this.setup();
    return { enabled: setup !== null, folder: setup?.folder ?? null, keep: setup?.keep ?? DEFAULT_KEEP, lastBackupAt: setup ? await newestBackupTime(setup.folder) : null, lastError: this.lastError };
  }

  /** Turns backups on (or changes them): the folder must exist; the first backup is written at once. */
  async enable(folder: string, password: string, keep: number = DEFAULT_KEEP): Promise<AutoBackupStatus> {
    if (!Number.isInteger(keep) || keep < 1 || keep > MAX_KEEP) throw new LatchkeyError('INVALID_INPUT', `Keep between 1 and ${MAX_KEEP} backups.`);
    const info = await fs.stat(folder).catch(() => null);
    if (!info?.isDirectory()) throw new LatchkeyError('IO_ERROR', `${folder} is not a folder Latchkey can write to.`);
    const sodium = await loadSodium();
    const { kdf, key } = await deriveBackupKey(password, this.options.cost ?? DEFAULT_BACKUP_COST);
    const setup: Setup = { folder: path.resolve(folder), keep, kdf, key: sodium.to_base64(key, sodium.base64_variants.ORIGINAL) };
    sodium.memzero(key);
    await this.vault.update((content) => {
      (content as Record<string, unknown>).autoBackup = setup;
    });
    await this.backupNow();
    return this.status();
  }

  async disable(): Promise<AutoBackupStatus> {
    this.cancelTimer();
    this.pending = null;
    await this.vault.update((content) => {
      delete (content as Record<string, unknown>).autoBackup;
    });
    this.lastError = null;
    return this.status();
  }

  /** Writes a backup now (when backups are on) and removes the oldest beyond N. */
  backupNow(): Promise<void> {
    this.pending = structuredClone(this.vault.content()) as VaultContent;
    return this.writePending();
  }

  private writePending(): Promise<void> {
    this.cancelTimer();
    const content = this.pending;
    this.pending = null;
    const setup = content ? this.setup(content) : null;
    if (!content || !setup) return this.running;
    this.running = this.running.then(() => this.write(content, setup));
    return this.running;
  }

  private schedule(): void {
    if (!this.vault.isUnlocked || !this.setup()) return;
    this.pending = structuredClone(this.vault.content()) as VaultContent;
    this.cancelTimer();
    this.timer = setTimeout(() => void this.writePending(), this.options.delayMs ?? 2000);
    this.timer.unref?.();
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async write(content: VaultContent, setup: Setup): Promise<void> {
    const sodium = await loadSodium();
    const key = sodium.from_base64(setup.key, sodium.base64_variants.ORIGINAL);
    try {
      const now = (this.options.now ?? Date.now)();
      const text = await writeBackupWithKey(content, { kdf: setup.kdf, key }, now);
      await writeExportFile(path.join(setup.folder, `latchkey-backup-${new Date(now).toISOString().replace(/[:.]/g, '-')}.json`), text);
      await prune(setup.folder, setup.keep);
      this.lastError = null;
    } catch (error) {
      this.lastError = error instanceof LatchkeyError ? error.message : 'The backup could not be written.';
    } finally {
      sodium.memzero(key);
    }
  }
}

async function backupFiles(folder: string): Promise<string[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => FILE_PATTERN.test(name)).sort();
}

async function newestBackupTime(folder: string): Promise<number | null> {
  const newest = (await backupFiles(folder)).pop();
  if (!newest) return null;
  const stamp = newest.slice('latchkey-backup-'.length, -'.json'.length).replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z');
  const time = Date.parse(stamp);
  return Number.isNaN(time) ? null : time;
}

/** Only files this feature named are ever removed. */
async function prune(folder: string, keep: number): Promise<void> {
  const files = await backupFiles(folder);
  for (const name of files.slice(0, Math.max(0, files.length - keep))) await fs.rm(path.join(folder, name), { force: true });
}
