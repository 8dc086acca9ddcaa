import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { writeAndSync } from './durable-fs';
import { pidLiveness, processStartMark } from './process-identity';

export const LOCK_FILE = 'vault.lock';
/** Drafts of the owner record, hard-linked into place; a writer killed mid-way leaves one behind. */
const DRAFT_INFIX = '.new-';
/** Left by writers before the claim-based takeover; removed like drafts. */
const LEGACY_ASIDE_INFIX = '.stale-';
/** One folder per stale lock being taken over, named after that lock (see `takeOverStale`). */
const CLAIM_INFIX = '.claim-';

/**
 * No save holds the lock for more than seconds (the slowest step, a key derivation at the capped
 * cost, takes a few seconds), so a lock older than this is stale whoever holds it: the fallback
 * where a reused pid cannot be told apart (no /proc) and for locks from another host.
 */
export const MAX_LOCK_AGE_MS = 2 * 60 * 1000;
/** A draft or aside file of a live process lives for milliseconds. */
const MAX_LEFTOVER_AGE_MS = 60 * 1000;
/** A claim is held for one read and one unlink. */
const MAX_CLAIM_AGE_MS = 10 * 1000;

interface LockOwner {
  pid: number;
  host: string;
  token: string;
  createdAt: number;
  /** processStartMark of the holder when it took the lock, or null where there is none. */
  startMark: string | null;
}

export interface WriterLockOptions {
  /** How long a writer waits for another one to finish before VAULT_BUSY. */
  waitMs?: number;
  pollMs?: number;
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/**
 * The one-writer-at-a-time lock file: created with O_EXCL semantics (a hard link of a finished
 * draft), taken over when its holder is dead, was replaced under the same pid, or is too old.
 */
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
      if (owner === null) {
        await this.removeLeftovers();
        return;
      }
      if (owner === GONE) continue; // released between our two looks
      if (isStale(owner) && (await this.takeOverStale(owner))) continue;
      if (Date.now() >= deadline) {
        throw new LatchkeyError('VAULT_BUSY', owner.token === '' ? `${this.lockPath} is not a lock Latchkey wrote; it is removed once a minute old.` : `Process ${owner.pid} on ${owner.host} holds ${this.lockPath}.`);
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
   * to a private draft first and hard-linked into place, so a lock file is never seen half written.
   */
  private async tryCreate(): Promise<LockOwner | null> {
    const me: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(16).toString('hex'), createdAt: Date.now(), startMark: processStartMark(process.pid) };
    const draftPath = `${this.lockPath}${DRAFT_INFIX}${process.pid}-${me.token.slice(0, 8)}`;
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
    return currentOwner(this.lockPath);
  }

  /**
   * Removes a stale lock so that exactly that lock goes, never a fresh one. Only the process that
   * creates the claim folder named after the stale lock (mkdir is atomic) may remove it, and it
   * removes it only if the lock file still is that lock. While the claim exists no other taker can
   * act on that lock, its holder is gone, and no writer can create a lock over an existing file, so
   * between the check and the unlink nothing else can change the file. A taker that comes later
   * finds another lock under the name and leaves it alone. True when the stale lock is gone.
   */
  private async takeOverStale(stale: LockOwner): Promise<boolean> {
    const claimPath = `${this.lockPath}${CLAIM_INFIX}${claimKey(stale)}`;
    try {
      await fs.mkdir(claimPath);
    } catch (error) {
      // Another process is taking it over; a claim left by a taker that died is cleared when old.
      if (isErrno(error, 'EEXIST') && (await ageOf(claimPath)) > MAX_CLAIM_AGE_MS) await fs.rmdir(claimPath).catch(() => undefined);
      return false;
    }
    try {
      const current = await currentOwner(this.lockPath);
      if (current === GONE) return true; // someone removed it first: try to create again
      if (claimKey(current) !== claimKey(stale)) return false;
      await fs.rm(this.lockPath, { force: true });
      return true;
    } catch {
      return false;
    } finally {
      await fs.rmdir(claimPath).catch(() => undefined);
    }
  }

