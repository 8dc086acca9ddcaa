import { type FSWatcher, watch } from 'node:fs';
import { VAULT_FILE } from './storage';
import type { VaultService } from './vault-service';

const SETTLE_MS = 150;

/**
 * Watches the vault folder so that a save by another process shows up at once. Watching the folder,
 * not the file, because every save replaces the file by a rename.
 */
export class VaultWatcher {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly vault: VaultService) {}

  start(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.vault.dir, (_event, name) => {
        if (name === VAULT_FILE) this.scheduleReload();
      });
      this.watcher.on('error', () => this.stop());
    } catch {
      // No folder yet (no vault) or no watch support: changes are still picked up at the next save.
      this.watcher = null;
    }
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private scheduleReload(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // A damaged or re-keyed file surfaces at the next action; the watcher never throws.
      this.vault.reloadIfChangedOnDisk().catch(() => undefined);
    }, SETTLE_MS);
    this.timer.unref();
  }
}
