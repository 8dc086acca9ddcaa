import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-dir';

/**
 * Where the Electron binary is, or null, found the way node_modules/electron/index.js finds it but
 * without its fallback: requiring `electron` (or letting Playwright do it) when the binary is
 * missing starts a download, which has nowhere to go on a machine without internet. Electron >= 45
 * downloads lazily: path.txt names the executable inside dist/ once it has been fetched.
 */
function findElectronBinary(): string | null {
  let electronDir: string;
  try {
    electronDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, executable || 'electron') : executable ? path.join(electronDir, 'dist', executable) : null;
  return candidate && existsSync(candidate) ? candidate : null;
}

/** Electron on Linux needs a display server (xvfb-run in CI). */
function hasDisplay(): boolean {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

const electronBinary = findElectronBinary();
const skipReason = electronBinary === null ? 'Electron binary not present' : !hasDisplay() ? 'no display (DISPLAY and WAYLAND_DISPLAY are unset; run under xvfb-run)' : null;
if (skipReason) console.log(`${skipReason}: smoke test skipped`);

const mainScript = path.join(repoRoot, 'out', 'main', 'index.js');

describe('Electron shell', () => {
  let app: ElectronApplication | null = null;
  let dataDir: string | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    dataDir = null;
  });

  it.skipIf(skipReason !== null)('opens a locked-down window with the renderer and its bridge, and denies navigation', async () => {
    if (!existsSync(mainScript)) throw new Error(`No main-process build at ${mainScript}: run \`npm run build\` first.`);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-electron-'));
    app = await electron.launch({
      // Given explicitly: without it Playwright requires `electron`, which may start a download.
      executablePath: electronBinary as string,
      args: [mainScript, `--user-data-dir=${path.join(dataDir, 'user-data')}`],
      cwd: repoRoot,
      env: { ...process.env, LATCHKEY_VAULT_DIR: path.join(dataDir, 'vault') } as Record<string, string>,
      timeout: 30_000,
    });
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');

    // The window, its title, and where the renderer is served from (app://, not file://).
    expect(await page.title()).toBe('Latchkey');
    expect(page.url()).toMatch(/^app:\/\/latchkey\//);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => window.getTitle()))).toEqual(['Latchkey']);

    // contextIsolation and sandbox on, nodeIntegration off: the page sees the preload's bridge and nothing of Node.
    const exposure = await page.evaluate(() => {
      const scope = window as unknown as { latchkey?: { invoke?: unknown; onEvent?: unknown }; process?: unknown; require?: unknown };
      return {
        latchkey: typeof scope.latchkey,
        invoke: typeof scope.latchkey?.invoke,
        onEvent: typeof scope.latchkey?.onEvent,
        processUndefined: scope.process === undefined,
        requireType: typeof scope.require,
      };
    });
    expect(exposure).toEqual({ latchkey: 'object', invoke: 'function', onEvent: 'function', processUndefined: true, requireType: 'undefined' });

    // A real round trip: preload -> ipcMain (origin checked) -> handler -> vault folder (empty).
    const status = await page.evaluate(() => (window as unknown as { latchkey: { invoke: (channel: string) => Promise<unknown> } }).latchkey.invoke('vault:status'));
    expect(status).toEqual({ ok: true, value: { state: 'missing', hasPasswordSlot: false, hasKeychainSlot: false } });

    // Navigation away is denied: the page stays on app://latchkey.
    type Recorder = { __latchkeyNavigations?: string[] };
    await app.evaluate(({ BrowserWindow }) => {
      const recorder = globalThis as unknown as Recorder;
      recorder.__latchkeyNavigations = [];
      BrowserWindow.getAllWindows()[0]?.webContents.on('will-navigate', (_event, url) => recorder.__latchkeyNavigations?.push(url));
    });
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await expect.poll(() => app?.evaluate(() => (globalThis as unknown as Recorder).__latchkeyNavigations ?? []), { timeout: 10_000 }).toContain('https://example.com/');
    await page.waitForTimeout(1_000);
    expect(page.url()).toMatch(/^app:\/\/latchkey\//);
    expect(await page.evaluate(() => location.origin)).toBe('app://latchkey');

    // New windows are denied too.
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });
});
