import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { NewAccountInput } from '../../../shared/domain';
import type { AppUnderTest } from './app';
import { hotp, randomSecret, totpWindow } from './otp';

/** A handful of accounts such as a person really has, for the list and its screenshots. */
export function realisticAccounts(): NewAccountInput[] {
  return [
    { type: 'totp', secret: randomSecret(), issuer: 'GitHub', label: 'alice@example.com', group: 'Work' },
    { type: 'totp', secret: randomSecret(), issuer: 'Google', label: 'alice.martin@gmail.com', group: 'Personal' },
    { type: 'totp', secret: randomSecret(), issuer: 'Amazon Web Services', label: 'root · prod-account', group: 'Work' },
    { type: 'totp', secret: randomSecret(), issuer: 'Stripe', label: 'alice@acme.io', group: 'Work', digits: 8 },
    { type: 'totp', secret: randomSecret(), issuer: 'Dropbox', label: 'alice@example.com', group: 'Personal' },
    { type: 'steam', secret: randomSecret(), issuer: 'Steam', label: 'alice_plays', group: 'Personal' },
    { type: 'totp', secret: randomSecret(), issuer: 'Cloudflare', label: 'ops@acme.io', group: 'Work' },
    { type: 'hotp', secret: randomSecret(), issuer: 'YubiCloud', label: 'alice', counter: 4 },
    { type: 'totp', secret: randomSecret(), issuer: 'Mastodon', label: '@alice@hachyderm.io', group: 'Personal' },
    { type: 'totp', secret: randomSecret(), issuer: 'Proton', label: 'alice@proton.me', group: 'Personal' },
  ];
}

/** A vault opened by the keychain, created straight through the services (not the UI under test). */
export async function createVault(app: AppUnderTest, options: { password?: string | null; useKeychain?: boolean } = {}): Promise<void> {
  await app.services.vault.create({ password: options.password ?? null, useKeychain: options.useKeychain ?? true });
}

export async function seed(app: AppUnderTest, accounts: NewAccountInput[]): Promise<void> {
  await app.services.accounts.addMany(accounts);
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page, context: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, `${context}: ${serious.join('\n')}`).toEqual([]);
}

/** The grouped code shown for the account named `issuer`, without its spaces. */
export async function codeOf(page: Page, issuer: string): Promise<string> {
  const row = page.getByTestId('account-row').filter({ hasText: issuer });
  const text = await row.getByTestId('code').textContent();
  return (text ?? '').replace(/\s/g, '');
}

/** Every code of every seeded TOTP account around now: none of them may be left in a locked page. */
export function allCodesAround(accounts: NewAccountInput[], timeMs: number): string[] {
  return accounts.flatMap((account) => {
    if (account.type === 'hotp') return [hotp(account.secret, account.counter ?? 0, account.digits ?? 6)];
    if (account.type === 'steam') return [];
    return totpWindow(account.secret, timeMs, { digits: account.digits ?? 6, period: account.period ?? 30 });
  });
}

/** The page's HTML holds none of these codes, in groups or not. */
export async function expectNoCodesInPage(page: Page, codes: string[]): Promise<void> {
  const html = await page.content();
  const grouped = codes.map((code) => groupCode(code));
  const leaked = [...codes, ...grouped].filter((code) => html.includes(code));
  expect(leaked).toEqual([]);
}

/** The app groups codes 3-3 (6), 3-4 (7), 4-4 (8): the test's own copy of the rule it checks. */
export function groupCode(code: string): string {
  if (code.length === 6) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 7) return `${code.slice(0, 3)} ${code.slice(3)}`;
  if (code.length === 8) return `${code.slice(0, 4)} ${code.slice(4)}`;
  return code;
}
