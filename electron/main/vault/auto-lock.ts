import type { VaultService } from './vault-service';

export interface AutoLockOptions {
  /** Minutes of inactivity before locking; 0 = never. Read at every check, so settings apply at once. */
  minutes: () => number;
  now?: () => number;
  /** The OS's idle time in seconds where it is known (Electron's powerMonitor); else the app's own activity counts. */
  systemIdleSeconds?: () => number;
}

/** Locks the vault after a stretch without activity. `check` runs from a timer the caller owns. */
export class AutoLock {
  private lastActivity: number;
  private readonly now: () => number;

  constructor(private readonly vault: VaultService, private readonly options: AutoLockOptions) {
    this.now = options.now ?? Date.now;
    this.lastActivity = this.now();
    vault.onEvent((event) => {
      if (event === 'unlocked') this.recordActivity();
    });
  }

  recordActivity(): void {
    this.lastActivity = this.now();
  }

  idleMs(): number {
    const sinceActivity = this.now() - this.lastActivity;
    const system = this.options.systemIdleSeconds?.();
    return system === undefined ? sinceActivity : Math.min(sinceActivity, system * 1000);
  }

  /** True when it locked the vault. */
  check(): boolean {
    const minutes = this.options.minutes();
    if (minutes <= 0 || !this.vault.isUnlocked) return false;
    if (this.idleMs() < minutes * 60_000) return false;
    this.vault.lock();
    return true;
  }
}
