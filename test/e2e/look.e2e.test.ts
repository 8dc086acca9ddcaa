import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { centred, drawQrCodes, greyscalePng } from '../support/qr-images';
import { repoRoot } from '../support/temp-dir';
import { launchChromium, openApp, stopRendererServer } from './support/app';
import { createVault, expectAccessible, realisticAccounts, seed } from './support/fixtures';

/**
 * Every main view (and the first-run screen) in both themes: no serious or critical axe violation, and a screenshot for the
 * README (docs/screenshots/<view>-<theme>.png).
 */
const SCREENSHOTS = path.join(repoRoot, 'docs', 'screenshots');

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

describe.each(['light', 'dark'] as const)('the %s theme', (theme) => {
  it('unlock, list, add form, settings and scanning are accessible, and look right', async () => {
    const first = await openApp(browser, { colorScheme: theme, deviceScaleFactor: 2 });
    await first.page.getByRole('button', { name: 'Create vault' }).waitFor();
    await expectAccessible(first.page, `first run (${theme})`);
    await shoot(first.page, 'welcome', theme);
    await createVault(first, { password: 'correct horse battery staple', useKeychain: false });
    await seed(first, realisticAccounts());
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
});
