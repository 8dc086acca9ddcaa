import { type BrowserWindow, dialog, type MessageBoxOptions } from 'electron';
import type { ConfirmPort } from '../accounts';

/**
 * Main's own question, in a native message box the page cannot script: the consent behind every
 * reveal of secrets. Cancel is the default, so Enter alone shows nothing.
 */
export function electronConfirm(window: () => BrowserWindow | null): ConfirmPort {
  return {
    async confirm({ title, detail, confirmLabel }) {
      const options: MessageBoxOptions = { type: 'warning', title, message: title, detail, buttons: ['Cancel', confirmLabel], defaultId: 0, cancelId: 0, noLink: true };
      const parent = window();
      const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return response === 1;
    },
  };
}
