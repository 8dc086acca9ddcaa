import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewAccountInput } from '../../shared/domain';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { allCodesAround, createVault, expectNoCodesInPage, groupCode, realisticAccounts, seed } from './support/fixtures';
import { randomSecret, totp, totpWindow } from './support/otp';

/** The list: search, keyboard, copy and the clipboard, order, hidden codes, and 1,000 accounts. */
const browser = useChromium();

async function listApp(accounts: NewAccountInput[]): Promise<AppUnderTest> {
  const app = await openApp(browser());
  await createVault(app, { useKeychain: true });
  await seed(app, accounts);
  await expect.poll(() => app.page.getByTestId('code').count()).toBeGreaterThanOrEqual(Math.min(accounts.length, 8));
  return app;
}

async function session(accounts: NewAccountInput[], run: (app: AppUnderTest) => Promise<void>): Promise<void> {
  const app = await listApp(accounts);
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

const issuers = (page: Page) => page.getByTestId('account-row').locator('.row-issuer').allTextContents();
const focusedIssuer = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-testid="account-row"]')?.querySelector('.row-issuer')?.textContent ?? null);
const isFocused = (page: Page, selector: string) => page.evaluate((css) => document.activeElement === document.querySelector(css), selector);

describe('search and the keyboard', () => {
  it('filters as you type, Esc clears, arrows/Home/End move the selection, Enter copies', async () => {
    const accounts = realisticAccounts();
    await session(accounts, async ({ page, clipboard }) => {
      await page.getByTestId('account-row').first().click();
      await page.keyboard.press('Control+f');
      await expect.poll(() => isFocused(page, 'input[aria-label="Search accounts"]')).toBe(true);

      await page.keyboard.type('drop');
      await expect.poll(() => issuers(page)).toEqual(['Dropbox']);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByTestId('account-row').count()).toBe(10);
      expect(await page.getByRole('searchbox', { name: 'Search accounts' }).inputValue()).toBe('');

      // A label or a group matches too.
      await page.keyboard.type('acme');
      await expect.poll(() => issuers(page)).toEqual(['Stripe', 'Cloudflare']);
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedIssuer(page)).toBe('Stripe');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedIssuer(page)).toBe('Cloudflare');
      await page.keyboard.press('Enter');
      await page.getByRole('status').getByText(/Copied — clears in 30 s/).waitFor();
      const cloudflare = accounts.find((account) => account.issuer === 'Cloudflare')!;
      expect(totpWindow(cloudflare.secret, Date.now())).toContain(clipboard.text);

      // Up from the first row goes back to the search; typing in the list searches too.
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => isFocused(page, 'input[aria-label="Search accounts"]')).toBe(true);
      await page.keyboard.press('Escape');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedIssuer(page)).not.toBeNull();
      await page.keyboard.press('End');
      await expect.poll(() => focusedIssuer(page)).toBe('Proton');
      await page.keyboard.press('Home');
      await expect.poll(() => focusedIssuer(page)).toBe('GitHub');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => focusedIssuer(page)).toBe('Google');
      await page.keyboard.type('st');
      await expect.poll(() => issuers(page)).toEqual(['Stripe', 'Steam', 'Mastodon']);

      // Tab from the selected row reaches its own buttons (edit), so every action has a key.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit Stripe (alice@acme.io)');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Edit account' }).waitFor();
      await page.keyboard.press('Escape');
      // Back on the list, the focus returns to the row that was being edited.
      await expect.poll(() => focusedIssuer(page)).toBe('Stripe');
    });
  });
});

