import { BrowserWindow, dialog, session } from 'electron';
import { writeFile } from 'node:fs/promises';
import type { RecoverySheetPort } from '../ipc';

const SHEET_PARTITION = 'latchkey-recovery-sheet';

/**
 * The recovery sheet as PDF in the app: the HTML the main process built is rendered in a hidden,
 * script-less window whose session can fetch nothing, printed with printToPDF, and written where
 * the user chooses in a save dialog. (The end-to-end harness does the same with Chromium's page.pdf.)
 */
export function electronSheetPrinter(parent: () => BrowserWindow | null): RecoverySheetPort {
  return {
    async savePdf(html, suggestedName) {
      const pdf = await renderPdf(html);
      const owner = parent();
      const options = { defaultPath: suggestedName, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return { saved: false, fileName: null };
      // Only the user can read the sheet: it holds backup codes.
      await writeFile(choice.filePath, pdf, { mode: 0o600 });
      return { saved: true, fileName: choice.filePath.split(/[\\/]/).pop() ?? suggestedName };
    },
  };
}

async function renderPdf(html: string): Promise<Uint8Array> {
  const sheetSession = session.fromPartition(SHEET_PARTITION, { cache: false });
  // The sheet is self-contained (the QR codes are data: URLs); anything else it asks for is refused.
  sheetSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !details.url.startsWith('data:') }));
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false, session: sheetSession },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    window.destroy();
  }
}
