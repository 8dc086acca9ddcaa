import { describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/main/ipc';
import { codeForStatus, PROVIDER_NAMES, type ProviderId } from '../../electron/main/providers';
import { ERROR_SENTENCES } from '../../shared/errors';
import type { ConnectionForm } from '../../shared/providers';
import { seededRandom } from '../support/seeded-random';
import type { ContractServer, Fault } from '../contract/support/contract-server';
import { vaultSnapshot } from '../contract/support/cli-vault';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from '../contract/support/fixtures';
import { type HeldLock, useLockHolder } from '../contract/support/hold-writer-lock';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';

/**
 * Every endpoint of every provider against every fault, through the production renderer over a
 * real vault: the error sentence (with the request id) in the page, the retry wait while a 429 is
 * waited out, a page that stays usable, and a vault left as it was by a failure.
 */
const browser = useChromium();
const track = useContractServers();
const holdLock = useLockHolder();
const SHOTS = process.env.LATCHKEY_SHOTS_DIR ?? '/tmp';
/** The providers' timeout in these sessions; the slow fault waits far longer. */
const TIMEOUT_MS = 1_000;
const SLOW_MS = 60_000;

type Expected = { ok: true; text: RegExp } | { ok: false; texts: string[]; notTexts?: string[]; requestId?: boolean; vault: 'unchanged' | 'changed' };

interface WindowCase {
  label: string;
  fault: Fault;
  times?: number;
  /** Shown in the page while the call waits to retry. */
  progress?: string;
  expect: Expected;
}

type Label = 'slow' | 'schema-break' | 'invalid-json' | 'reset';

/** The fault table of one endpoint, failures first, then the two that end in success. */
function windowCases(provider: ProviderId, server: ContractServer, success: RegExp, overrides: Partial<Record<Label, Expected>> = {}, { successes = true } = {}): WindowCase[] {
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

interface Target {
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

const outcomeLocator = (app: AppUnderTest) => app.page.getByTestId('provider-outcome');

async function runCount(app: AppUnderTest): Promise<number> {
  const outcome = outcomeLocator(app);
  return (await outcome.count()) === 0 ? 0 : Number(await outcome.getAttribute('data-run'));
}

/** Runs one case: the fault queued, the call started in the page, its outcome read once the call ended. */
async function runCase(target: Target, testCase: WindowCase): Promise<string> {
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

async function runCases(target: Target, cases: WindowCase[], label: string): Promise<void> {
  for (const testCase of cases) {
    try {
      await runCase(target, testCase);
    } catch (error) {
      if (error instanceof Error) error.message = `${label}, ${testCase.label}: ${error.message}`;
      throw error;
    }
  }
}

async function session(options: { colorScheme: 'light' | 'dark'; viewport: { width: number; height: number } }, run: (app: AppUnderTest, consoleTexts: string[]) => Promise<void>): Promise<void> {
  const app = await openApp(browser(), { ...options, providerHttp: { timeoutMs: TIMEOUT_MS } });
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
async function connectedPage(app: AppUnderTest, uri: string, name: string, connection: ConnectionForm): Promise<string> {
  const account = await app.services.accounts.addFromUri(uri);
  const connected = await dispatch(app.services.handlers, 'providers:connect', { accountId: account.id, connection });
  expect(connected).toMatchObject({ ok: true });
  await app.page.getByRole('button', { name: `Backup codes of ${name}` }).click();
  await app.page.getByRole('button', { name: 'Provider', exact: true }).click();
  await app.page.getByRole('heading', { name }).waitFor();
  return account.id;
}

const click = (app: AppUnderTest, name: string, confirm?: string) => async () => {
  await app.page.getByRole('button', { name, exact: true }).click();
  if (confirm !== undefined) await app.page.getByRole('dialog').getByRole('button', { name: confirm, exact: true }).click();
};

const STORED = /^Stored \d+ backup codes as the current set\.$/;
const OLD_CODES = 'The old codes may have stopped working';
const regenerateOverrides: Partial<Record<Label, Expected>> = {
  slow: { ok: false, texts: ['No answer after 1 s.', OLD_CODES], vault: 'unchanged' },
  'schema-break': { ok: false, texts: ['did not match the documented shape', OLD_CODES], requestId: true, vault: 'unchanged' },
  'invalid-json': { ok: false, texts: ['The answer was not JSON.', OLD_CODES], requestId: true, vault: 'unchanged' },
};

describe('provider faults in the window', () => {
  it('MoonKey: fetch, and sign in with a code whose answer is lost (may be spent, marked used)', async () => {
    await session({ colorScheme: 'dark', viewport: { width: 1200, height: 800 } }, async (app, consoleTexts) => {
      const f = await moonKeyFixture(seededRandom('e2e-faults-moonkey'), track);
      const accountId = await connectedPage(app, 'otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey', 'MoonKey (alice)', {
        provider: 'moonkey',
        baseUrl: f.server.url,
        userId: f.userId,
        credentials: { apiKey: f.apiKey },
      });
      const secrets = () => [...f.secrets, ...f.user.used];
      const base = { app, server: f.server, provider: 'moonkey' as const, method: 'POST', secrets };
      await runCases({ ...base, path: '/v1/auth/totps/recovery_codes', start: click(app, 'Fetch codes'), progressShot: `${SHOTS}/provider-progress-large-dark.png` }, windowCases('moonkey', f.server, STORED), 'fetch');

      const unused = () => app.services.recovery.forAccount(accountId).unused;
      const maybeSpent: Expected = { ok: false, texts: [ERROR_SENTENCES.PROVIDER_OUTCOME_UNKNOWN, 'The recovery code may have been spent.', 'Latchkey marked it used'], notTexts: ['accepted'], vault: 'changed' };
      const acceptedUnreadable = (text: string): Expected => ({ ok: false, texts: [text, 'MoonKey accepted the recovery code, so it is marked used.'], requestId: true, vault: 'changed' });
      const signIn = { ...base, path: '/v1/auth/totps/recovery', start: click(app, 'Sign in with a code…', 'Spend a code') };
      const signInCases = windowCases('moonkey', f.server, /^MoonKey accepted the code for .+\. It is marked used; \d+ unused left\.$/, {
        slow: maybeSpent,
        reset: maybeSpent,
        'schema-break': acceptedUnreadable('did not match the documented shape'),
        'invalid-json': acceptedUnreadable('The answer was not JSON.'),
      });
      const before = unused();
      await runCases(signIn, signInCases.slice(0, -2), 'sign in');
      // Slow, unreadable twice, reset: four codes marked used, none of them reported as accepted by a lost answer.
      expect(unused()).toBe(before - 4);
      await app.page.screenshot({ path: `${SHOTS}/provider-maybe-spent-large-dark.png` });
      await runCases(signIn, signInCases.slice(-2), 'sign in');
      expect(unused()).toBe(before - 6);
      for (const text of consoleTexts) for (const secret of secrets()) expect(text).not.toContain(secret);
    });
  });

  it('Stytch: fetch, with its four documented error bodies', async () => {
    await session({ colorScheme: 'dark', viewport: { width: 460, height: 760 } }, async (app) => {
      const f = await stytchFixture(seededRandom('e2e-faults-stytch'), track);
      await connectedPage(app, 'otpauth://totp/Stytch:bob?secret=JBSWY3DPEHPK3PXP&issuer=Stytch', 'Stytch (bob)', {
        provider: 'stytch',
        baseUrl: f.server.url,
        userId: f.userId,
        credentials: { projectId: f.projectId, secret: f.secret },
      });
      const target = { app, server: f.server, provider: 'stytch' as const, method: 'POST', path: '/v1/totps/recovery_codes', secrets: () => f.secrets, start: click(app, 'Fetch codes'), progressShot: `${SHOTS}/provider-progress-small-dark.png` };
      const cases = windowCases('stytch', f.server, STORED);
      await runCases(target, cases.slice(0, 4), 'fetch');
      await app.page.screenshot({ path: `${SHOTS}/provider-error-small-dark.png` });
      await expectAccessible(app.page, 'provider page with an error');
      await runCases(target, cases.slice(4), 'fetch');
    });
  });

  it('Arklow: regenerate against every fault, then a regenerate whose save fails shows the codes once', async () => {
    await session({ colorScheme: 'light', viewport: { width: 460, height: 760 } }, async (app, consoleTexts) => {
      const f = await arklowFixture(seededRandom('e2e-faults-arklow'), track);
      const accountId = await connectedPage(app, 'otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow', 'Arklow (carol)', {
        provider: 'arklow',
        baseUrl: f.server.url,
        deviceId: f.deviceId,
        credentials: { apiKey: f.apiKey },
      });
      const seen = new Set([f.apiKey]);
      const secrets = () => {
        for (const code of f.device.codes) seen.add(code);
        return [...seen];
      };
      const target = { app, server: f.server, provider: 'arklow' as const, method: 'POST', path: '/v1/self/mfa/regenerate/totp', secrets, start: click(app, 'New codes…', 'Make new codes'), progressShot: `${SHOTS}/provider-progress-small-light.png` };
      const cases = windowCases('arklow', f.server, STORED, regenerateOverrides);
      await runCases(target, cases.slice(0, 1), 'regenerate');
      await app.page.screenshot({ path: `${SHOTS}/provider-error-small-light.png` });
      await runCases(target, cases.slice(1), 'regenerate');

      // The save fails for real: another process holds the vault's writer lock.
      const ledgerBefore = app.services.recovery.forAccount(accountId);
      const before = vaultSnapshot(app.vaultDir);
      const oldCodes = [...f.device.codes];
      const lock = await holdLock(app.vaultDir);
      const runsBefore = await runCount(app);
      await click(app, 'New codes…', 'Make new codes')();
      const outcome = app.page.locator(`[data-testid="provider-outcome"][data-run="${runsBefore + 1}"]`);
      await outcome.waitFor();
      await lock.release();
      expect(await outcome.textContent()).toContain(ERROR_SENTENCES.VAULT_BUSY);
      const warning = app.page.getByTestId('unsaved-codes');
      expect(await warning.textContent()).toContain('These new codes could not be saved, and the old ones no longer work.');
      expect(await warning.locator('code').allTextContents()).toEqual(f.device.codes);
      const pageText = await app.page.locator('body').innerText();
      for (const code of f.device.codes) expect(pageText.split(code).length - 1, code).toBe(1);
      for (const code of oldCodes) expect(pageText).not.toContain(code);
      expect(vaultSnapshot(app.vaultDir)).toEqual(before);
      expect(app.services.recovery.forAccount(accountId)).toEqual(ledgerBefore);
      await app.page.screenshot({ path: `${SHOTS}/provider-unsaved-small-light.png`, fullPage: true });
      await expectAccessible(app.page, 'provider page with unsaved codes');
      await warning.getByRole('button', { name: 'I wrote them down' }).click();
      await warning.waitFor({ state: 'detached' });
      const after = await app.page.content();
      for (const code of f.device.codes) expect(after).not.toContain(code);
      // The page still works: the next regenerate is saved.
      const runsAfter = await runCount(app);
      await click(app, 'New codes…', 'Make new codes')();
      expect(await app.page.locator(`[data-testid="provider-outcome"][data-run="${runsAfter + 1}"]`).textContent()).toMatch(STORED);
      expect(app.services.recovery.forAccount(accountId).sets.find((set) => set.current)?.count).toBe(f.device.codes.length);
      for (const text of consoleTexts) for (const secret of secrets()) expect(text).not.toContain(secret);
    });
  });

  it('Misakey: enroll start and finish, regenerate and delete against every fault', async () => {
    await session({ colorScheme: 'light', viewport: { width: 1200, height: 800 } }, async (app) => {
      const { page } = app;
      const f = await misakeyFixture(seededRandom('e2e-faults-misakey'), track);
      const seen = new Set([f.accessToken, f.csrfToken]);
      const secrets = () => {
        for (const code of f.identity.codes) seen.add(code);
        if (f.identity.totpSecret !== null) seen.add(f.identity.totpSecret);
        return [...seen];
      };
      const openEnroll = async () => {
        await page.keyboard.press('Control+n');
        await page.getByRole('button', { name: 'Enroll with Misakey' }).click();
        await page.getByLabel('Identity id').fill(f.identityId);
        await page.getByLabel('Access token').fill(f.accessToken);
        await page.getByLabel('CSRF token').fill(f.csrfToken);
        await page.getByLabel('Server').fill(f.server.url);
      };
      const enrolled = () => page.getByText(`Misakey · ${f.identityId}`).waitFor();
      const enrollPath = `/identities/${f.identityId}/totp/enroll`;
      const base = { app, server: f.server, provider: 'misakey' as const, secrets, start: click(app, 'Enroll'), waitForSuccess: enrolled, formHoldsCredentials: true, progressShot: `${SHOTS}/provider-enroll-progress-large-light.png` };
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await openEnroll();
      const startCases = windowCases('misakey', f.server, /./);
      await runCases({ ...base, path: enrollPath, method: 'GET' }, startCases.filter((c) => !c.label.endsWith('then success')), 'enroll start');

      // A finish that fails leaves the enrollment started; each attempt below continues it.
      await openEnroll();
      const leaveStarted = async () => {
        f.server.inject({ kind: 'documented-error', name: 'unauthorized' }, { path: enrollPath, method: 'POST' });
        const runsBefore = await runCount(app);
        await click(app, 'Enroll')();
        await page.locator(`[data-testid="provider-outcome"][data-run="${runsBefore + 1}"]`).waitFor();
      };
      await leaveStarted();
      await page.screenshot({ path: `${SHOTS}/provider-enroll-error-large-light.png` });
      const lost = (text: string): Expected => ({ ok: false, texts: [text, 'run it again'], vault: 'changed' });
      const finishCases = windowCases('misakey', f.server, /./, {
        slow: lost('No answer after 1 s.'),
        'schema-break': lost('did not match the documented shape'),
        'invalid-json': lost('The answer was not JSON.'),
        reset: lost('The connection was cut before the answer arrived.'),
      });
      // A flow Misakey no longer knows (and never finished) is forgotten, and the page says to start over.
      const notFound = finishCases.find((testCase) => testCase.label === 'documented not-found') as WindowCase;
      const finish = { ...base, path: enrollPath, method: 'POST' };
      await runCases(finish, [{ ...notFound, expect: { ok: false, texts: ['enrollment flow not found', 'enroll again to start over'], requestId: true, vault: 'changed' } }], 'enroll finish');
      await leaveStarted();
      // The first success ends the enrollment (the page moves to the new account): one success here.
      await runCases(finish, finishCases.filter((testCase) => testCase !== notFound && testCase.label !== '503 then success'), 'enroll finish');
      await page.screenshot({ path: `${SHOTS}/provider-enrolled-large-light.png` });

      const target = { app, server: f.server, provider: 'misakey' as const, secrets, method: 'POST' };
      await runCases({ ...target, path: `/identities/${f.identityId}/totp/recovery-codes`, start: click(app, 'New codes…', 'Make new codes') }, windowCases('misakey', f.server, STORED, regenerateOverrides), 'regenerate');
      const mayHaveDeleted = (text: string, requestId: boolean): Expected => ({ ok: false, texts: [text, 'Misakey may have deleted the TOTP secret.'], requestId, vault: 'unchanged' });
      const deleteCases = windowCases('misakey', f.server, /^Misakey deleted the TOTP secret\./, {
        slow: mayHaveDeleted('No answer after 1 s.', false),
        'schema-break': mayHaveDeleted('The answer had a body where none is documented.', true),
        'invalid-json': mayHaveDeleted('The answer had a body where none is documented.', true),
      });
      const deleteTarget = { ...target, method: 'DELETE', path: `/identities/${f.identityId}/totp`, start: click(app, 'Turn off at Misakey…', 'Turn off') };
      for (const testCase of deleteCases) {
        // A success deletes the secret; the next case needs one to delete again.
        f.identity.totpSecret ??= 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
        await runCases(deleteTarget, [testCase], 'delete');
      }
    });
  });

  it('Misakey enroll: Misakey finishes but the save fails; the page shows the codes once and stays', async () => {
    await session({ colorScheme: 'dark', viewport: { width: 460, height: 760 } }, async (app, consoleTexts) => {
      const { page } = app;
      const f = await misakeyFixture(seededRandom('e2e-faults-enroll-save'), track);
      const enrollPath = `/identities/${f.identityId}/totp/enroll`;
      let lock: HeldLock | null = null;
      // While Misakey finishes, another process takes the vault's writer lock: the save after the finish fails.
      f.server.onRequest = async ({ method, path }) => {
        if (method === 'POST' && path === enrollPath && lock === null) lock = await holdLock(app.vaultDir);
      };
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await page.keyboard.press('Control+n');
      await page.getByRole('button', { name: 'Enroll with Misakey' }).click();
      await page.getByLabel('Identity id').fill(f.identityId);
      await page.getByLabel('Access token').fill(f.accessToken);
      await page.getByLabel('CSRF token').fill(f.csrfToken);
      await page.getByLabel('Server').fill(f.server.url);
      await page.getByRole('button', { name: 'Enroll', exact: true }).click();
      const outcome = page.locator('[data-testid="provider-outcome"][data-run="1"]');
      await outcome.waitFor();
      await (lock as HeldLock | null)?.release();
      f.server.onRequest = null;
      expect(await outcome.textContent()).toContain(ERROR_SENTENCES.VAULT_BUSY);
      const warning = page.getByTestId('unsaved-codes');
      expect(await warning.textContent()).toContain('Misakey finished the enrollment and the account was added, but its backup codes could not be saved.');
      expect(await warning.locator('code').allTextContents()).toEqual(f.identity.codes);
      const text = await page.locator('body').innerText();
      for (const code of f.identity.codes) expect(text.split(code).length - 1, code).toBe(1);
      await page.screenshot({ path: `${SHOTS}/provider-enroll-unsaved-small-dark.png`, fullPage: true });
      await expectAccessible(page, 'enroll page with unsaved codes');
      await warning.getByRole('button', { name: 'I wrote them down' }).click();
      await warning.waitFor({ state: 'detached' });
      for (const code of f.identity.codes) expect(await page.content()).not.toContain(code);
      for (const message of consoleTexts) for (const secret of [f.accessToken, f.csrfToken, ...f.identity.codes]) expect(message).not.toContain(secret);
      // The account is there (its secret was saved before the finish).
      expect(app.services.accounts.list()).toHaveLength(1);
    });
  });
});
