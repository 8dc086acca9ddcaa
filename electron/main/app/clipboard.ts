import { clipboard } from 'electron';
import type { SystemClipboard } from '../clipboard/timed-clipboard';

/** Electron's clipboard behind the interface the timed clipboard uses. */
export const electronClipboard: SystemClipboard = {
  readText: () => clipboard.readText(),
  writeText: (text) => clipboard.writeText(text),
  clear: () => clipboard.clear(),
};
