import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/temp-dir';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';
import { totpWindow } from './support/otp';

/** Backup codes in the window: paste, reveal, copy and mark used, "I'm locked out", risk, the sheet. */
const browser = useChromium();

const GITHUB_SECRET = 'JBSWY3DPEHPK3PXP';
const CODES = ['ckss-2skx-ebow', 'spbc-424h-usy0', 'hi08-n5tk-lns5', '1n6i-l5na-8axe', 'aduj-eufq-w6yy'];
const PASSWORD = 'window recovery password';
const DAY = 24 * 60 * 60 * 1000;

async function session(options: { password?: string | null }, run: (app: AppUnderTest, ids: { github: string; stripe: string }) => Promise<void>): Promise<void> {
  const app = await openApp(browser());
  try {
    await createVault(app, { password: options.password ?? null, useKeychain: true });
    const github = await app.services.accounts.add({ type: 'totp', secret: GITHUB_SECRET, issuer: 'GitHub', label: 'alice', notes: 'Recovery e-mail: alice@example.com' });
    const stripe = await app.services.accounts.add({ type: 'totp', secret: 'KRSXG5CTMVRXEZLU', issuer: 'Stripe', label: 'acme' });
    await app.page.getByTestId('account-row').first().waitFor();
    await run(app, { github: github.id, stripe: stripe.id });
  } finally {
    await app.close();
  }
}

const row = (app: AppUnderTest, issuer: string) => app.page.getByTestId('account-row').filter({ hasText: issuer });

describe('adding backup codes', () => {
  it('paste shows what was recognised before saving; text without codes says why; a file opens too', async () => {
    await session({}, async (app, { github }) => {
      const { page } = app;
      await row(app, 'GitHub').getByTestId('recovery-badge').getByText('No backup codes', { exact: true }).waitFor();
      await row(app, 'GitHub').hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('protection-notice').getByText('Only the system keychain protects these codes').waitFor();

      const area = page.getByLabel('Paste your backup codes, or drop the file the service gave you');
      await area.fill('Keep these codes somewhere safe.\nYou can use each one once.');
      await page.getByRole('alert').getByText(/reads as words/).waitFor();
      // One plain explanation, not the same news twice ("no codes were recognised … no codes were found").
      expect(await page.getByRole('alert').textContent()).toBe(
        'No backup codes were recognised; nothing was saved. The text reads as words, not codes. Paste the codes themselves, one per line or separated by spaces, commas or tabs.',
      );
      expect(await page.getByRole('button', { name: 'Save codes' }).isDisabled()).toBe(true);

      const googleFile = readFileSync(path.join(repoRoot, 'test/fixtures/recovery-codes/google-backup-codes.txt'), 'utf8');
      await area.fill(googleFile);
      await page.getByTestId('recognised-count').getByText('Recognised 10 codes, skipped 6 lines of text').waitFor();
      expect(await page.locator('.recovery-codes-preview li').allTextContents()).toContain('8436 1972');
      await page.getByRole('button', { name: 'Save 10 codes' }).click();
      await page.getByTestId('recovery-summary').getByText('10 of 10 unused').waitFor();
      expect(app.services.recovery.forAccount(github)).toMatchObject({ unused: 10, total: 10 });
      await expectAccessible(page, 'backup codes page');

      // New codes from a file replace the set; the old one stays as an earlier set.
      await page.getByRole('button', { name: 'New codes' }).click();
      await page.locator('input[type="file"]').setInputFiles(path.join(repoRoot, 'test/fixtures/recovery-codes/github-recovery-codes.txt'));
      await page.getByRole('button', { name: 'Save 16 codes' }).click();
      await page.getByTestId('recovery-summary').getByText('16 of 16 unused').waitFor();
      await page.getByText('Earlier sets (1)').waitFor();
      const sets = app.services.recovery.forAccount(github).sets;
      expect(sets.map((set) => [set.current, set.source, set.count])).toEqual([
        [true, 'file', 16],
        [false, 'pasted', 10],
      ]);
      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await row(app, 'GitHub').getByTestId('recovery-badge').getByText('16 backup codes left').waitFor();
    });
  });
});

