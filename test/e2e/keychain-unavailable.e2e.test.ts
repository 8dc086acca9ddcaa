import { describe, expect, it } from 'vitest';
import { seededRandom } from '../support/seeded-random';
import { openApp, useChromium } from './support/app';

/**
 * No Secret Service at all: this file runs in its own process (vitest forks one per file), pointed
 * at a session bus that does not exist before anything touches the keychain, so the real OS keychain
 * adapter fails the way it does on a machine without one. Nothing is mocked.
 */
process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=/nonexistent/latchkey-${seededRandom('no-keychain-bus').id('bus')}/bus`;

const browser = useChromium();

describe('without a system keychain', () => {
  it('says so at first run and creates the vault with a password instead', async () => {
    const app = await openApp(browser());
    try {
      const { page, services } = app;
      await page.getByRole('button', { name: 'Create vault' }).click(); // keychain on, no password
      await page.getByRole('alert').getByText('The system keychain is not available').waitFor();
      const keychain = page.getByRole('switch', { name: 'Unlock with the system keychain' });
      expect(await keychain.isChecked()).toBe(false);
      expect(await keychain.isDisabled()).toBe(true);
      expect(await page.getByLabel('New password', { exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
      expect((await services.vault.status()).state).toBe('missing');

      await page.getByLabel('New password', { exact: true }).fill('lantern 77');
      await page.getByLabel('Confirm password').fill('lantern 77');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      expect(await services.vault.status()).toEqual({ state: 'unlocked', hasPasswordSlot: true, hasKeychainSlot: false });

      // In Settings, turning the keychain on says why it cannot be done.
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('switch', { name: 'System keychain' }).click();
      const dialog = page.getByRole('dialog', { name: 'Unlock with the system keychain?' });
      await dialog.getByLabel('Current password').fill('lantern 77');
      await dialog.getByRole('button', { name: 'Turn on' }).click();
      await dialog.getByText('The system keychain is not available').waitFor();
      expect((await services.vault.status()).hasKeychainSlot).toBe(false);
    } finally {
      await app.close();
    }
  });
});
