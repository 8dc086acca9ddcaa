import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { dispatch } from '../../../electron/main/ipc';
import { codeForStatus, PROVIDER_NAMES, type ProviderId } from '../../../electron/main/providers';
import { ERROR_SENTENCES } from '../../../shared/errors';
import type { ConnectionForm } from '../../../shared/providers';
import type { ContractServer, Fault } from '../../contract/support/contract-server';
import { vaultSnapshot } from '../../contract/support/cli-vault';
import { type AppUnderTest, openApp } from './app';
import { createVault } from './fixtures';

/**
 * The provider fault table as the window shows it (providers-faults and providers-save e2e files):
 * each fault queued on the contract server, the call started in the page, its outcome read once the
 * call ended (the outcome's data-run counter), the vault compared before and after.
 */

/** The providers' timeout in these sessions; the slow fault waits far longer. */
export const TIMEOUT_MS = 1_000;
export const SLOW_MS = 60_000;

export type Expected = { ok: true; text: RegExp } | { ok: false; texts: string[]; notTexts?: string[]; requestId?: boolean; vault: 'unchanged' | 'changed' };

export interface WindowCase {
  label: string;
  fault: Fault;
  times?: number;
  /** Shown in the page while the call waits to retry. */
  progress?: string;
  expect: Expected;
}

export type Label = 'slow' | 'schema-break' | 'invalid-json' | 'reset';

/** The fault table of one endpoint, failures first, then the two that end in success. */
export function windowCases(provider: ProviderId, server: ContractServer, success: RegExp, overrides: Partial<Record<Label, Expected>> = {}, { successes = true } = {}): WindowCase[] {
  const name = PROVIDER_NAMES[provider];
  const waiting = `${name} is limiting requests; trying again in 1 s (retry 1 of 3).`;
  const cases: WindowCase[] = Object.entries(server.documentedErrors).map(([errorName, error]) => {
    const retried = error.status === 429 || error.status === 503;
    const code = error.status === 200 ? 'PROVIDER_REJECTED' : codeForStatus(error.status);
    return {
      label: `documented ${errorName}`,
      fault: { kind: 'documented-error', name: errorName, ...(retried ? { retryAfter: '0' } : {}) },
      times: retried ? 4 : 1,
      expect: { ok: false, texts: [ERROR_SENTENCES[code], `${name} said: “${error.message}`], requestId: true, vault: 'unchanged' },
    };
  });
  cases.push(
    { label: '429 exhausted', fault: { kind: 'rate-limit', retryAfter: '1' }, times: 4, progress: waiting, expect: { ok: false, texts: [ERROR_SENTENCES.PROVIDER_RATE_LIMITED, 'It asks to wait 1 s.'], requestId: true, vault: 'unchanged' } },
    { label: '503 exhausted', fault: { kind: 'unavailable', retryAfter: '0' }, times: 4, expect: { ok: false, texts: [ERROR_SENTENCES.PROVIDER_UNAVAILABLE], requestId: true, vault: 'unchanged' } },
    { label: 'slow', fault: { kind: 'slow', delayMs: SLOW_MS }, expect: overrides.slow ?? { ok: false, texts: [ERROR_SENTENCES.PROVIDER_TIMEOUT, 'No answer after 1 s.'], vault: 'unchanged' } },
    { label: 'schema-break', fault: { kind: 'schema-break' }, expect: overrides['schema-break'] ?? { ok: false, texts: [ERROR_SENTENCES.PROVIDER_BAD_RESPONSE, 'did not match the documented shape'], requestId: true, vault: 'unchanged' } },
    { label: 'invalid-json', fault: { kind: 'invalid-json' }, expect: overrides['invalid-json'] ?? { ok: false, texts: [ERROR_SENTENCES.PROVIDER_BAD_RESPONSE, 'The answer was not JSON.'], requestId: true, vault: 'unchanged' } },
  );
  if (overrides.reset) cases.push({ label: 'reset', fault: { kind: 'reset' }, expect: overrides.reset });
  if (successes) {
    // A reset of a call that is safe to repeat is retried, then succeeds.
    if (!overrides.reset) cases.push({ label: 'reset, retried', fault: { kind: 'reset' }, expect: { ok: true, text: success } });
    cases.push({ label: '503 then success', fault: { kind: 'unavailable', retryAfter: '1' }, progress: `${name} is unavailable; trying again in 1 s (retry 1 of 3).`, expect: { ok: true, text: success } });
    cases.push({ label: '429 then success', fault: { kind: 'rate-limit', retryAfter: '1' }, progress: waiting, expect: { ok: true, text: success } });
  }
  return cases;
}

export interface Target {
  app: AppUnderTest;
  server: ContractServer;
  path: string;
  method: string;
  provider: ProviderId;
  secrets: () => string[];
  /** Starts the call in the page (a click, and the confirmation where there is one). */
  start: () => Promise<void>;
  /** Waits for the end of the call that succeeded, when it leaves no outcome line (enrollment navigates). */
  waitForSuccess?: () => Promise<void>;
  formHoldsCredentials?: boolean;
  /** A screenshot of the first retry wait shown, into this file. */
  progressShot?: string;
}

export async function runCount(app: AppUnderTest): Promise<number> {
  const outcome = app.page.getByTestId('provider-outcome');
  return (await outcome.count()) === 0 ? 0 : Number(await outcome.getAttribute('data-run'));
}