describe('revealing and using codes', () => {
  it('sealed codes ask for the password; reveal one or all; copy, mark as used, and undo', async () => {
    await session({ password: PASSWORD }, async (app, { github }) => {
      const { page, clipboard } = app;
      const set = await app.services.recovery.addCodes(github, CODES, 'pasted');
      app.services.recovery.forget();
      await row(app, 'GitHub').getByTestId('recovery-badge').getByText('5 backup codes left').waitFor();
      await row(app, 'GitHub').hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('protection-notice').getByText(/Sealed with your vault password/).waitFor();
      expect(await page.locator('.recovery-code-text').allTextContents()).toEqual(Array(5).fill('••••-••••'));

      await page.getByRole('button', { name: 'Reveal code 2' }).click();
      const dialog = page.getByRole('dialog', { name: 'Password for backup codes' });
      await dialog.getByLabel('Vault password').fill('not the password');
      await dialog.getByRole('button', { name: 'Open' }).click();
      await dialog.getByText('That is not the vault password.').waitFor();
      await dialog.getByLabel('Vault password').fill(PASSWORD);
      await dialog.getByRole('button', { name: 'Open' }).click();
      await page.locator('.recovery-code-text', { hasText: CODES[1] as string }).waitFor();
      expect(await page.locator('.recovery-code-text').allTextContents()).toEqual(['••••-••••', CODES[1], '••••-••••', '••••-••••', '••••-••••']);
      await page.getByRole('button', { name: 'Reveal all' }).click();
      await expect.poll(() => page.locator('.recovery-code-text').allTextContents()).toEqual(CODES);
      await page.getByTestId('protection-notice').getByText(/codes can be shown without asking until/).waitFor();

      await page.getByRole('button', { name: 'Copy code 1' }).click();
      await page.getByText('Copied code 1. Mark it as used?').waitFor();
      expect(clipboard.text).toBe(CODES[0]);
      await page.getByRole('button', { name: 'Mark as used' }).click();
      await page.getByText('Code 1 is marked as used.').waitFor();
      await page.getByTestId('recovery-summary').getByText('4 of 5 unused').waitFor();
      expect(app.services.recovery.forAccount(github).sets[0]?.codes[0]).toMatchObject({ used: true, how: 'marked' });
      await page.getByRole('button', { name: 'Undo' }).click();
      await page.getByTestId('recovery-summary').getByText('5 of 5 unused').waitFor();
      expect(app.services.recovery.forAccount(github).sets[0]?.codes[0]?.used).toBe(false);

      // Marking by hand, and back.
      await page.getByRole('checkbox', { name: 'Code 5 used' }).click();
      await page.getByTestId('recovery-summary').getByText('4 of 5 unused').waitFor();
      await page.getByRole('checkbox', { name: 'Code 5 used' }).click();
      await page.getByTestId('recovery-summary').getByText('5 of 5 unused').waitFor();
      expect((await app.services.recovery.reveal(set.id)).codes.every((code) => !code.used)).toBe(true);

      // Locking the codes again by hand: the password is forgotten, and the codes hide.
      await page.getByTestId('protection-notice').getByRole('button', { name: 'Lock codes now' }).click();
      await page.getByTestId('protection-notice').getByText('Revealing a code asks for it.', { exact: false }).waitFor();
      await expect.poll(() => page.locator('.recovery-code-text').allTextContents()).toEqual(Array(5).fill('••••-••••'));
    });
  });
});

