import { BrowserWindow, dialog } from 'electron';
import type { SaveDialogPort } from '../exporters';

/** The system's save dialog for exports, over the focused window. */
export const electronSaveDialog: SaveDialogPort = {
  async chooseSavePath(suggestedName, format) {
    const window = BrowserWindow.getFocusedWindow();
    const filters = format === 'uris' ? [{ name: 'Text', extensions: ['txt'] }] : format === 'qr-html' ? [{ name: 'Web page', extensions: ['html'] }] : [{ name: 'JSON', extensions: ['json'] }];
    const options = { defaultPath: suggestedName, filters, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async chooseFolder() {
    const window = BrowserWindow.getFocusedWindow();
    const options = { title: 'Folder for automatic backups', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
};
