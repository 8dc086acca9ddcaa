import type { AccountSummary } from '../../shared/domain';
import { LatchkeyError } from '../../shared/errors';
import { type AccountsService, matchesQuery } from '../main/accounts';

/** How the command line names an account: "Issuer – label", or "(unnamed)". */
export function displayName(account: { issuer: string; label: string }): string {
  return [account.issuer, account.label].filter(Boolean).join(' – ') || '(unnamed)';
}

/** The accounts a query names: the one with that exact id, else every issuer or label containing it. */
export function accountsMatching(accounts: AccountsService, query: string): AccountSummary[] {
  const all = accounts.list();
  const byId = all.find((account) => account.id === query);
  return byId ? [byId] : all.filter((account) => matchesQuery(account, query));
}

/** The one account a query names: an exact id, or the only issuer/label match. */
export function oneAccount(accounts: AccountsService, query: string): AccountSummary {
  const matching = accountsMatching(accounts, query);
  if (matching.length === 1) return matching[0] as AccountSummary;
  if (matching.length === 0) throw new LatchkeyError('ACCOUNT_NOT_FOUND', `No account matches '${query}'.`);
  throw new LatchkeyError('INVALID_INPUT', `'${query}' matches ${matching.length} accounts (${matching.slice(0, 5).map(displayName).join(', ')}); give more of the name, or the id.`);
}
