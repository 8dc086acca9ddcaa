import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { codeOf, createVault, realisticAccounts, seed } from './support/fixtures';
import { hotp, randomSecret, totpWindow } from './support/otp';

/** Adding, checking, editing and deleting accounts through the window, over the real vault. */
const browser = useChromium();

async function unlockedApp(): Promise<AppUnderTest> {
  const app = await openApp(browser());
  await createVault(app, { useKeychain: true });
  await app.page.getByRole('heading', { name: 'Add your first account' }).waitFor();
  return app;
}

async function session(run: (app: AppUnderTest) => Promise<void>, prepare?: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const app = await unlockedApp();
  try {
    await prepare?.(app);
    await run(app);
  } finally {
    await app.close();
  }
}

function row(page: Page, text: string) {
  return page.getByTestId('account-row').filter({ hasText: text });
}

/** The field's problem is announced with it (aria-describedby), not just painted near it. */
async function problemOf(page: Page, label: string, role: 'textbox' | 'combobox' = 'textbox'): Promise<string> {
  return page.getByRole(role, { name: label, exact: true }).evaluate((element) => {
    const ids = (element.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return ids
      .map((id) => document.getElementById(id))
      .filter((node): node is HTMLElement => node?.classList.contains('field-error') ?? false)
      .map((node) => node.textContent)
      .join(' ');
  });
}

describe('adding an account by hand', () => {
  it('validates as you type, adds it, and shows the code RFC 6238 gives for its secret', async () => {
    await session(async ({ page, services }) => {
      await page.getByRole('button', { name: 'Add account' }).click();
      await page.getByRole('heading', { name: 'Add account' }).waitFor();
      const secret = randomSecret();

      await page.getByLabel('Service').fill('GitLab');
      await page.getByLabel('Account name').fill('sam@example.org');
      await page.getByLabel('Secret key').fill('NOT*BASE32');
      await expect.poll(() => problemOf(page, 'Secret key')).toMatch(/not valid base32.*invalid character '\*'/);

      await page.getByLabel('Period (s)').fill('0');
      await expect.poll(() => problemOf(page, 'Period (s)')).toMatch(/whole number of seconds, from 1 to 86400/);
      await page.getByLabel('Period (s)').fill('30');
      await expect.poll(() => problemOf(page, 'Period (s)')).toBe('');

      // Counter-based codes have a counter, not a period; Steam Guard has neither, nor digits.
      await page.getByRole('radio', { name: 'Counter-based' }).check();
      expect(await page.getByLabel('Counter', { exact: true }).isVisible()).toBe(true);
      expect(await page.getByLabel('Period (s)').count()).toBe(0);
      await page.getByRole('radio', { name: 'Steam Guard' }).check();
      expect(await page.getByLabel('Digits').count()).toBe(0);
      await page.getByRole('radio', { name: 'Time-based' }).check();

      // Adding with a problem left: nothing is saved, the focus goes to the field.
      await page.getByRole('button', { name: 'Add account' }).click();
      expect(await page.getByLabel('Secret key').evaluate((element) => element === document.activeElement)).toBe(true);
      expect(services.accounts.list()).toHaveLength(0);

      // Spaces and lowercase are how people copy keys; they are fine.
      await page.getByLabel('Secret key').fill(secret.toLowerCase().replace(/(.{4})/g, '$1 '));
      await expect.poll(() => problemOf(page, 'Secret key')).toBe('');
      await page.getByRole('button', { name: 'Add account' }).click();

      await row(page, 'GitLab').getByTestId('code').waitFor();
      await page.getByRole('status').getByText('Added GitLab (sam@example.org)').waitFor();
      expect(services.accounts.list()).toMatchObject([{ issuer: 'GitLab', label: 'sam@example.org', type: 'totp' }]);
      const text = await row(page, 'GitLab').getByTestId('code').textContent();
      expect(text).toMatch(/^\d{3} \d{3}$/);
      expect(totpWindow(secret, Date.now())).toContain(text!.replace(' ', ''));
    });
  });

  it('counter-based (HOTP): shows the counter’s code, and “Next code” advances it', async () => {
    await session(async ({ page, services }) => {
      const secret = randomSecret();
      await page.getByRole('button', { name: 'Enter a setup key' }).click();
      await page.getByLabel('Service').fill('Bank');
      await page.getByLabel('Secret key').fill(secret);
      await page.getByRole('radio', { name: 'Counter-based' }).check();
      await page.getByLabel('Counter', { exact: true }).fill('5');
      await page.getByRole('button', { name: 'Add account' }).click();

      await expect.poll(() => codeOf(page, 'Bank')).toBe(hotp(secret, 5));
      await page.getByRole('button', { name: 'Next code for Bank' }).click();
      await expect.poll(() => codeOf(page, 'Bank')).toBe(hotp(secret, 6));
      expect(services.accounts.list()[0]?.counter).toBe(6);
    });
  });
});

describe('adding an account from a setup link', () => {
  it('previews what the link adds, then adds it; an 8-digit SHA-256 code matches RFC 6238 and reads 1234 5678', async () => {
    await session(async ({ page, services }) => {
      const secret = randomSecret(32);
      const uri = `otpauth://totp/Fastmail:jo%40fastmail.com?secret=${secret}&issuer=Fastmail&algorithm=SHA256&digits=8&period=60`;
      await page.getByRole('button', { name: 'Paste a setup link' }).click();
      const link = page.getByRole('textbox', { name: 'Setup link' });
      await link.fill('otpauth://totp/Broken?secret=');
      await expect.poll(() => problemOf(page, 'Setup link')).toMatch(/not a valid otpauth:\/\/ link/);

      await link.fill(uri);
      const preview = page.getByRole('region', { name: 'What will be added' });
      await preview.getByText('Fastmail', { exact: true }).waitFor();
      await preview.getByText('jo@fastmail.com').waitFor();
      await preview.getByText('SHA-256').waitFor();
      await preview.getByText('60 s').waitFor();
      await page.getByRole('button', { name: 'Add account' }).click();

      const code = row(page, 'Fastmail').getByTestId('code');
      await code.waitFor();
      const text = (await code.textContent())!;
      expect(text).toMatch(/^\d{4} \d{4}$/);
      expect(totpWindow(secret, Date.now(), { digits: 8, period: 60, algorithm: 'sha256' })).toContain(text.replace(' ', ''));
      expect(services.accounts.list()).toMatchObject([{ issuer: 'Fastmail', algorithm: 'SHA256', digits: 8, period: 60 }]);
      // Once added, the secret is nowhere in the window: the list only ever receives codes.
      expect(await page.content()).not.toContain(secret);
    });
  });

  it('asks before adding a second copy of an account already there', async () => {
    const secret = randomSecret();
    const uri = `otpauth://totp/Figma:ana?secret=${secret}&issuer=Figma`;
    await session(
      async ({ page, services }) => {
        await row(page, 'Figma').getByTestId('code').waitFor();
        await page.getByRole('button', { name: 'Add account' }).click();
        await page.getByRole('radio', { name: 'Setup link' }).check();
        await page.getByRole('textbox', { name: 'Setup link' }).fill(uri);
        await page.getByRole('region', { name: 'What will be added' }).waitFor();
        await page.getByRole('button', { name: 'Add account' }).click();

        const dialog = page.getByRole('dialog', { name: 'Add a second copy?' });
        await dialog.getByText('It is already saved as Figma – ana.').waitFor();
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
        expect(services.accounts.list()).toHaveLength(1);

        await page.getByRole('button', { name: 'Add account' }).click();
        await dialog.getByRole('button', { name: 'Add a second copy' }).click();
        await expect.poll(() => row(page, 'Figma').count()).toBe(2);
        expect(services.accounts.list()).toHaveLength(2);
      },
      (app) => app.services.accounts.addFromUri(uri).then(() => undefined),
    );
  });
});

describe('editing and deleting', () => {
  it('edits the names, group and notes; the group filter then shows the account', async () => {
    await session(
      async ({ page, services }) => {
        await row(page, 'Dropbox').getByTestId('code').waitFor();
        await row(page, 'Dropbox').hover();
        await page.getByRole('button', { name: 'Edit Dropbox (alice@example.com)' }).click();
        await page.getByRole('heading', { name: 'Edit account' }).waitFor();
        await page.getByLabel('Service').fill('Dropbox Business');
        await page.getByLabel('Account name').fill('alice@acme.io');
        await page.getByLabel('Group').fill('Clients');
        await page.getByLabel('Notes').fill('Recovery codes are in the office safe.');
        await page.getByRole('button', { name: 'Save' }).click();

        await row(page, 'Dropbox Business').getByText('alice@acme.io').waitFor();
        await page.getByRole('status').getByText('Saved Dropbox Business (alice@acme.io)').waitFor();
        const saved = services.accounts.list().find((account) => account.issuer === 'Dropbox Business');
        expect(saved).toMatchObject({ label: 'alice@acme.io', group: 'Clients', notes: 'Recovery codes are in the office safe.' });

        await page.getByRole('group', { name: 'Filter by group' }).getByRole('button', { name: 'Clients' }).click();
        await expect.poll(() => page.getByTestId('account-row').count()).toBe(1);
        await row(page, 'Dropbox Business').waitFor();
        await page.getByRole('group', { name: 'Filter by group' }).getByRole('button', { name: 'All' }).click();
        await expect.poll(() => page.getByTestId('account-row').count()).toBe(4);

        // The notes are there when the account is opened again.
        await row(page, 'Dropbox Business').hover();
        await page.getByRole('button', { name: 'Edit Dropbox Business (alice@acme.io)' }).click();
        expect(await page.getByLabel('Notes').inputValue()).toBe('Recovery codes are in the office safe.');
      },
      (app) => seed(app, realisticAccounts().slice(2, 6)),
    );
  });

  it('deletes only after a confirmation that names the account', async () => {
    await session(
      async ({ page, services }) => {
        await row(page, 'Stripe').getByTestId('code').waitFor();
        await row(page, 'Stripe').hover();
        await page.getByRole('button', { name: 'Edit Stripe (alice@acme.io)' }).click();
        await page.getByRole('button', { name: 'Delete…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Delete Stripe (alice@acme.io)?' });
        await dialog.getByText('make sure you can still sign in to Stripe another way').waitFor();
        // The safe choice has the focus; Esc cancels and nothing is deleted.
        expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((element) => element === document.activeElement)).toBe(true);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(services.accounts.list()).toHaveLength(4);
        expect(await page.getByRole('button', { name: 'Delete…' }).evaluate((element) => element === document.activeElement)).toBe(true);

        await page.getByRole('button', { name: 'Delete…' }).click();
        await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
        await page.getByRole('status').getByText('Deleted Stripe (alice@acme.io)').waitFor();
        await expect.poll(() => page.getByTestId('account-row').count()).toBe(3);
        expect(services.accounts.list().map((account) => account.issuer)).not.toContain('Stripe');

        // From the list, with the keyboard: Delete on the selected row asks the same question.
        await row(page, 'Dropbox').getByRole('button').first().focus();
        await page.keyboard.press('Delete');
        await page.getByRole('dialog', { name: 'Delete Dropbox (alice@example.com)?' }).getByRole('button', { name: 'Delete', exact: true }).click();
        await expect.poll(() => page.getByTestId('account-row').count()).toBe(2);
      },
      (app) => seed(app, realisticAccounts().slice(2, 6)),
    );
  });
});
