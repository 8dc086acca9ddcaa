import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { ConfirmPort, RevealQuestion } from '../../../electron/main/accounts';
import { createMainServices, dispatch, isTrustedSender, type MainServices, type ScreenCapturePort } from '../../../electron/main/ipc';
import { OsKeychain } from '../../../electron/main/keychain';
import type { HttpClientOptions } from '../../../electron/main/providers';
import { LatchkeyError } from '../../../shared/errors';
import type { IpcEvent } from '../../../shared/ipc';
import { MemoryClipboard } from '../../support/memory-clipboard';
import { TEST_PASSWORD_COST } from '../../support/vault-fixtures';

export { MemoryClipboard };
import { type RendererServer, startRendererServer } from './renderer-server';
import { TEST_BATCH_ID } from '../../support/migration';
import { ChromiumSheetPrinter } from './sheet-printer';

export const CHROMIUM_PATH = process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium';

export interface BrowserOptions {
  /** A .y4m file Chromium's fake camera plays in a loop. */
  fakeVideo?: string;
}

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export function launchChromium(options: BrowserOptions = {}): Promise<Browser> {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
  if (options.fakeVideo) {
    args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeVideo}`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}


/**
 * The screen of the test "machine": one source showing whatever image the test puts up, standing
 * in for Electron's desktopCapturer (the one part of screen scanning that needs a real desktop).
 */
export class TestScreen implements ScreenCapturePort {
  image: string | null = null;
  async sources() {
    return this.image ? [{ id: 'screen:1:0', name: 'Entire screen', thumbnail: this.image }] : [];
  }
  async capture(sourceId: string): Promise<string> {
    if (!this.image || sourceId !== 'screen:1:0') throw new LatchkeyError('INVALID_INPUT', 'That screen or window is no longer there.');
    return this.image;
  }
}

/**
 * Main's own confirmation dialog on the test "machine" (a native message box in the app, which
 * the page cannot reach): it answers as the test says and records what it was asked.
 */
export class TestConfirm implements ConfirmPort {
  answer = true;
  readonly questions: RevealQuestion[] = [];
  async confirm(question: RevealQuestion): Promise<boolean> {
    this.questions.push(question);
    return this.answer;
  }
}

/** The save dialog of the test "machine": answers the path the test set (null: the user cancelled). */
export class TestSaveDialog {
  path: string | null = null;
  asked: string[] = [];
  folder: string | null = null;
  async chooseSavePath(suggestedName: string): Promise<string | null> {
    this.asked.push(suggestedName);
    return this.path;
  }
  async chooseFolder(): Promise<string | null> {
    return this.folder;
  }
}

/** Time for the main-process services, which a test can move forward (auto-lock). */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface AppUnderTest {
  page: Page;
  context: BrowserContext;
  services: MainServices;
  clipboard: MemoryClipboard;
  screen: TestScreen;
  confirm: TestConfirm;
  saveDialog: TestSaveDialog;
  clock: TestClock;
  /** Saves recovery sheets as PDF with Chromium's page.pdf, into dataDir/sheets. */
  sheet: ChromiumSheetPrinter;
  dataDir: string;
  vaultDir: string;
  /** Loads the page again over the same data folder, as a restart of the app would. */
  restart(): Promise<AppUnderTest>;
  close(): Promise<void>;
}

export interface OpenAppOptions {
  /** Reuse a data folder (a restart); a fresh temporary one by default. */
  dataDir?: string;
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** 2 for crisp screenshots. */
  deviceScaleFactor?: number;
  keychainService?: string;
  /** Options of the providers' HTTP client (a short timeout for slow-answer tests). */
  providerHttp?: HttpClientOptions;
}

let server: RendererServer | null = null;

async function rendererServer(): Promise<RendererServer> {
  server ??= await startRendererServer();
  return server;
}

export async function stopRendererServer(): Promise<void> {
  await server?.close();
  server = null;
}

/**
 * Opens the production renderer in a new browser context, with a test bridge in place of the
 * preload: `window.latchkey.invoke` calls the real IPC handler table (validation, services, vault
 * on disk) inside this process. Only the Electron transport differs from the app.
 */
export async function openApp(browser: Browser, options: OpenAppOptions = {}): Promise<AppUnderTest> {
  const { url, origin } = await rendererServer();
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'latchkey-e2e-'));
  const ownsDataDir = options.dataDir === undefined;
  const vaultDir = path.join(dataDir, 'vault');
  const clipboard = new MemoryClipboard();
  const clock = new TestClock();
  const screen = new TestScreen();
  const confirm = new TestConfirm();
  const sheet = new ChromiumSheetPrinter(browser, path.join(dataDir, 'sheets'));
  const saveDialog = new TestSaveDialog();
  const services = await createMainServices({
    vaultDir,
    settingsDir: dataDir,
    keychain: new OsKeychain(options.keychainService ?? 'Latchkey-test'),
    clipboard,
    screen,
    confirm,
    migrationBatchId: () => TEST_BATCH_ID,
    sheet,
    now: clock.now,
    passwordCost: TEST_PASSWORD_COST,
    saveDialogs: saveDialog,
    backupCost: { opsLimit: 1, memLimit: 1024 * 1024 },
    providerHttp: options.providerHttp,
  });

  const context = await browser.newContext({ colorScheme: options.colorScheme ?? 'light', viewport: options.viewport ?? { width: 460, height: 760 }, deviceScaleFactor: options.deviceScaleFactor ?? 1 });
  // A UI that answers in milliseconds: fail in seconds rather than after Playwright's 30 s default.
  context.setDefaultTimeout(10_000);
  // Under tsx (the bench) functions sent into the page call esbuild's `__name` helper, which only Node has.
  await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
  const page = await context.newPage();
  await page.exposeBinding('__latchkeyInvoke', async (source, channel: unknown, input: unknown) => {
    if (!isTrustedSender(source.frame.url(), [origin])) return { ok: false, error: new LatchkeyError('FORBIDDEN_ORIGIN').toPayload() };
    return dispatch(services.handlers, channel, input);
  });
  await page.addInitScript(() => {
    type Listener = (event: unknown) => void;
    const listeners = new Set<Listener>();
    const bridge = window as unknown as {
      __latchkeyInvoke: (channel: string, input: unknown) => Promise<unknown>;
      __latchkeyEmit: (event: unknown) => void;
      latchkey: unknown;
    };
    bridge.__latchkeyEmit = (event) => listeners.forEach((listener) => listener(event));
    bridge.latchkey = Object.freeze({
      invoke: (channel: string, input?: unknown) => bridge.__latchkeyInvoke(channel, input),
      onEvent: (listener: Listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
  });
  const unsubscribe = services.onEvent((event: IpcEvent) => {
    void page.evaluate((payload) => (window as unknown as { __latchkeyEmit?: (event: unknown) => void }).__latchkeyEmit?.(payload), event).catch(() => undefined);
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);

  const app: AppUnderTest = {
    page,
    context,
    services,
    clipboard,
    screen,
    confirm,
    saveDialog,
    clock,
    sheet,
    dataDir,
    vaultDir,
    async restart() {
      await closeApp(false);
      return openApp(browser, { ...options, dataDir });
    },
    close: () => closeApp(ownsDataDir),
  };

  async function closeApp(removeData: boolean): Promise<void> {
    unsubscribe();
    services.vault.lock();
    await context.close();
    if (removeData) rmSync(dataDir, { recursive: true, force: true });
    if (pageErrors.length > 0) throw new Error(`The page threw: ${pageErrors.join('; ')}`);
  }
  return app;
}

/** One Chromium for a test file, launched before its tests and closed (with the renderer server) after them. */
export function useChromium(options: BrowserOptions = {}): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    browser = await launchChromium(options);
  });
  afterAll(async () => {
    await browser?.close();
    await stopRendererServer();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not running: useChromium() must be called at the top of the test file.');
    return browser;
  };
}