  /**
   * Drafts and aside files of writers that were killed, and claims: run while holding the lock.
   * Any claim now names a lock that is no longer in place (this one is), so it is useless; a draft
   * is removed only when its process is gone or it is old, since a live process links it at once.
   */
  private async removeLeftovers(): Promise<void> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.startsWith(LOCK_FILE + '.')) continue;
      const full = path.join(this.dir, name);
      if (name.startsWith(LOCK_FILE + CLAIM_INFIX)) {
        await fs.rmdir(full).catch(() => undefined);
        continue;
      }
      const match = new RegExp(`^${escapeRegExp(LOCK_FILE)}(?:${escapeRegExp(DRAFT_INFIX)}|${escapeRegExp(LEGACY_ASIDE_INFIX)})(\\d+)-`).exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      if (pid === process.pid && (await ageOf(full)) <= MAX_LEFTOVER_AGE_MS) continue;
      if (pidLiveness(pid) === 'dead' || (await ageOf(full)) > MAX_LEFTOVER_AGE_MS) await fs.rm(full, { force: true }).catch(() => undefined);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function ioError(action: string, error: unknown): LatchkeyError {
  const code = typeof error === 'object' && error !== null ? (error as NodeJS.ErrnoException).code : undefined;
  return new LatchkeyError('IO_ERROR', `${action} failed${code ? ` (${code})` : ''}.`, { cause: error });
}

/** A lock's name for claims: its token, or for an unreadable file its inode and time. */
function claimKey(owner: LockOwner): string {
  return owner.token !== '' ? `t${owner.token}` : `u${owner.pid}-${owner.createdAt}`;
}

/** No lock file any more. */
const GONE: LockOwner = Object.freeze({ pid: 0, host: '', token: '', createdAt: 0, startMark: null });

/**
 * Who holds the lock: its record, or for an unreadable file (garbage no writer wrote) a record with
 * no token that names it by inode (in `pid`) and modification time (in `createdAt`); GONE if none.
 */
async function currentOwner(lockPath: string): Promise<LockOwner> {
  const owner = await readOwner(lockPath);
  if (owner) return owner;
  try {
    const stat = await fs.stat(lockPath);
    return { pid: stat.ino, host: '', token: '', createdAt: Math.floor(stat.mtimeMs), startMark: null };
  } catch {
    return GONE;
  }
}

async function ageOf(filePath: string): Promise<number> {
  try {
    return Date.now() - (await fs.stat(filePath)).mtimeMs;
  } catch {
    return 0;
  }
}

async function readOwner(lockPath: string): Promise<LockOwner | null> {
  try {
    const text = await fs.readFile(lockPath, 'utf8');
    if (text.length > 4096) return null;
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { pid, host, token, createdAt, startMark } = parsed as Record<string, unknown>;
    // The token names a claim folder and the host goes into a message: anything but what a writer
    // writes (a short word, a host name) makes the file unreadable, never a path or a wall of text.
    if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
    if (typeof host !== 'string' || !/^[\w.-]{1,255}$/.test(host)) return null;
    if (typeof token !== 'string' || !/^[\w-]{1,64}$/.test(token)) return null;
    if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) return null;
    return { pid, host, token, createdAt, startMark: typeof startMark === 'string' && startMark.length <= 128 ? startMark : null };
  } catch {
    return null;
  }
}

const UNREADABLE_LOCK_EXPIRY_MS = 60 * 1000;

function isStale(owner: LockOwner): boolean {
  // Unreadable: garbage that no writer will ever remove (records are never seen half written).
  if (owner.token === '') return Date.now() - owner.createdAt > UNREADABLE_LOCK_EXPIRY_MS;
  if (Date.now() - owner.createdAt > MAX_LOCK_AGE_MS) return true;
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  const liveness = pidLiveness(owner.pid);
  if (liveness !== 'alive') return liveness === 'dead';
  // The pid is in use: by the holder, or by a later process that was given the same pid.
  if (owner.startMark === null) return false;
  const now = processStartMark(owner.pid);
  return now !== null && now !== owner.startMark;
}
