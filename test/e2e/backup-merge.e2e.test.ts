import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../electron/main/accounts';
import { writeBackup } from '../../electron/main/exporters';
import { VaultConnectionStore } from '../../electron/main/providers/vault-stores';
import { RecoveryService } from '../../electron/main/recovery';
import { makeVault, TEST_PASSWORD_COST } from '../support/vault';
import { useTempDirs } from '../support/temp-dir';
import { openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';

/** A Latchkey backup merged through the window: its backup codes reach the account's recovery page. */
const browser = useChromium();
const tempDir = useTempDirs();
const SOURCE_PASSWORD = 'password of the old vault';
const WINDOW_PASSWORD = 'window vault password';
const GITHUB_CODES = ['ck4s-2skx-ebow', 'pq7m-4hzt-w2ab', 'r8nd-y3vq-c6ke', 'tm2w-9xpf-ha5j', 'vb6e-k4ur-n8qs'];

/** A backup ('backup pw') of a sealed vault: GitHub with 5 codes (the first used) and a MoonKey connection, a codes-only entry. */
async function backupFile(): Promise<string> {
  const vault = makeVault(tempDir());
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  await vault.create({ password: SOURCE_PASSWORD, useKeychain: false });
  const accounts = new AccountsService(vault);
  const github = await accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'alice' });
  const set = await recovery.addCodes(github.id, GITHUB_CODES, 'pasted');
  await recovery.setUsed(set.id, 0, true);
  await new VaultConnectionStore(vault, recovery).put(github.id, { provider: 'moonkey', baseUrl: 'http://127.0.0.1:9', userId: 'alice-1', credentials: { apiKey: 'mk_key' } });
  const hardware = await accounts.addWithoutOtp({ issuer: 'Hardware', label: 'carol' });
  await recovery.addCodes(hardware.id, ['aaaa-1111', 'bbbb-2222', 'cccc-3333'], 'file');
  const file = path.join(tempDir(), 'latchkey-backup.json');
  writeFileSync(file, await writeBackup(vault.content(), 'backup pw', { opsLimit: 1, memLimit: 1024 * 1024 }));
  return file;
}

describe('merging a Latchkey backup through the window', () => {
  it('asks for both passwords, previews the codes and the connection, and the codes are on the recovery page', async () => {
    const file = await backupFile();
    const app = await openApp(browser(), { viewport: { width: 900, height: 800 } });
    try {
      const { page, services } = app;
      await createVault(app, { password: WINDOW_PASSWORD, useKeychain: true });
      // GitHub is saved already, without codes: the backup's go to it.
      const github = await services.accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'alice' });
      await page.getByTestId('account-row').first().waitFor();
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await page.getByLabel('Export files to import').setInputFiles(file);
      await page.getByLabel('Password of the export file').fill('backup pw');
      await page.getByRole('button', { name: 'Open' }).click();

      await page.getByRole('heading', { name: 'The backup codes in latchkey-backup.json are sealed' }).waitFor();
      await page.getByLabel('Password of that vault').fill('not it');
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByText('That password does not open the backup codes either.').waitFor();
      await expectAccessible(page, 'sealed backup codes');
      await page.screenshot({ path: '/tmp/backup-merge-sealed.png' });
      await page.getByLabel('Password of that vault').fill(SOURCE_PASSWORD);
      await page.getByRole('button', { name: 'Open' }).click();

      await page.getByText('with 5 backup codes (1 used) and a MoonKey connection. Both go to the saved account.', { exact: false }).waitFor();
      await page.getByText('with 3 backup codes').waitFor();
      await expectAccessible(page, 'backup preview');
      await page.screenshot({ path: '/tmp/backup-merge-preview.png' });
      // The small window, dark: the longer lines must wrap, not overflow.
      await page.setViewportSize({ width: 460, height: 760 });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: '/tmp/backup-merge-preview-small-dark.png' });
      await page.setViewportSize({ width: 900, height: 800 });
      await page.emulateMedia({ colorScheme: 'light' });
      expect(services.recovery.forAccount(github.id).sets).toEqual([]);

      await page.getByRole('button', { name: 'Import 1 account' }).click();
      await page.getByRole('heading', { name: 'Imported 1 account' }).waitFor();
      expect(await page.getByRole('definition').allTextContents()).toEqual(['1', '1', '0', '0']);
      const extras = page.getByRole('list', { name: 'Backup codes and provider connections' });
      await extras.getByText('Added to the saved account: 5 backup codes (1 used) and a MoonKey connection.').waitFor();
      await extras.getByText('Saved with: 3 backup codes.').waitFor();
      await expectAccessible(page, 'backup report');
      await page.screenshot({ path: '/tmp/backup-merge-report.png' });

      await page.getByRole('button', { name: 'Done' }).click();
      const row = page.getByTestId('account-row').filter({ hasText: 'GitHub' });
      await row.getByTestId('recovery-badge').getByText('4 backup codes left').waitFor();
      await row.hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('recovery-summary').getByText('4 of 5 unused').waitFor();
      await page.getByTestId('protection-notice').getByText(/Sealed with your vault password/).waitFor();
      // Close the seal that creating the vault opened: the reveal must ask for this vault's password.
      services.recovery.forget();
      await page.getByRole('button', { name: 'Reveal all' }).click();
      const dialog = page.getByRole('dialog', { name: 'Password for backup codes' });
      await dialog.getByLabel('Vault password').fill(WINDOW_PASSWORD);
      await dialog.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => page.locator('.recovery-code-text').allTextContents()).toEqual(GITHUB_CODES);
      expect(await services.handlers['providers:state']({ accountId: github.id })).toMatchObject({ connected: true, protection: 'password', connection: { provider: 'moonkey', baseUrl: 'http://127.0.0.1:9' } });
    } finally {
      await app.close();
    }
  });

  it('restoring it as a new vault from the first-run screen asks for the old vault password and keeps the codes', async () => {
    const file = await backupFile();
    const app = await openApp(browser());
    try {
      const { page, services } = app;
      await page.getByRole('button', { name: 'Restore from a Latchkey backup…' }).click();
      await page.getByLabel('Latchkey backup file').setInputFiles(file);
      await page.getByLabel('New password (optional)').fill(WINDOW_PASSWORD);
      await page.getByLabel('Confirm password').fill(WINDOW_PASSWORD);
      await page.getByLabel('Backup password').fill('backup pw');
      await page.getByRole('button', { name: 'Restore vault' }).click();
      await page.getByText(/sealed with the password of the vault it was made from/).first().waitFor();
      expect((await services.vault.status()).state).toBe('missing');
      await page.getByLabel('Password of the vault the backup was made from').fill(SOURCE_PASSWORD);
      await page.screenshot({ path: '/tmp/backup-restore-sealed.png' });
      await page.getByRole('button', { name: 'Restore vault' }).click();
      const row = page.getByTestId('account-row').filter({ hasText: 'GitHub' });
      await row.getByTestId('recovery-badge').getByText('4 backup codes left').waitFor();
      // The new password was just typed: the codes are open, as after an unlock.
      expect(services.recovery.status()).toMatchObject({ protection: 'password', unsealedUntil: expect.any(Number) });
      services.recovery.forget();
      await services.recovery.unseal(WINDOW_PASSWORD);
      const github = services.accounts.list().find((account) => account.issuer === 'GitHub');
      const set = services.recovery.forAccount(github?.id ?? '').sets[0];
      expect((await services.recovery.reveal(set?.id ?? '')).codes.map((code) => [code.code, code.used])).toEqual(GITHUB_CODES.map((code, index) => [code, index === 0]));
    } finally {
      await app.close();
    }
  });
});
