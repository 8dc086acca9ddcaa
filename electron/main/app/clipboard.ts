import { clipboard } from 'electron';
import type { ClipboardPort } from '../ipc';

/** Copies codes and clears them after a delay, but only if the clipboard still holds that code. */
export class ElectronClipboard implements ClipboardPort {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly clearAfterMs: () => number | null) {}

  writeSecretText(text: string): { clearsAt: number | null } {
    clipboard.writeText(text);
    if (this.timer) clearTimeout(this.timer);
    const delay = this.clearAfterMs();
    if (delay === null) return { clearsAt: null };
    this.timer = setTimeout(() => void this.clearIfStillHolding(text), delay);
    return { clearsAt: Date.now() + delay };
  }

  /** The user may have copied something else since; that is theirs, and stays. */
  private async clearIfStillHolding(text: string): Promise<void> {
    if ((await clipboard.readText()) === text) clipboard.clear();
  }
}
