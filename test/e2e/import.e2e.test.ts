import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBackup, writeBackup } from '../../electron/main/exporters';
import { readExportFile } from '../../electron/main/importers';
import { createCodeGenerator, decodeBase32 } from '../../electron/main/otp';
import { fixturesDir } from '../support/temp-dir';
import { openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';

/** Importing another app's export through the window: preview with codes, leave one out, report. */
const browser = useChromium();

describe('import from another authenticator', () => {
  it('an encrypted Aegis vault: password, preview with a code per entry, one left out, the report', async () => {
    const app = await openApp(browser(), { viewport: { width: 900, height: 800 } });
    try {
      const { page, services } = app;
      await createVault(app);
      await services.accounts.add({ type: 'totp', secret: '4SJHB4GSD43FZBAI7C2HLRJGPQ', issuer: 'Deno', label: 'already here' });
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await page.getByLabel('Export files to import').setInputFiles(path.join(fixturesDir, 'aegis', 'aegis_encrypted.json'));
      await page.getByRole('heading', { name: 'aegis_encrypted.json is encrypted' }).waitFor();
      await page.getByText('It is an encrypted Aegis vault.').waitFor();
      await page.getByLabel('Password of the export file').fill('wrong');
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByText('That password does not open this export file.').waitFor();
      await page.getByLabel('Password of the export file').fill('test');
      await page.getByRole('button', { name: 'Open' }).click();

      await page.getByRole('heading', { name: /7 entries in aegis_encrypted\.json/ }).waitFor();
      await page.getByText('6 new · 1 duplicate · 0 cannot be imported').waitFor();
      // The code shown for SPDX is the code of its secret now (SHA256, 7 digits, 20 s).
      const spdx = createCodeGenerator({ type: 'totp', algorithm: 'SHA256', digits: 7, period: 20, counter: 0, secret: decodeBase32('5OM4WOOGPLQEF6UGN3CPEOOLWU') });
      const shown = (await page.getByRole('listitem').filter({ hasText: 'SPDX' }).locator('.import-entry-code').getAttribute('aria-label')) ?? '';
      const now = Date.now();
      expect([spdx.codeAt(now), spdx.codeAt(now - 20_000)].map((code) => `Code now ${code}`)).toContain(shown);
      const deno = page.getByRole('checkbox', { name: /Deno \(Mason\)/ });
      expect(await deno.isDisabled()).toBe(true);
      await page.getByText('Already saved as Deno (already here)').waitFor();
      await expectAccessible(page, 'import preview');

      await page.getByRole('checkbox', { name: /Airbnb \(Elijah\)/ }).uncheck();
      await page.getByRole('button', { name: 'Import 5 accounts' }).click();
      await page.getByRole('heading', { name: 'Imported 5 accounts' }).waitFor();
      const counts = await page.getByRole('definition').allTextContents();
      expect(counts).toEqual(['5', '1', '1', '0']);
      await expectAccessible(page, 'import report');
      expect(services.accounts.list().map((account) => account.issuer).sort()).toEqual(['Air Canada', 'Boeing', 'Deno', 'Issuu', 'SPDX', 'WWE']);
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('account-row').first().waitFor();
    } finally {
      await app.close();
    }
  });

  it('a file of another kind says what it looks like, and nothing is saved', async () => {
    const app = await openApp(browser());
    try {
      const { page, services } = app;
      await createVault(app);
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await page.getByLabel('Export files to import').setInputFiles({ name: 'passwords.kdbx', mimeType: 'application/octet-stream', buffer: Buffer.from([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 1, 2, 3, 4]) });
      await page.getByText(/looks like a KeePass database/).waitFor();
      expect(services.accounts.list()).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});

describe('export from the window', () => {
  it('a Latchkey backup with a password, saved where the dialog says; a plain export only after the warning', async () => {
    const app = await openApp(browser());
    try {
      const { page, services, saveDialog } = app;
      await createVault(app);
      await services.accounts.add({ type: 'totp', secret: '4SJHB4GSD43FZBAI7C2HLRJGPQ', issuer: 'Deno', label: 'Mason' });
      await services.accounts.add({ type: 'hotp', secret: 'YOOMIXWS5GN6RTBPUFFWKTW5M4', issuer: 'Issuu', label: 'James', counter: 1 });
      const folder = mkdtempSync(path.join(os.tmpdir(), 'latchkey-export-'));
      saveDialog.path = path.join(folder, 'backup.json');
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await page.getByRole('button', { name: 'Export…' }).click();
      await page.getByLabel('Password for the file').fill('backup pw');
      await page.getByLabel('Repeat the password').fill('backup px');
      await page.getByText('The two passwords differ.').waitFor();
      expect(await page.getByRole('button', { name: 'Export…' }).isDisabled()).toBe(true);
      await page.getByLabel('Repeat the password').fill('backup pw');
      await expectAccessible(page, 'export');
      await page.getByRole('button', { name: 'Export…' }).click();
      await page.getByText(`Saved 2 accounts to ${saveDialog.path}.`).waitFor();
      expect(saveDialog.asked).toEqual(['latchkey-backup.json']);
      const backup = await readExportFile(readFileSync(saveDialog.path), { password: 'backup pw' });
      expect(backup.items.map((item) => (item.kind === 'entry' ? item.entry.issuer : item.reason))).toEqual(['Deno', 'Issuu']);

      saveDialog.path = path.join(folder, 'links.txt');
      await page.getByRole('radio', { name: /otpauth:\/\/ links/ }).check();
      await page.getByText('This file will hold every secret unencrypted.').waitFor();
      expect(await page.getByRole('button', { name: 'Export…' }).isDisabled()).toBe(true);
      await expectAccessible(page, 'export warning');
      await page.getByRole('checkbox', { name: /I understand/ }).check();
      await page.getByRole('button', { name: 'Export…' }).click();
      await page.getByText(`Saved 2 accounts to ${saveDialog.path}.`).waitFor();
      expect(readFileSync(saveDialog.path, 'utf8')).toContain('otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4');

      // Automatic backups: a folder from the dialog, the first backup at once, then one per change.
      const backups = mkdtempSync(path.join(os.tmpdir(), 'latchkey-auto-'));
      saveDialog.folder = backups;
      await page.getByLabel('Backup password').fill('auto pw');
      await page.getByLabel('Backups to keep').fill('0');
      await page.getByText('Enter a whole number from 1 to 1000.').waitFor();
      await page.getByLabel('Backups to keep').fill('5');
      await page.getByRole('button', { name: 'Choose a folder and turn on…' }).click();
      await page.getByText(`On: ${backups}, keeping the last 5. Last backup`).waitFor();
      await expectAccessible(page, 'automatic backups on');
      const first = readdirSync(backups).filter((name) => name.startsWith('latchkey-backup-'));
      expect(first.length).toBeGreaterThanOrEqual(1);
      const newest = JSON.parse(readFileSync(path.join(backups, first.sort().pop() as string), 'utf8')) as unknown;
      expect((await readBackup(newest, 'auto pw')).content.accounts).toHaveLength(2);
      await page.getByRole('button', { name: 'Turn off' }).click();
      await page.getByRole('button', { name: 'Choose a folder and turn on…' }).waitFor();
      rmSync(backups, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    } finally {
      await app.close();
    }
  });
});

describe('a Latchkey backup of sealed backup codes', () => {
  it('asks for the vault password first, so the backup password alone restores the codes', async () => {
    const app = await openApp(browser());
    const folder = mkdtempSync(path.join(os.tmpdir(), 'latchkey-export-sealed-'));
    try {
      const { page, services, saveDialog } = app;
      await createVault(app, { password: 'vault pw', useKeychain: true });
      const account = await services.accounts.add({ type: 'totp', secret: '4SJHB4GSD43FZBAI7C2HLRJGPQ', issuer: 'Deno', label: 'Mason' });
      await services.recovery.addCodes(account.id, ['7f3k-29xd', 'p2m8-4qzt'], 'pasted');
      // As after the few minutes the seal stays open: the codes are sealed again.
      services.recovery.forget();
      saveDialog.path = path.join(folder, 'backup.json');
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await page.getByRole('button', { name: 'Export…' }).click();
      await page.getByLabel('Password for the file').fill('backup pw');
      await page.getByLabel('Repeat the password').fill('backup pw');
      await page.getByRole('button', { name: 'Export…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Password for backup codes' });
      await dialog.getByLabel('Vault password').fill('vault pw');
      await dialog.getByRole('button', { name: 'Open' }).click();
      await page.getByText(`Saved 1 account to ${saveDialog.path}.`).waitFor();
      const backup = await readBackup(JSON.parse(readFileSync(saveDialog.path, 'utf8')) as unknown, 'backup pw');
      expect(backup.content.recovery.seal).toBeNull();
      expect(backup.content.recovery.sets.map((set) => set.codes)).toEqual([{ plain: ['7f3k-29xd', 'p2m8-4qzt'] }]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
      await app.close();
    }
  });
});

describe('restore from the first-run screen', () => {
  it('a new vault from a Latchkey backup: a wrong password says so and makes no vault, the right one restores every account', async () => {
    const source = await openApp(browser());
    const folder = mkdtempSync(path.join(os.tmpdir(), 'latchkey-restore-'));
    const file = path.join(folder, 'backup.json');
    try {
      await createVault(source);
      await source.services.accounts.add({ type: 'hotp', secret: 'YOOMIXWS5GN6RTBPUFFWKTW5M4', issuer: 'Issuu', label: 'James', counter: 1, group: 'Old', notes: 'kept' });
      writeFileSync(file, await writeBackup(source.services.vault.content(), 'backup pw', { opsLimit: 1, memLimit: 1024 * 1024 }));
    } finally {
      await source.close();
    }
    const app = await openApp(browser());
    try {
      const { page, services } = app;
      await page.getByRole('button', { name: 'Restore from a Latchkey backup…' }).click();
      await page.getByLabel('Latchkey backup file').setInputFiles(file);
      await page.getByText('Restoring backup.json into the new vault.').waitFor();
      await page.getByLabel('Backup password').fill('nope');
      await page.getByRole('button', { name: 'Restore vault' }).click();
      await page.getByText('That password does not open this export file.').waitFor();
      expect((await services.vault.status()).state).toBe('missing');
      await page.getByLabel('Backup password').fill('backup pw');
      await page.getByRole('button', { name: 'Restore vault' }).click();
      await page.getByTestId('account-row').first().waitFor();
      expect(services.accounts.list()).toEqual([expect.objectContaining({ issuer: 'Issuu', label: 'James', counter: 1, group: 'Old', notes: 'kept' })]);
    } finally {
      await app.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
