import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CDPSession, errors, type Page } from 'playwright-core';
import { type AppUnderTest, launchChromium, openApp, stopRendererServer } from '../test/e2e/support/app';
import { rendererBuildDir } from '../test/e2e/support/renderer-server';
import { randomAccount } from './vault-bench';

const ACCOUNTS = 1_000;
const RUNS = 5;
const FIRST_CODE_TIMEOUT_MS = 10_000;
const IDLE_SECONDS = 30;
/** After the list shows, before the idle window opens: lets the first fetches and layouts finish. */
const SETTLE_MS = 3_000;
/** The DOM contract: every visible code is an element with this test id, its text the grouped digits. */
const CODE_SELECTOR = '[data-testid="code"]';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the renderer build is made from; a newer file than the build means the build is stale. */
const BUILD_INPUTS = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json', 'package-lock.json'];

export interface RendererBenchResult {
  accounts: number;
  /** Navigation start to the first frame with a code in it, vault already unlocked in main. */
  firstCodeMs: number[];
  /** In the same runs, navigation start to the end of DOMContentLoaded: the part spent loading the page. */
  domContentLoadedMs: number[];
  /** The same, with the vault locked so the page opens it through the keychain slot; null if it did not. */
  firstCodeKeychainMs: number[] | null;
  keychainNote: string | null;
  idle: IdleCpu;
}

export interface IdleCpu {
  seconds: number;
  /** Percent of one core, from Chromium's Performance metrics (deltas over the idle window). */
  taskPercent: number;
  scriptPercent: number;
  layoutPercent: number;
  recalcStylePercent: number;
  /** The whole renderer process, every thread, where Chromium reports it. */
  processPercent: number | null;
  /** Whether the list still showed codes at the end (it should: nothing locks the vault here). */
  stillShowingCodes: boolean;
}

export class RendererBenchError extends Error {}

function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(file)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry)));
  }
  return newest;
}

