import type { ClipboardPort } from '../ipc/handlers';

/** The system clipboard as Latchkey uses it; Electron's in the app, a plain one in tests. */
export interface SystemClipboard {
  readText(): string | Promise<string>;
  writeText(text: string): void;
  clear(): void;
}

export interface Scheduler {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realScheduler: Scheduler = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

/**
 * Copies codes and clears them after the configured delay, but only if the clipboard still holds
 * that code: anything the user copied since is theirs, and stays.
 */
export class TimedClipboard implements ClipboardPort {
  private pending: unknown = null;
  /** The last code this copied, until it is cleared or found replaced: only that may be cleared. */
  private lastCopied: string | null = null;

  constructor(
    private readonly system: SystemClipboard,
    private readonly clearAfterSeconds: () => number,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  writeSecretText(text: string): { clearsAt: number | null } {
    this.system.writeText(text);
    this.lastCopied = text;
    this.cancelTimer();
    const seconds = this.clearAfterSeconds();
    if (seconds <= 0) return { clearsAt: null };
    this.pending = this.scheduler.setTimeout(() => void this.clearIfStillHolding(text), seconds * 1000);
    return { clearsAt: this.scheduler.now() + seconds * 1000 };
  }

  /**
   * Clears the clipboard now if it still holds the last code copied (on lock and on quit: a code
   * must not outlive the vault being open). Anything the user copied since is left alone.
   * Synchronous when the system clipboard is (Electron's), so it completes before a quit.
   */
  clearNow(): void | Promise<void> {
    this.cancelTimer();
    const text = this.lastCopied;
    if (text === null) return;
    return this.clearIfStillHolding(text);
  }

  private cancelTimer(): void {
    if (this.pending !== null) this.scheduler.clearTimeout(this.pending);
    this.pending = null;
  }

  private clearIfStillHolding(text: string): void | Promise<void> {
    this.pending = null;
    const finish = (current: string) => {
      if (current === text) this.system.clear();
      if (this.lastCopied === text) this.lastCopied = null;
    };
    const current = this.system.readText();
    if (typeof current === 'string') return finish(current);
    return current.then(finish);
  }
}
