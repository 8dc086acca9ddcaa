import type { AccountSummary } from '../../../shared/domain';
import { toSummary } from '../accounts/accounts-service';
import type { VaultService } from '../vault';

/**
 * The saved account with a given (normalized base32) secret, looked up in a map built once: an
 * import of thousands of entries into a vault of thousands of accounts must not compare every
 * pair. Entries reach the plan normalized, as the vault stores them.
 */
export function savedSecretLookup(vault: VaultService): (secret: string) => AccountSummary | null {
  const bySecret = new Map<string, AccountSummary>();
  for (const account of vault.content().accounts) if (account.secret !== null && !bySecret.has(account.secret)) bySecret.set(account.secret, toSummary(account));
  return (secret) => bySecret.get(secret) ?? null;
}