describe("I'm locked out", () => {
  it('from the unlock screen: find the account, its code, its next backup code copied and marked in one click, its notes', async () => {
    await session({ password: PASSWORD }, async (app, { github }) => {
      const { page, clipboard } = app;
      await app.services.recovery.addCodes(github, CODES, 'pasted');
      // No network from here on: everything below must work from the vault alone.
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.context().setOffline(true);
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.getByRole('button', { name: 'I’m locked out of an account' }).click();
      await page.getByText('After you unlock, Latchkey opens “I’m locked out”.').waitFor();
      // The link is gone, and the focus is where the next keystrokes belong: the password field.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('password');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();

      await page.getByLabel('Which account can’t you get into?').fill('git');
      await page.getByTestId('rescue-notes').getByText('Recovery e-mail: alice@example.com').waitFor();
      await expect.poll(async () => totpWindow(GITHUB_SECRET, Date.now()).includes(((await page.getByTestId('rescue-login-code').textContent()) ?? '').replace(/\s/g, ''))).toBe(true);
      // Unlocking with the password opened the seal too: the next code shows without asking again.
      await page.getByTestId('rescue-backup-code').getByText(CODES[0] as string).waitFor();
      await page.getByRole('button', { name: 'Copy and mark used' }).click();
      await page.getByTestId('rescue-backup-code').getByText(CODES[1] as string).waitFor();
      expect(clipboard.text).toBe(CODES[0]);
      expect(app.services.recovery.forAccount(github).sets[0]?.codes[0]).toMatchObject({ used: true, how: 'copied' });
      await page.getByRole('button', { name: 'Undo: code 1 was not used' }).click();
      await page.getByTestId('rescue-backup-code').getByText(CODES[0] as string).waitFor();
      await expectAccessible(page, 'locked-out page');

      // And from the list's toolbar, by keyboard: type, arrow down to a match, Enter.
      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await page.getByRole('button', { name: 'I’m locked out' }).click();
      await page.getByLabel('Which account can’t you get into?').waitFor();
      await page.keyboard.type('a');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Stripe (acme)' }).waitFor();
      expect(requests).toEqual([]);
      // The chosen match is gone from the page: the focus lands on the account's name, and Tab goes on to its login code.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Stripe (acme)');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Copy');
    });
  });
});

describe('lockout risk and the recovery sheet', () => {
  it('groups accounts by risk with one click to add codes; the sheet is a PDF of unused codes with the paper warning', async () => {
    await session({}, async (app, { github, stripe }) => {
      const { page } = app;
      const old = await app.services.accounts.add({ type: 'totp', secret: 'GEZDGNBVGY3TQOJQ', issuer: 'Dropbox', label: 'alice' });
      await app.services.recovery.addCodes(old.id, ['11112222', '33334444', '55556666'], 'pasted');
      app.clock.advance(400 * DAY);
      const set = await app.services.recovery.addCodes(github, CODES.slice(0, 3), 'pasted');
      await app.services.recovery.setUsed(set.id, 0, true);
      await page.getByRole('button', { name: 'Lockout risk' }).click();
      await page.getByTestId('risk-summary').getByText('0 of 3 accounts ready for a lost phone.').waitFor();
      const names = (warning: string) => page.getByTestId(`risk-${warning}`).locator('.setting-label').allTextContents();
      expect(await names('none-at-all')).toEqual(['Stripe (acme)']);
      expect(await names('low')).toEqual(['GitHub (alice)']);
      expect(await names('old')).toEqual(['Dropbox (alice)']);
      await expectAccessible(page, 'lockout risk');

      await page.getByRole('button', { name: 'Recovery sheet…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Print a recovery sheet' });
      await dialog.getByRole('button', { name: 'Save PDF…' }).click();
      await page.getByRole('status').getByText(/Saved latchkey-recovery-sheet-/).waitFor();
      expect(app.sheet.saved).toHaveLength(1);
      const text = execFileSync('pdftotext', ['-layout', app.sheet.saved[0] as string, '-'], { encoding: 'utf8' });
      expect(text).toContain('Recovery sheet');
      expect(text).toContain('GitHub');
      expect(text).toContain(CODES[1]);
      expect(text).toContain(CODES[2]);
      expect(text).not.toContain(CODES[0]);
      expect(text).toContain('55556666');
      expect(text).toMatch(/Keep this sheet like a house key/);
      expect(text).not.toContain('Stripe');
      expect(execFileSync('pdfimages', ['-list', app.sheet.saved[0] as string], { encoding: 'utf8' }).trim().split('\n')).toHaveLength(2); // the header lines only: no picture

      // Ticking the QR codes adds a picture of each account's setup link (GitHub and Dropbox here).
      await page.getByRole('button', { name: 'Recovery sheet…' }).click();
      await dialog.getByRole('checkbox', { name: /Include each account’s setup QR code/ }).check();
      await dialog.getByRole('button', { name: 'Save PDF…' }).click();
      await expect.poll(() => app.sheet.saved.length).toBe(2);
      const images = execFileSync('pdfimages', ['-list', app.sheet.saved[1] as string], { encoding: 'utf8' }).trim().split('\n').slice(2);
      expect(images).toHaveLength(2);
      expect(execFileSync('pdftotext', [app.sheet.saved[1] as string, '-'], { encoding: 'utf8' })).toContain('QR codes that set up login codes');

      await page.getByTestId('risk-none-at-all').getByRole('button', { name: 'Add codes' }).click();
      await page.getByLabel('Paste your backup codes, or drop the file the service gave you').fill('a1b2c3d4 e5f6g7h8 i9j0k1l2');
      await page.getByRole('button', { name: 'Save 3 codes' }).click();
      await page.getByTestId('recovery-summary').getByText('3 of 3 unused').waitFor();
      expect(app.services.recovery.forAccount(stripe).unused).toBe(3);
    });
  });
});

