import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/errors';
import { seededRandom } from '../support/seeded-random';
import { vaultSnapshot } from '../contract/support/cli-vault';
import { arklowFixture, misakeyFixture, useContractServers } from '../contract/support/fixtures';
import { type HeldLock, useLockHolder } from '../contract/support/hold-writer-lock';
import { useChromium } from './support/app';
import { expectAccessible } from './support/fixtures';
import { click, connectedPage, fillMisakeyEnrollForm, runCount, session, STORED } from './support/provider-faults';

/**
 * "When a regenerate call succeeds but the save fails, the new codes are still shown once with a
 * plain warning, so that they are not lost" (and the same for the codes of a finished enrollment).
 * The save fails for real: another process holds the vault's writer lock.
 */
const browser = useChromium();
const track = useContractServers();
const holdLock = useLockHolder();
const SHOTS = process.env.LATCHKEY_SHOTS_DIR ?? '/tmp';

describe('provider codes whose save fails, in the window', () => {
  it('Arklow regenerate: the new codes are shown once with the warning; the ledger keeps the old set', async () => {
    await session(browser(), { colorScheme: 'light', viewport: { width: 460, height: 760 } }, async (app, consoleTexts) => {
      const f = await arklowFixture(seededRandom('e2e-save-arklow'), track);
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
      await click(app, 'New codes…', 'Make new codes')();
      expect(await app.page.locator('[data-testid="provider-outcome"][data-run="1"]').textContent()).toMatch(STORED);

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

  it('Misakey enroll: Misakey finishes but the save fails; the page shows the codes once and stays', async () => {
    await session(browser(), { colorScheme: 'dark', viewport: { width: 460, height: 760 } }, async (app, consoleTexts) => {
      const { page } = app;
      const f = await misakeyFixture(seededRandom('e2e-faults-enroll-save'), track);
      const enrollPath = `/identities/${f.identityId}/totp/enroll`;
      let lock: HeldLock | null = null;
      // While Misakey finishes, another process takes the vault's writer lock: the save after the finish fails.
      f.server.onRequest = async ({ method, path }) => {
        if (method === 'POST' && path === enrollPath && lock === null) lock = await holdLock(app.vaultDir);
      };
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await fillMisakeyEnrollForm(page, { ...f, serverUrl: f.server.url });
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
