/**
 * Child process of the crash-safety test: opens the vault and saves in a loop, adding one account
 * per save, and prints `saved N` after each save has resolved (pipes are synchronous on Linux, so
 * every printed line is in the pipe before the next save starts). The parent kills it at random.
 */
import { VaultService } from '../../electron/main/vault';
import type { SecretStore } from '../../electron/main/keychain/secret-store';
import { seededRandom } from './seeded-random';
import { sampleAccount, TEST_PASSWORD_COST } from './vault-fixtures';

/** Every writer process numbers accounts the same way, so each account's id derives from its index. */
const accountIdFor = (index: number): string => seededRandom(`crash-writer-account-${index}`).uuid();

const [dir, password] = process.argv.slice(2) as [string, string];
// The vault here has only a password slot; nothing may reach for the keychain.
const noKeychain: SecretStore = {
  get: () => Promise.reject(new Error('keychain not used in this test')),
  set: () => Promise.reject(new Error('keychain not used in this test')),
  delete: () => Promise.reject(new Error('keychain not used in this test')),
};
const vault = new VaultService({ dir, keychain: noKeychain, passwordCost: TEST_PASSWORD_COST, writerLock: { waitMs: 5000 } });
await vault.unlockWithPassword(password);
process.stdout.write(`ready ${vault.content().accounts.length}\n`);
for (;;) {
  const count = await vault.update((content) => {
    content.accounts.push(sampleAccount({ issuer: String(content.accounts.length), id: accountIdFor(content.accounts.length) }));
    return content.accounts.length;
  });
  process.stdout.write(`saved ${count}\n`);
}
