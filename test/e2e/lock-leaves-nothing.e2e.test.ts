import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../support/seeded-random';
import { type AppUnderTest, openApp, useChromium } from './support/app';
import { allCodesAround, createVault, expectNoCodesInPage } from './support/fixtures';
import { base32Encode } from './support/otp';

/**
 * After a lock, manual or automatic, nothing of the vault is left in the page: not in the list,
 * and not in a toast that an action just showed ("Added …", "Copied the code for …", "Deleted …").
 */
const browser = useChromium();
const PASSWORD = 'lock test password';
const random = seededRandom('lock-leaves-nothing');

interface Account {
  issuer: string;
  label: string;
  secret: string;
}

/** Names found nowhere else in the app, so finding one in the page means it leaked. */
function distinctiveAccount(index: number): Account {
  return { issuer: `Zorblax${index}${random.id('i')}`, label: `quintus${index}.${random.id('l')}@example.org`, secret: base32Encode(random.bytes(20)) };
}

type Lock = 'Ctrl+L' | 'auto-lock';

async function lock(app: AppUnderTest, how: Lock): Promise<void> {
  if (how === 'Ctrl+L') {
    await app.page.keyboard.press('Control+l');
  } else {
    app.clock.advance(24 * 60 * 60_000);
    expect(app.services.autoLock.check()).toBe(true);
  }
  await app.page.getByRole('heading', { name: 'Latchkey is locked' }).waitFor();
}

async function expectNothingOf(page: Page, accounts: Account[], timeMs: number): Promise<void> {
  const html = await page.content();
  for (const account of accounts) {
    expect(html).not.toContain(account.issuer);
    expect(html).not.toContain(account.label);
    expect(html).not.toContain(account.secret);
  }
  await expectNoCodesInPage(page, allCodesAround(accounts.map((account) => ({ type: 'totp', ...account })), timeMs));
}

async function unlock(app: AppUnderTest): Promise<void> {
  await app.services.vault.unlockWithPassword(PASSWORD);
  await app.page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
}

function row(page: Page, account: Account) {
  return page.getByTestId('account-row').filter({ hasText: account.issuer });
}

const name = (account: Account) => `${account.issuer} (${account.label})`;

/** Each action, and the toast it shows, which must still be on screen when the lock comes. */
const actions: { what: string; run: (app: AppUnderTest, account: Account) => Promise<string> }[] = [
  {
    what: 'adding an account',
    run: async ({ page }, account) => {
      await page.getByRole('button', { name: 'Add account' }).first().click();
      await page.getByLabel('Service').fill(account.issuer);
      await page.getByLabel('Account name').fill(account.label);
      await page.getByLabel('Secret key').fill(account.secret);
      await page.getByRole('button', { name: 'Add account' }).click();
      return `Added ${name(account)}`;
    },
  },
  {
    what: 'copying a code',
    run: async ({ page, services }, account) => {
      await services.accounts.add({ type: 'totp', ...account });
      await row(page, account).getByTestId('code').click();
      return `Copied the code for ${name(account)}`;
    },
  },
  {
    what: 'editing an account',
    run: async ({ page, services }, account) => {
      await services.accounts.add({ type: 'totp', ...account, label: 'before' });
      await page.getByRole('button', { name: `Edit ${account.issuer} (before)` }).click();
      await page.getByLabel('Account name').fill(account.label);
      await page.getByRole('button', { name: 'Save' }).click();
      return `Saved ${name(account)}`;
    },
  },
  {
    what: 'deleting an account',
    run: async ({ page, services }, account) => {
      await services.accounts.add({ type: 'totp', ...account });
      await row(page, account).getByTestId('code').waitFor();
      await page.getByRole('button', { name: `Edit ${name(account)}` }).click();
      await page.getByRole('button', { name: 'Delete…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      return `Deleted ${name(account)}`;
    },
  },
];

describe('locking right after an action', () => {
  for (const how of ['Ctrl+L', 'auto-lock'] as const) {
    it(`leaves no issuer, label or code in the page after ${how}, whatever the last action was`, async () => {
      const app = await openApp(browser());
      try {
        await createVault(app, { password: PASSWORD, useKeychain: false });
        // Copies say "Copied the code for …" (with the name) when the clipboard is not cleared.
        await app.services.settings.update({ clipboardClearSeconds: 0 });
        await app.page.getByRole('button', { name: 'Lock', exact: true }).waitFor();
        const seen: Account[] = [];
        for (const [index, action] of actions.entries()) {
          const account = distinctiveAccount(index);
          seen.push(account);
          const toast = await action.run(app, account);
          await app.page.getByRole('status').getByText(toast, { exact: true }).waitFor();
          await lock(app, how);
          await expectNothingOf(app.page, seen, app.clock.now());
          await expectNothingOf(app.page, seen, Date.now());
          await unlock(app);
        }
      } finally {
        await app.close();
      }
    });
  }
});