describe('an entry with backup codes and no authenticator secret', () => {
  it('is added from the risk page, listed and searched like the others, with no live code', async () => {
    await session({}, async (app) => {
      const { page } = app;
      await page.getByRole('button', { name: 'Lockout risk' }).click();
      await page.getByRole('button', { name: 'Backup codes only…' }).click();
      await page.getByLabel('Paste your backup codes, or drop the file the service gave you').fill('1. 73920461\n2. 18375920\n3. 55501234');
      await page.getByRole('button', { name: 'Save 3 codes' }).click();
      await page.getByText('Give the service or the account name, so you can find it when you need it.').waitFor();
      await page.getByLabel('Service', { exact: true }).fill('Yubikey bank');
      await page.getByRole('button', { name: 'Save 3 codes' }).click();
      await page.getByTestId('recovery-summary').getByText('3 of 3 unused').waitFor();
      const entry = app.services.accounts.list().find((account) => account.issuer === 'Yubikey bank');
      expect(entry?.hasOtp).toBe(false);

      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await page.getByRole('searchbox', { name: 'Search accounts' }).fill('bank');
      await expect.poll(() => page.getByTestId('account-row').count()).toBe(1);
      await row(app, 'Yubikey bank').getByText('Backup codes only').waitFor();
      await row(app, 'Yubikey bank').getByTestId('recovery-badge').getByText('3 backup codes left').waitFor();
      await row(app, 'Yubikey bank').locator('.row-main').click();
      await page.getByTestId('recovery-summary').getByText('3 of 3 unused').waitFor();
    });
  });
});

