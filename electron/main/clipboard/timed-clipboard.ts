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

  constructor(
    private readonly system: SystemClipboard,
    private readonly clearAfterSeconds: () => number,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  writeSecretText(text: string): { clearsAt: number | null } {
    this.system.writeText(text);
    if (this.pending !== null) this.scheduler.clearTimeout(this.pending);
    this.pending = null;
    const seconds = this.clearAfterSeconds();
    if (seconds <= 0) return { clearsAt: null };
    this.pending = this.scheduler.setTimeout(() => void this.clearIfStillHolding(text), seconds * 1000);
    return { clearsAt: this.scheduler.now() + seconds * 1000 };
  }

  private async clearIfStillHolding(text: string): Promise<void> {
    this.pending = null;
    if ((await this.system.readText()) === text) this.system.clear();
  }
}
