import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centred, drawQrCodes, greyscalePng } from '../support/qr-images';
import { repoRoot } from '../support/temp-dir';
import type { MainServices } from '../../electron/main/ipc';
import { launchChromium, openApp, stopRendererServer } from './support/app';
import { createVault, expectAccessible, realisticAccounts, seed } from './support/fixtures';

/**
 * Every main view (and the first-run screen) in both themes: no serious or critical axe violation, and a screenshot
 * (<view>-<theme>.png). The README's pictures in docs/screenshots are rewritten only when asked
 * (LATCHKEY_UPDATE_SCREENSHOTS=1), so that a test run leaves the working tree as it found it.
 */
const SCREENSHOTS = process.env.LATCHKEY_UPDATE_SCREENSHOTS === '1' ? path.join(repoRoot, 'docs', 'screenshots') : path.join(os.tmpdir(), 'latchkey-screenshots');

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stopRendererServer();
});

async function shoot(page: Page, view: string, theme: string): Promise<void> {
  // Animations (dialogs, toasts) settle before the picture is taken.
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${view}-${theme}.png`) });
}

/** Backup codes for three accounts, so the list shows its badges: plenty, two left, none left. */
async function addSomeBackupCodes(services: MainServices): Promise<void> {
  const accounts = services.accounts.list();
  const byIssuer = (issuer: string) => accounts.find((account) => account.issuer === issuer)?.id as string;
  const github = await services.recovery.addCodes(byIssuer('GitHub'), ['3f9a1-c27d4', '8b0e6-41f93', 'a72c5-d90e8', '51d3b-6f2a7', 'c08f4-9e3b1', '7e6a2-b15d9', 'd4c91-0a7f6', '29b7e-c3d58'], 'file');
  await services.recovery.setUsed(github.id, 0, true);
  await services.recovery.addCodes(byIssuer('Google'), ['8436 1972', '5094 3618'], 'pasted');
  const stripe = await services.recovery.addCodes(byIssuer('Stripe'), ['k3v9-x2pd'], 'pasted');
  await services.recovery.setUsed(stripe.id, 0, true);
}

describe.each(['light', 'dark'] as const)('the %s theme', (theme) => {
  it('unlock, list, add form, settings and scanning are accessible, and look right', async () => {
    const first = await openApp(browser, { colorScheme: theme, deviceScaleFactor: 2 });
    await first.page.getByRole('button', { name: 'Create vault' }).waitFor();
    await expectAccessible(first.page, `first run (${theme})`);
    await shoot(first.page, 'welcome', theme);
    await createVault(first, { password: 'correct horse battery staple', useKeychain: false });
    await seed(first, realisticAccounts());
    await addSomeBackupCodes(first.services);
    const app = await first.restart();
    const { page } = app;
    try {
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);

      // Unlock screen (password vault: the field and the button are there).
      await page.getByLabel('Password', { exact: true }).waitFor();
      await expectAccessible(page, `unlock (${theme})`);
      await shoot(page, 'unlock', theme);

      await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await expect.poll(() => page.getByTestId('code').count()).toBeGreaterThanOrEqual(8);
      await expectAccessible(page, `list (${theme})`);
      // A selected row, as after a click: its edit button shows, and the copy is confirmed.
      await page.getByTestId('account-row').filter({ hasText: 'Google' }).click();
      await page.getByRole('status').getByText('Copied — clears in 30 s').waitFor();
      await page.mouse.move(0, 0);
      await expectAccessible(page, `list with a selection (${theme})`);
      await shoot(page, 'list', theme);

      await page.getByRole('button', { name: 'Add account' }).click();
      await page.getByLabel('Service').fill('Linear');
      await page.getByLabel('Account name').fill('alice@acme.io');
      await page.getByLabel('Secret key').fill('JBSW Y3DP EHPK 3PX!');
      await page.getByText(/not valid base32/).waitFor();
      await expectAccessible(page, `add form (${theme})`);
      await shoot(page, 'add', theme);

      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await expectAccessible(page, `settings (${theme})`);
      await shoot(page, 'settings', theme);

      // Scanning: a picture with a QR code, read and waiting for confirmation.
      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await page.getByRole('button', { name: 'Scan QR code' }).click();
      await page.getByRole('radio', { name: 'Image' }).check();
      const link = 'otpauth://totp/Figma:alice%40acme.io?secret=JBSWY3DPEHPK3PXP&issuer=Figma';
      const png = greyscalePng(400, 400, drawQrCodes(400, 400, [centred(link, 400, 400)]));
      await page.getByLabel('Image file with a QR code').setInputFiles({ name: 'figma-setup.png', mimeType: 'image/png', buffer: png });
      await page.getByText('Account found').waitFor();
      await expectAccessible(page, `scan (${theme})`);
      await shoot(page, 'scan', theme);
    } finally {
      await app.close();
    }
  });

  it('backup codes, I’m locked out and the lockout risk are accessible, and look right', async () => {
    const app = await openApp(browser, { colorScheme: theme, deviceScaleFactor: 2 });
    const { page, services } = app;
    try {
      await createVault(app, { useKeychain: true });
      await seed(app, realisticAccounts());
      const accounts = services.accounts.list();
      const byIssuer = (issuer: string) => accounts.find((account) => account.issuer === issuer)?.id as string;
      const github = byIssuer('GitHub');
      await services.accounts.edit(github, { notes: 'Recovery e-mail: alice@example.com\nOrg owner of acme' });
      const codes = ['3f9a1-c27d4', '8b0e6-41f93', 'a72c5-d90e8', '51d3b-6f2a7', 'c08f4-9e3b1', '7e6a2-b15d9', 'd4c91-0a7f6', '29b7e-c3d58'];
      const set = await services.recovery.addCodes(github, codes, 'file');
      await services.recovery.setUsed(set.id, 0, true);
      await services.recovery.setUsed(set.id, 1, true);
      await services.recovery.addCodes(byIssuer('Google'), ['8436 1972', '5094 3618'], 'pasted');
      const stripe = await services.recovery.addCodes(byIssuer('Stripe'), ['k3v9-x2pd'], 'pasted');
      await services.recovery.setUsed(stripe.id, 0, true);
      await expect.poll(() => page.getByTestId('recovery-badge').count()).toBeGreaterThanOrEqual(8);

      await page.getByTestId('account-row').filter({ hasText: 'GitHub' }).hover();
      await page.getByRole('button', { name: /^Backup codes of GitHub/ }).click();
      await page.getByRole('button', { name: 'Reveal all' }).click();
      await page.locator('.recovery-code-text', { hasText: codes[7] as string }).waitFor();
      await page.getByRole('button', { name: 'Copy code 3' }).click();
      await page.getByText('Copied code 3. Mark it as used?').waitFor();
      await page.mouse.move(0, 0);
      await expectAccessible(page, `backup codes (${theme})`);
      await shoot(page, 'recovery', theme);

      await page.getByRole('button', { name: 'New codes' }).click();
      await page.getByLabel('Paste your backup codes, or drop the file the service gave you').fill('GitHub recovery codes\n\nc2qd-k7m4  l2qm-zrk1\nlz0m-02bi  ayyi-utb0\ni4l3-dxyt  aduj-eufq\n\nKeep them somewhere safe.');
      await page.getByTestId('recognised-count').waitFor();
      await expectAccessible(page, `adding backup codes (${theme})`);
      await shoot(page, 'recovery-add', theme);

      await page.getByRole('button', { name: 'Back to accounts' }).click();
      // The copy's toast goes by itself; the next pictures are without it.
      await page.getByRole('status').getByText(/^Copied/).waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'I’m locked out' }).click();
      await page.getByLabel('Which account can’t you get into?').fill('github');
      await page.getByTestId('rescue-backup-code').getByText(codes[2] as string).waitFor();
      await expectAccessible(page, `locked out (${theme})`);
      await shoot(page, 'locked-out', theme);

      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await page.getByRole('button', { name: 'Lockout risk' }).click();
      await page.getByTestId('risk-summary').waitFor();
      await expectAccessible(page, `lockout risk (${theme})`);
      await shoot(page, 'risk', theme);
    } finally {
      await app.close();
    }
  });
});