describe('copying', () => {
  it('copies through the main process, says when the clipboard clears, and clears it', async () => {
    const accounts = realisticAccounts().slice(0, 3);
    await session(accounts, async ({ page, clipboard, services }) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByLabel('Clear clipboard').fill('1');
      await expect.poll(() => services.settings.get().clipboardClearSeconds).toBe(1);
      await page.getByRole('button', { name: 'Back to accounts' }).click();

      const github = page.getByTestId('account-row').filter({ hasText: 'GitHub' });
      const shown = (await github.getByTestId('code').textContent())!.replace(' ', '');
      await github.click();
      await page.getByRole('status').getByText('Copied — clears in 1 s').waitFor();
      expect(totpWindow(accounts[0]!.secret, Date.now())).toContain(clipboard.text);
      expect([shown, ...totpWindow(accounts[0]!.secret, Date.now())]).toContain(clipboard.text);
      await expect.poll(() => clipboard.text, { timeout: 5_000 }).toBe('');
      expect(services.accounts.list().find((account) => account.issuer === 'GitHub')?.lastUsedAt).not.toBeNull();
    });
  });
});

describe('order', () => {
  it('moves rows with Alt+arrows and by dragging; the order is saved and survives a restart', async () => {
    const accounts = realisticAccounts().slice(0, 5); // GitHub, Google, AWS, Stripe, Dropbox
    const app = await listApp(accounts);
    let restarted: AppUnderTest | null = null;
    try {
      const { page } = app;
      await page.getByTestId('account-row').filter({ hasText: 'GitHub' }).getByRole('button').first().focus();
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(() => issuers(page)).toEqual(['Google', 'GitHub', 'Amazon Web Services', 'Stripe', 'Dropbox']);
      await page.keyboard.press('Alt+ArrowDown');
      await expect.poll(() => issuers(page)).toEqual(['Google', 'Amazon Web Services', 'GitHub', 'Stripe', 'Dropbox']);
      expect(await focusedIssuer(page)).toBe('GitHub');

      // Drag Dropbox onto the top half of the first row: it goes first.
      const dropbox = page.getByTestId('account-row').filter({ hasText: 'Dropbox' });
      const first = page.getByTestId('account-row').first();
      await dropbox.dragTo(first, { targetPosition: { x: 100, y: 8 } });
      await expect.poll(() => issuers(page)).toEqual(['Dropbox', 'Google', 'Amazon Web Services', 'GitHub', 'Stripe']);
      await expect
        .poll(() => app.services.accounts.list().map((account) => account.issuer))
        .toEqual(['Dropbox', 'Google', 'Amazon Web Services', 'GitHub', 'Stripe']);

      restarted = await app.restart();
      await expect.poll(() => restarted!.page.getByTestId('code').count()).toBe(5);
      expect(await issuers(restarted.page)).toEqual(['Dropbox', 'Google', 'Amazon Web Services', 'GitHub', 'Stripe']);

      // Name A–Z is a view; the manual order stays underneath it.
      await restarted.page.getByRole('combobox', { name: 'Sort order' }).selectOption('issuer');
      await expect.poll(() => issuers(restarted!.page)).toEqual(['Amazon Web Services', 'Dropbox', 'GitHub', 'Google', 'Stripe']);
      await expect.poll(() => restarted!.services.settings.get().sortOrder).toBe('issuer');
      expect(restarted.services.accounts.list()[0]?.issuer).toBe('Dropbox');
    } finally {
      await (restarted ?? app).close();
    }
  });
});

describe('recently used', () => {
  it('puts the accounts last copied first', async () => {
    const accounts = realisticAccounts().slice(0, 5);
    await session(accounts, async ({ page, services }) => {
      for (const issuer of ['Stripe', 'Google']) {
        await page.getByTestId('account-row').filter({ hasText: issuer }).click();
        await page.getByRole('status').getByText(/Copied/).waitFor();
        await expect.poll(() => services.accounts.list().find((account) => account.issuer === issuer)?.lastUsedAt ?? null).not.toBeNull();
      }
      await page.getByRole('combobox', { name: 'Sort order' }).selectOption('recent');
      await expect.poll(() => issuers(page)).toEqual(['Google', 'Stripe', 'GitHub', 'Amazon Web Services', 'Dropbox']);
    });
  });
});

