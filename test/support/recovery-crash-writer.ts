/**
 * Child process of the ledger's crash-safety test: opens the vault with its password (which also
 * opens the seal), then spends backup codes in a loop, adding a fresh set of 20 when the current
 * one runs out, and prints `spent N` after each save has resolved. The parent kills it at random.
 */
import type { SecretStore } from '../../electron/main/keychain/secret-store';
import { RecoveryService } from '../../electron/main/recovery';
import { VaultService } from '../../electron/main/vault';
import { TEST_PASSWORD_COST } from './vault-fixtures';

const [dir, password, accountId] = process.argv.slice(2) as [string, string, string];
const noKeychain: SecretStore = {
  get: () => Promise.reject(new Error('keychain not used in this test')),
  set: () => Promise.reject(new Error('keychain not used in this test')),
  delete: () => Promise.reject(new Error('keychain not used in this test')),
};
const vault = new VaultService({ dir, keychain: noKeychain, passwordCost: TEST_PASSWORD_COST, writerLock: { waitMs: 5000 } });
const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
await vault.unlockWithPassword(password);
await recovery.unseal(password);
const spentSoFar = () => vault.content().recovery.sets.reduce((sum, set) => sum + set.usage.filter((usage) => usage !== null).length, 0);
process.stdout.write(`ready ${spentSoFar()}\n`);
for (;;) {
  const sets = vault.content().recovery.sets.length;
  try {
    await recovery.useNext(accountId, 'marked');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'RECOVERY_EXHAUSTED')) throw error;
    await recovery.addCodes(accountId, Array.from({ length: 20 }, (_, index) => `set${sets}-code${String(index).padStart(2, '0')}`), 'pasted');
  }
  process.stdout.write(`spent ${spentSoFar()}\n`);
}
