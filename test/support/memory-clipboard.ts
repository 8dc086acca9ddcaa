import type { SystemClipboard } from '../../electron/main/clipboard/timed-clipboard';

/** The system clipboard of the test "machine": plain memory, behind the same interface Electron's has. */
export class MemoryClipboard implements SystemClipboard {
  text = '';
  readText(): string {
    return this.text;
  }
  writeText(text: string): void {
    this.text = text;
  }
  clear(): void {
    this.text = '';
  }
}