describe('next code preview', () => {
  it('shows the next code in the last seconds of a period, and not when the setting is off', async () => {
    const accounts = realisticAccounts().slice(0, 2);
    await session(accounts, async ({ page, clock, services }) => {
      // Both sides' clocks 4 s before the end of a period: main's (codes) and the window's (countdowns).
      // The window's codes then look expired to it, so it asks main for them again.
      const now = Date.now();
      const at = now - (now % 30_000) + 60_000 - 4_000;
      clock.advance(at - now);
      await page.clock.setFixedTime(at);
      const github = page.getByTestId('account-row').filter({ hasText: 'GitHub' });
      await expect.poll(() => github.getByTestId('next-code').textContent(), { timeout: 5_000 }).toBe(groupCode(totp(accounts[0]!.secret, at + 30_000)));
      expect(await github.getByTestId('code').textContent()).toBe(groupCode(totp(accounts[0]!.secret, at)));

      await services.settings.update({ showNextCode: false });
      await expect.poll(() => page.getByTestId('next-code').count()).toBe(0);
      expect(await page.getByTestId('code').count()).toBe(2);
    });
  });
});

describe('hidden codes', () => {
  it('shows dots until a row is pointed at or selected, and never puts the hidden codes in the page', async () => {
    const accounts = realisticAccounts().slice(0, 4);
    await session(accounts, async ({ page, services }) => {
      await services.settings.update({ hideCodes: true });
      await expect.poll(() => page.getByTestId('code').count()).toBe(0);
      expect(await page.getByTestId('code-hidden').count()).toBe(4);
      const google = accounts[1]!;
      await expectNoCodesInPage(page, allCodesAround(accounts, Date.now()));

      await page.getByTestId('account-row').filter({ hasText: 'Google' }).hover();
      await expect.poll(() => page.getByTestId('code').count()).toBe(1);
      const shown = (await page.getByTestId('account-row').filter({ hasText: 'Google' }).getByTestId('code').textContent())!.replace(' ', '');
      expect(totpWindow(google.secret, Date.now())).toContain(shown);

      await page.mouse.move(5, 5);
      await expect.poll(() => page.getByTestId('code').count()).toBe(0);
      await page.getByTestId('account-row').filter({ hasText: 'Stripe' }).getByRole('button').first().focus();
      await expect.poll(() => page.getByTestId('account-row').filter({ hasText: 'Stripe' }).getByTestId('code').count()).toBe(1);
    });
  });
});

describe('1,000 accounts', () => {
  it('keeps only the rows in view in the page and asks main only for their codes', async () => {
    const many: NewAccountInput[] = Array.from({ length: 1000 }, (_, index) => ({
      type: 'totp',
      secret: randomSecret(),
      issuer: `Service ${String(index + 1).padStart(4, '0')}`,
      label: `user${index + 1}@example.com`,
    }));
    const app = await openApp(browser());
    const requested: number[] = [];
    const original = app.services.handlers['codes:get'];
    app.services.handlers['codes:get'] = (input) => {
      requested.push(input.ids?.length ?? Infinity);
      return original(input);
    };
    try {
      const { page } = app;
      await createVault(app, { useKeychain: true });
      await app.services.accounts.addMany(many);
      await page.getByTestId('account-row').filter({ hasText: 'Service 0001' }).getByTestId('code').waitFor();
      expect(await page.getByTestId('account-row').count()).toBeLessThan(30);

      await page.getByTestId('account-row').first().getByRole('button').first().focus();
      await page.keyboard.press('End');
      const last = page.getByTestId('account-row').filter({ hasText: 'Service 1000' });
      await last.getByTestId('code').waitFor();
      const shown = (await last.getByTestId('code').textContent())!.replace(' ', '');
      expect(totpWindow(many[999]!.secret, Date.now())).toContain(shown);
      expect(await page.getByTestId('account-row').count()).toBeLessThan(30);
      expect(requested.length).toBeGreaterThan(0);
      expect(Math.max(...requested)).toBeLessThan(30);
    } finally {
      app.services.handlers['codes:get'] = original;
      await app.close();
    }
  });
});
