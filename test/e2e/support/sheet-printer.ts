import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { RecoverySheetPort } from '../../../electron/main/ipc';

/**
 * The recovery sheet's PDF in the harness: Chromium's page.pdf renders the HTML the main process
 * built (Electron's printToPDF does the same in the app), and the file lands in a folder of the
 * test's data directory instead of a save dialog's choice.
 */
export class ChromiumSheetPrinter implements RecoverySheetPort {
  readonly saved: string[] = [];

  constructor(private readonly browser: Browser, private readonly dir: string) {}

  async savePdf(html: string, suggestedName: string): Promise<{ saved: boolean; fileName: string | null }> {
    // A context of its own with JavaScript off: the sheet is static, and nothing may be fetched.
    const context = await this.browser.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, suggestedName);
      writeFileSync(file, pdf, { mode: 0o600 });
      this.saved.push(file);
      return { saved: true, fileName: suggestedName };
    } finally {
      await context.close();
    }
  }
}