describe('a vault written before backup codes (the v1 fixture)', () => {
  it('opens in the window, and the first codes ask for its password once, then are sealed with it', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-e2e-v1-'));
    mkdirSync(path.join(dataDir, 'vault'));
    copyFileSync(path.join(repoRoot, 'test/fixtures/vault-v1/vault.lkv'), path.join(dataDir, 'vault', 'vault.lkv'));
    const app = await openApp(browser(), { dataDir });
    try {
      const { page } = app;
      await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple v1');
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await expect.poll(() => page.getByTestId('account-row').count()).toBe(5);
      await row(app, 'GitHub').hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('protection-notice').getByText('Latchkey will ask for your vault password once').waitFor();
      await page.getByLabel('Paste your backup codes, or drop the file the service gave you').fill(CODES.join('\n'));
      await page.getByRole('button', { name: 'Save 5 codes' }).click();
      const dialog = page.getByRole('dialog', { name: 'Password for backup codes' });
      await dialog.getByLabel('Vault password').fill('correct horse battery staple v1');
      await dialog.getByRole('button', { name: 'Open' }).click();
      await page.getByTestId('recovery-summary').getByText('5 of 5 unused').waitFor();
      const content = app.services.vault.content();
      expect(content.recovery.seal).not.toBeNull();
      expect(JSON.stringify(content)).not.toContain(CODES[0]);
      await page.getByTestId('protection-notice').getByText(/Sealed with your vault password/).waitFor();
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('running low, none left, none at all', () => {
  it('say so in words on the codes page and in “I’m locked out”, with the way to add codes next to it', async () => {
    await session({}, async (app, { github, stripe }) => {
      const { page } = app;
      const spent = await app.services.recovery.addCodes(stripe, ['k3v9-x2pd'], 'pasted');
      await app.services.recovery.setUsed(spent.id, 0, true);
      await app.services.recovery.addCodes(github, CODES.slice(0, 2), 'pasted');
      await row(app, 'Stripe').getByTestId('recovery-badge').getByText('No backup codes left').waitFor();

      // None left: a sentence and a button that opens the form for new codes.
      await row(app, 'Stripe').hover();
      await page.getByRole('button', { name: 'Backup codes of Stripe (acme)' }).click();
      await page.getByTestId('running-out-notice').getByText('Every backup code has been used.', { exact: false }).waitFor();
      await expectAccessible(page, 'codes page with none left');
      await page.getByTestId('running-out-notice').getByRole('button', { name: 'Add new codes' }).click();
      await page.getByLabel('Paste your backup codes, or drop the file the service gave you').waitFor();
      expect(await page.getByTestId('running-out-notice').count()).toBe(0);
      await page.getByRole('button', { name: 'Back to accounts' }).click();

      // Two left: the count in the sentence.
      await row(app, 'GitHub').hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('running-out-notice').getByText('Only 2 backup codes left.', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Back to accounts' }).click();

      // I'm locked out: the same words as the badges, and the login code grouped as in the list.
      await page.getByRole('button', { name: 'I’m locked out' }).click();
      const matches = page.getByRole('list', { name: 'Matching accounts' });
      expect(await matches.locator('.lockedout-count').allTextContents()).toEqual(['2 backup codes', 'None left']);
      await page.getByLabel('Which account can’t you get into?').fill('github');
      await expect.poll(async () => (await page.getByTestId('rescue-login-code').textContent()) ?? '').toMatch(/^\d{3} \d{3}$/);
      await expect.poll(async () => (await page.getByTestId('rescue-login-expiry').textContent()) ?? '').toMatch(/^Changes in ([1-9]|[12]\d|30) s\.$/);

      // A keychain-only vault: "Add a password" lands on the password form in Settings, with the focus in it.
      await page.getByRole('button', { name: 'Back to accounts' }).click();
      await row(app, 'GitHub').hover();
      await page.getByRole('button', { name: 'Backup codes of GitHub (alice)' }).click();
      await page.getByTestId('protection-notice').getByRole('button', { name: 'Add a password' }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(await page.getByLabel('New password', { exact: true }).getAttribute('id'));
      expect(await page.getByLabel('New password', { exact: true }).isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: 'Set a password' }).waitFor();
    });
  });
});

describe('the lockout risk of an empty vault', () => {
  it('says there is nothing yet instead of "0 of 0 accounts", and still offers codes-only entries', async () => {
    const app = await openApp(browser());
    try {
      const { page } = app;
      await createVault(app, { password: null, useKeychain: true });
      await page.getByRole('button', { name: 'Lockout risk' }).click();
      await page.getByTestId('risk-summary').getByText('No accounts yet.', { exact: false }).waitFor();
      expect(await page.getByTestId('risk-summary').textContent()).not.toContain('0 of 0');
      await page.getByRole('button', { name: 'Backup codes only…' }).waitFor();
      await expectAccessible(page, 'lockout risk of an empty vault');
    } finally {
      await app.close();
    }
  });
});