/** Runs one case: the fault queued, the call started in the page, its outcome read once the call ended. */
export async function runCase(target: Target, testCase: WindowCase): Promise<string> {
  const { app, server } = target;
  const { page } = app;
  server.clearFaults();
  server.inject(testCase.fault, { times: testCase.times ?? 1, path: target.path, method: target.method });
  const before = vaultSnapshot(app.vaultDir);
  const runsBefore = await runCount(app);
  await target.start();
  if (testCase.progress !== undefined) {
    await page.getByRole('status').filter({ hasText: testCase.progress }).waitFor();
    if (target.progressShot !== undefined) await page.screenshot({ path: target.progressShot });
    target.progressShot = undefined;
  }
  const expected = testCase.expect;
  let text = '';
  if (expected.ok && target.waitForSuccess) {
    await target.waitForSuccess();
  } else {
    const outcome = page.locator(`[data-testid="provider-outcome"][data-run="${runsBefore + 1}"]`);
    await outcome.waitFor();
    text = (await outcome.textContent()) ?? '';
    expect(await outcome.getAttribute('role'), text).toBe(expected.ok ? 'status' : 'alert');
  }
  if (expected.ok) {
    if (!target.waitForSuccess) expect(text).toMatch(expected.text);
  } else {
    for (const wanted of expected.texts) expect(text).toContain(wanted);
    for (const unwanted of expected.notTexts ?? []) expect(text).not.toContain(unwanted);
    if (expected.requestId) expect(text).toMatch(new RegExp(`\\(request id request-id-${target.provider}-\\d+\\)`));
    if (expected.vault === 'unchanged') expect(vaultSnapshot(app.vaultDir)).toEqual(before);
    else expect(vaultSnapshot(app.vaultDir)).not.toEqual(before);
  }
  // The enroll form holds the credentials the person typed (for the next attempt): there, what is shown is the text.
  const shown = (target.formHoldsCredentials ? await page.locator('body').innerText() : await page.content()).toLowerCase();
  for (const secret of target.secrets()) expect(shown.includes(secret.toLowerCase()), `${testCase.label}: a secret is in the page`).toBe(false);
  return text;
}

export async function runCases(target: Target, cases: WindowCase[], label: string): Promise<void> {
  for (const testCase of cases) {
    try {
      await runCase(target, testCase);
    } catch (error) {
      if (error instanceof Error) error.message = `${label}, ${testCase.label}: ${error.message}`;
      throw error;
    }
  }
}

export async function session(browser: Browser, options: { colorScheme: 'light' | 'dark'; viewport: { width: number; height: number } }, run: (app: AppUnderTest, consoleTexts: string[]) => Promise<void>): Promise<void> {
  const app = await openApp(browser, { ...options, providerHttp: { timeoutMs: TIMEOUT_MS } });
  const consoleTexts: string[] = [];
  app.page.on('console', (message) => consoleTexts.push(message.text()));
  try {
    await createVault(app, { password: null, useKeychain: true });
    await run(app, consoleTexts);
  } finally {
    await app.close();
  }
}

/** An account connected through the handler table (the connect form has its own test), its provider page open. */
export async function connectedPage(app: AppUnderTest, uri: string, name: string, connection: ConnectionForm): Promise<string> {
  const account = await app.services.accounts.addFromUri(uri);
  const connected = await dispatch(app.services.handlers, 'providers:connect', { accountId: account.id, connection });
  expect(connected).toMatchObject({ ok: true });
  await app.page.getByRole('button', { name: `Backup codes of ${name}` }).click();
  await app.page.getByRole('button', { name: 'Provider', exact: true }).click();
  await app.page.getByRole('heading', { name }).waitFor();
  return account.id;
}

export const click = (app: AppUnderTest, name: string, confirm?: string) => async () => {
  await app.page.getByRole('button', { name, exact: true }).click();
  if (confirm !== undefined) await app.page.getByRole('dialog').getByRole('button', { name: confirm, exact: true }).click();
};

export const STORED = /^Stored \d+ backup codes as the current set\.$/;
export const OLD_CODES = 'The old codes may have stopped working';
export const regenerateOverrides: Partial<Record<Label, Expected>> = {
  slow: { ok: false, texts: ['No answer after 1 s.', OLD_CODES], vault: 'unchanged' },
  'schema-break': { ok: false, texts: ['did not match the documented shape', OLD_CODES], requestId: true, vault: 'unchanged' },
  'invalid-json': { ok: false, texts: ['The answer was not JSON.', OLD_CODES], requestId: true, vault: 'unchanged' },
};

/** The add page's "Enroll with Misakey" form, filled in for this identity (not submitted). */
export async function fillMisakeyEnrollForm(page: Page, identity: { identityId: string; accessToken: string; csrfToken: string; serverUrl: string }): Promise<void> {
  await page.keyboard.press('Control+n');
  await page.getByRole('button', { name: 'Enroll with Misakey' }).click();
  await page.getByLabel('Identity id').fill(identity.identityId);
  await page.getByLabel('Access token').fill(identity.accessToken);
  await page.getByLabel('CSRF token').fill(identity.csrfToken);
  await page.getByLabel('Server').fill(identity.serverUrl);
}
