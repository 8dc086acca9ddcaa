import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { allCodesAround, createVault, expectNoCodesInPage, realisticAccounts, seed } from './support/fixtures';

/** Creating, unlocking and locking the vault through the window, with a real keychain and real files. */
const browser = useChromium();

const PASSWORD = 'plum orchard 42';

async function withApp(app: AppUnderTest, run: (app: AppUnderTest) => Promise<void>): Promise<void> {
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

describe('first run', () => {
  it('creates a vault with the keychain (on by default) and a password, and lands on a helpful empty list', async () => {
    await withApp(await openApp(browser()), async ({ page, services }) => {
      await page.getByRole('heading', { name: 'Welcome to Latchkey' }).waitFor();
      const keychain = page.getByRole('switch', { name: 'Unlock with the system keychain' });
      expect(await keychain.isChecked()).toBe(true);
      // Each way in says what it protects against.
      await page.getByText('a copy of the vault file taken elsewhere stays sealed').waitFor();
      await page.getByText('Your way in on another computer or if the keychain is reset').waitFor();

      await page.getByLabel('New password (optional)').fill(PASSWORD);
      await page.getByLabel('Confirm password').fill('not the same');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByText('The two passwords are not the same.').waitFor();
      expect((await services.vault.status()).state).toBe('missing');

      await page.getByLabel('Confirm password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      await page.getByRole('button', { name: 'Enter a setup key' }).waitFor();
      await page.getByRole('button', { name: 'Paste a setup link' }).waitFor();
      expect(await services.vault.status()).toEqual({ state: 'unlocked', hasPasswordSlot: true, hasKeychainSlot: true });
    });
  });
});

describe('unlocking', () => {
  it('opens through the keychain when the window opens, without typing or clicking', async () => {
    const first = await openApp(browser());
    await first.page.getByRole('button', { name: 'Create vault' }).click(); // keychain only
    await first.page.getByRole('heading', { name: 'Add your first account' }).waitFor();
    await seed(first, realisticAccounts().slice(0, 3));
    await withApp(await first.restart(), async ({ page }) => {
      await page.getByTestId('account-row').filter({ hasText: 'GitHub' }).getByTestId('code').waitFor();
      expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
      expect(await page.getByTestId('code').count()).toBe(3);
    });
  });

  it('asks for the password of a keychain-less vault; a wrong one is said plainly and the field stays', async () => {
    const first = await openApp(browser());
    await first.page.getByRole('switch', { name: 'Unlock with the system keychain' }).uncheck();
    await first.page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await first.page.getByLabel('Confirm password').fill(PASSWORD);
    await first.page.getByRole('button', { name: 'Create vault' }).click();
    await first.page.getByRole('heading', { name: 'Add your first account' }).waitFor();
    expect(await first.services.vault.status()).toMatchObject({ hasPasswordSlot: true, hasKeychainSlot: false });
    const accounts = realisticAccounts().slice(0, 4);
    await seed(first, accounts);

    await withApp(await first.restart(), async ({ page }) => {
      const password = page.getByLabel('Password', { exact: true });
      await password.waitFor();
      expect(await page.getByRole('button', { name: /keychain/ }).count()).toBe(0);

      await password.fill('plum orchard 41');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('alert').getByText('That password is not right for this vault.').waitFor();
      expect(await password.isVisible()).toBe(true);
      expect(await password.evaluate((element) => element === document.activeElement)).toBe(true);
      expect(await page.getByTestId('code').count()).toBe(0);

      await password.fill(PASSWORD);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('code').count()).toBe(4);
      await expectNoPasswordInPage(page.content(), PASSWORD);
    });
  });

  it("says the keychain lost the vault's key and lets the password open it", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-e2e-'));
    try {
      const first = await openApp(browser(), { dataDir });
      await createVault(first, { password: PASSWORD, useKeychain: true });
      await first.close();
      // Another keychain service name: the entry the vault's slot names is not in it.
      await withApp(await openApp(browser(), { dataDir, keychainService: 'Latchkey-test-elsewhere' }), async ({ page }) => {
        await page.getByRole('alert').getByText("The system keychain does not hold this vault's key any more.").waitFor();
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Unlock', exact: true }).click();
        await page.getByRole('heading', { name: 'Add your first account' }).waitFor();
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shows why a damaged vault cannot be opened, and a way forward, instead of a blank window', async () => {
    const first = await openApp(browser());
    await createVault(first, { password: PASSWORD, useKeychain: false });
    const vaultFile = readdirSync(first.vaultDir).find((name) => name.endsWith('.lkv'));
    expect(vaultFile).toBeDefined();
    writeFileSync(path.join(first.vaultDir, vaultFile!), 'this is not a vault');
    await withApp(await first.restart(), async ({ page }) => {
      await page.getByRole('alert').getByText('The vault file is damaged or has been altered').waitFor();
      await page.getByText('backups folder').waitFor();
      await page.getByRole('button', { name: 'Check again' }).waitFor();
    });
  });
});

describe('locking', () => {
  it('the Lock button and Ctrl+L drop every code and account from the page; the keychain waits for a click', async () => {
    const accounts = realisticAccounts();
    const app = await openApp(browser());
    await createVault(app, { password: PASSWORD, useKeychain: true });
    await seed(app, accounts);
    await withApp(app, async ({ page, services }) => {
      await expect.poll(() => page.getByTestId('code').count()).toBeGreaterThanOrEqual(8);

      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.getByRole('heading', { name: 'Latchkey is locked' }).waitFor();
      expect((await services.vault.status()).state).toBe('locked');
      expect(await page.getByTestId('code').count()).toBe(0);
      expect(await page.getByTestId('account-row').count()).toBe(0);
      await expectNoCodesInPage(page, allCodesAround(accounts, Date.now()));
      expect(await page.content()).not.toContain('alice.martin@gmail.com');

      // After a lock the keychain does not open the vault by itself.
      await page.getByRole('button', { name: 'Unlock with system keychain' }).click();
      await expect.poll(() => page.getByTestId('code').count()).toBeGreaterThanOrEqual(8);

      await page.getByTestId('account-row').first().click();
      // The copy saves "last used" to the vault; it has finished when the toast shows.
      await page.getByRole('status').getByText(/Copied/).waitFor();
      await page.keyboard.press('Control+l');
      await page.getByRole('heading', { name: 'Latchkey is locked' }).waitFor();
      expect(await page.getByTestId('code').count()).toBe(0);
      await expectNoCodesInPage(page, allCodesAround(accounts, Date.now()));
    });
  });

  it('locks by itself after the idle time, and the window follows', async () => {
    const accounts = realisticAccounts().slice(0, 5);
    const app = await openApp(browser());
    await createVault(app, { password: PASSWORD, useKeychain: false });
    await seed(app, accounts);
    await withApp(app, async ({ page, services, clock }) => {
      await expect.poll(() => page.getByTestId('code').count()).toBe(5);
      expect(services.autoLock.check()).toBe(false);
      clock.advance(6 * 60_000);
      expect(services.autoLock.check()).toBe(true);
      await page.getByRole('heading', { name: 'Latchkey is locked' }).waitFor();
      await page.getByLabel('Password', { exact: true }).waitFor();
      expect(await page.getByTestId('code').count()).toBe(0);
      await expectNoCodesInPage(page, allCodesAround(accounts, clock.now()));
    });
  });
});

async function expectNoPasswordInPage(content: Promise<string>, password: string): Promise<void> {
  expect(await content).not.toContain(password);
}
