import { describe, expect, it } from 'vitest';
import { openApp, useChromium } from './support/app';
import { expectAccessible } from './support/fixtures';

/** Settings change the app at once and are saved; the vault's ways in are added and removed safely. */
const browser = useChromium();

describe('settings', () => {
  it('theme, auto-lock and the preferences apply at once and are saved', async () => {
    const app = await openApp(browser(), { colorScheme: 'light' });
    try {
      const { page, services } = app;
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('button', { name: 'Settings' }).click();
      const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
      expect(await theme()).toBe('light');

      await page.getByRole('radio', { name: 'Dark' }).check();
      await expect.poll(theme).toBe('dark');
      await expect.poll(() => services.settings.get().theme).toBe('dark');
      // 'System' follows the OS's preference (this browser says light).
      await page.getByRole('radio', { name: 'System' }).check();
      await expect.poll(theme).toBe('light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(theme).toBe('dark');

      await page.getByLabel('Auto-lock').fill('15');
      await expect.poll(() => services.settings.get().autoLockMinutes).toBe(15);
      await page.getByLabel('Auto-lock').fill('99999');
      await page.getByText('Enter a whole number from 0 to 1440.').waitFor();
      expect(services.settings.get().autoLockMinutes).toBe(15);
      await page.getByLabel('Auto-lock').fill('0');
      await expect.poll(() => services.settings.get().autoLockMinutes).toBe(0);

      await page.getByRole('switch', { name: 'Hide codes' }).check();
      await page.getByRole('switch', { name: 'Preview the next code' }).uncheck();
      await page.getByRole('switch', { name: 'Hide from screen capture' }).uncheck();
      await expect
        .poll(() => services.settings.get())
        .toMatchObject({ hideCodes: true, showNextCode: false, contentProtection: false, autoLockMinutes: 0, theme: 'system' });

      // A change made elsewhere (another window, the CLI) shows here too.
      await services.settings.update({ hideCodes: false });
      await expect.poll(() => page.getByRole('switch', { name: 'Hide codes' }).isChecked()).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('refuses to remove the last way in, sets a password with confirmation, then lets the keychain go', async () => {
    const app = await openApp(browser());
    try {
      const { page, services } = app;
      await page.getByRole('button', { name: 'Create vault' }).click(); // keychain only
      await page.getByRole('button', { name: 'Settings' }).click();
      const keychain = page.getByRole('switch', { name: 'System keychain' });
      expect(await keychain.isChecked()).toBe(true);

      await keychain.click();
      await page.getByRole('alert').getByText('This is the only way left to open the vault; add another one before removing it.').waitFor();
      expect(await keychain.isChecked()).toBe(true);
      expect((await services.vault.status()).hasKeychainSlot).toBe(true);

      await page.getByRole('button', { name: 'Set a password' }).click();
      await page.getByLabel('New password', { exact: true }).fill('tidal basin 9');
      await page.getByLabel('Confirm new password').fill('tidal basin 8');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText('The two passwords are not the same.').waitFor();
      expect((await services.vault.status()).hasPasswordSlot).toBe(false);
      await page.getByLabel('Confirm new password').fill('tidal basin 9');
      await page.getByRole('button', { name: 'Set password' }).click();
      // A dialog says what happens before anything does.
      const setDialog = page.getByRole('dialog', { name: 'Set a password?' });
      await setDialog.getByText('the vault and its backups get a new key').waitFor();
      expect((await services.vault.status()).hasPasswordSlot).toBe(false);
      await setDialog.getByRole('button', { name: 'Set password' }).click();
      await page.getByRole('status').getByText('Password set.').waitFor();
      expect((await services.vault.status()).hasPasswordSlot).toBe(true);
      await page.getByRole('button', { name: 'Change password' }).waitFor();

      // Turning the keychain off asks for the current password, in a dialog that says what happens.
      await keychain.click();
      const offDialog = page.getByRole('dialog', { name: 'Stop unlocking with the system keychain?' });
      await offDialog.getByText('keychain entry for it is deleted').waitFor();
      await offDialog.getByLabel('Current password').fill('not the password');
      await offDialog.getByRole('button', { name: 'Turn off' }).click();
      await offDialog.getByText('That password is not right for this vault.').waitFor();
      await expectAccessible(page, 'the keychain dialog with an error');
      expect((await services.vault.status()).hasKeychainSlot).toBe(true);
      await offDialog.getByLabel('Current password').fill('tidal basin 9');
      await offDialog.getByRole('button', { name: 'Turn off' }).click();
      await expect.poll(() => keychain.isChecked()).toBe(false);
      expect(await services.vault.status()).toMatchObject({ hasKeychainSlot: false, hasPasswordSlot: true });

      // Changing the password needs the current one.
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByLabel('Current password').fill('tidal basin 8');
      await page.getByLabel('New password', { exact: true }).fill('harbor light 4');
      await page.getByLabel('Confirm new password').fill('harbor light 4');
      await page.getByRole('button', { name: 'Change password' }).click();
      const changeDialog = page.getByRole('dialog', { name: 'Change the password?' });
      await changeDialog.getByText('still opens with the old password').waitFor();
      await changeDialog.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('That password is not right for this vault.').waitFor();
      await page.getByLabel('Current password').fill('tidal basin 9');
      await page.getByRole('button', { name: 'Change password' }).click();
      await changeDialog.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('status').getByText('Password changed.').waitFor();

      // Turning the keychain back on needs the (new) current password too.
      await keychain.click();
      const onDialog = page.getByRole('dialog', { name: 'Unlock with the system keychain?' });
      await onDialog.getByLabel('Current password').fill('harbor light 4');
      await onDialog.getByRole('button', { name: 'Turn on' }).click();
      await expect.poll(() => keychain.isChecked()).toBe(true);
      expect(await services.vault.status()).toMatchObject({ hasKeychainSlot: true, hasPasswordSlot: true });

      // And the new password is what opens the vault now.
      await page.keyboard.press('Control+l');
      await page.getByLabel('Password', { exact: true }).fill('harbor light 4');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
    } finally {
      await app.close();
    }
  });
});
