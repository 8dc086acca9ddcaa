import { OsKeychain } from '../../electron/main/keychain';
import { VaultService, type VaultServiceOptions } from '../../electron/main/vault';
import { TEST_PASSWORD_COST } from './vault-fixtures';

export { sampleAccount, TEST_PASSWORD_COST } from './vault-fixtures';

/** A keychain under a test service name, so tests never touch a real user's Latchkey entries. */
export function testKeychain(): OsKeychain {
  return new OsKeychain('Latchkey-test');
}

export function makeVault(dir: string, options: Partial<VaultServiceOptions> = {}): VaultService {
  return new VaultService({ dir, keychain: testKeychain(), passwordCost: TEST_PASSWORD_COST, ...options });
}