/** Builds out/renderer with electron-vite when it is missing or older than its sources; says why, or null. */
export function ensureRendererBuild(): string | null {
  const index = path.join(rendererBuildDir, 'index.html');
  const sourcesAt = Math.max(...BUILD_INPUTS.map((input) => newestMtime(path.join(repoRoot, input))));
  const reason = !existsSync(index) ? 'out/renderer is missing' : sourcesAt > statSync(index).mtimeMs ? 'out/renderer is older than its sources' : null;
  if (!reason) return null;
  console.log(`Building the renderer (${reason}): npx electron-vite build`);
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    throw new RendererBenchError(`npx electron-vite build failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return reason;
}

/**
 * Runs in the page before its own scripts, at every navigation: notes performance.now() (ms since
 * navigation start) in the first animation frame after a visible code with digits is in the DOM.
 */
function firstCodeProbe(selector: string): void {
  const probe = window as unknown as { __latchkeyFirstCodeAt?: number };
  const hasVisibleCode = (): boolean => {
    for (const element of document.querySelectorAll<HTMLElement>(selector)) {
      if (/\d/.test(element.textContent ?? '') && element.checkVisibility()) return true;
    }
    return false;
  };
  let found = false;
  const observer = new MutationObserver(() => {
    if (found || !hasVisibleCode()) return;
    found = true;
    observer.disconnect();
    requestAnimationFrame(() => {
      probe.__latchkeyFirstCodeAt = performance.now();
    });
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

async function describePage(page: Page): Promise<string> {
  const seen = await page
    .evaluate((selector) => ({
      codeElements: document.querySelectorAll(selector).length,
      heading: document.querySelector('h1')?.textContent?.trim() ?? null,
    }), CODE_SELECTOR)
    .catch(() => null);
  return seen ? `the page shows ${seen.codeElements} ${CODE_SELECTOR} element(s), heading ${JSON.stringify(seen.heading)}` : 'the page could not be inspected';
}

/** Reloads the page; ms from navigation start to the first frame showing a code, and to DOMContentLoaded. */
async function timeToFirstCode(page: Page, situation: string, pageErrors: readonly string[]): Promise<{ firstCodeMs: number; domContentLoadedMs: number }> {
  const errorsBefore = pageErrors.length;
  await page.reload({ waitUntil: 'commit' });
  try {
    await page.waitForFunction(() => (window as unknown as { __latchkeyFirstCodeAt?: number }).__latchkeyFirstCodeAt, undefined, {
      timeout: FIRST_CODE_TIMEOUT_MS,
      polling: 50,
    });
  } catch (error) {
    if (!(error instanceof errors.TimeoutError)) throw error;
    const thrown = pageErrors.slice(errorsBefore, errorsBefore + 3);
    throw new RendererBenchError(
      `No visible ${CODE_SELECTOR} element with digits in its text appeared within ${FIRST_CODE_TIMEOUT_MS / 1000} s of navigation ` +
        `(${ACCOUNTS} accounts, ${situation}); ${await describePage(page)}` +
        `${thrown.length > 0 ? `; the page threw: ${thrown.join('; ')}` : ''}. The renderer must render every visible code as an ` +
        `element with data-testid="code" whose text is the grouped digits (e.g. "123 456").`,
    );
  }
  return page.evaluate(() => ({
    firstCodeMs: (window as unknown as { __latchkeyFirstCodeAt: number }).__latchkeyFirstCodeAt,
    domContentLoadedMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? NaN,
  }));
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(list.map((metric) => [metric.name, metric.value]));
}

async function measureIdleCpu(page: Page): Promise<IdleCpu> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const before = await metrics(cdp);
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const after = await metrics(cdp);
    const seconds = (after.Timestamp ?? 0) - (before.Timestamp ?? 0);
    const percent = (name: string): number | null =>
      after[name] === undefined || before[name] === undefined ? null : (((after[name] as number) - (before[name] as number)) / seconds) * 100;
    const stillShowingCodes = await page.evaluate(
      (selector) => [...document.querySelectorAll<HTMLElement>(selector)].some((element) => /\d/.test(element.textContent ?? '') && element.checkVisibility()),
      CODE_SELECTOR,
    );
    return {
      seconds,
      taskPercent: percent('TaskDuration') ?? NaN,
      scriptPercent: percent('ScriptDuration') ?? NaN,
      layoutPercent: percent('LayoutDuration') ?? NaN,
      recalcStylePercent: percent('RecalcStyleDuration') ?? NaN,
      processPercent: percent('ProcessTime'),
      stillShowingCodes,
    };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/**
 * The production renderer in Debian's Chromium over the real handlers (the e2e test bridge), with
 * ACCOUNTS accounts in a keychain-only vault: time to the first code, and CPU while idle.
 */
export async function benchRenderer(): Promise<RendererBenchResult> {
  ensureRendererBuild();
  const browser = await launchChromium();
  try {
    const app = await openApp(browser, { keychainService: 'Latchkey-bench' });
    let measured: RendererBenchResult;
    try {
      measured = await measure(app);
    } catch (error) {
      // A failure already thrown says more than the page errors the harness reports on close.
      await app.close().catch(() => undefined);
      throw error;
    }
    await app.close().catch((error: unknown) => {
      throw new RendererBenchError(error instanceof Error ? error.message : String(error));
    });
    return measured;
  } finally {
    await browser.close();
    await stopRendererServer();
  }
}

async function measure({ page, services }: AppUnderTest): Promise<RendererBenchResult> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await services.vault.create({ password: null, useKeychain: true });
  await services.vault.update((content) => {
    for (let index = 0; index < ACCOUNTS; index += 1) content.accounts.push(randomAccount(index));
  });
  await page.addInitScript(firstCodeProbe, CODE_SELECTOR);

  const firstCodeMs: number[] = [];
  const domContentLoadedMs: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const timing = await timeToFirstCode(page, 'vault unlocked', pageErrors);
    firstCodeMs.push(timing.firstCodeMs);
    domContentLoadedMs.push(timing.domContentLoadedMs);
  }

  await page.waitForTimeout(SETTLE_MS);
  const idle = await measureIdleCpu(page);

  // The app's real start: the vault is locked and the page opens it through the keychain slot.
  let firstCodeKeychainMs: number[] | null = [];
  let keychainNote: string | null = null;
  try {
    for (let run = 0; run < RUNS; run += 1) {
      services.vault.lock();
      firstCodeKeychainMs.push((await timeToFirstCode(page, 'vault locked, to be opened through the keychain', pageErrors)).firstCodeMs);
    }
  } catch (error) {
    if (!(error instanceof RendererBenchError)) throw error;
    firstCodeKeychainMs = null;
    keychainNote = error.message;
  }
  return { accounts: ACCOUNTS, firstCodeMs, domContentLoadedMs, firstCodeKeychainMs, keychainNote, idle };
}
