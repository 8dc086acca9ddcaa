import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { NewAccountInput } from '../../../shared/domain';
import type { AppUnderTest } from './app';
import { randomSecret } from './otp';

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
