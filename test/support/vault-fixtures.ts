import type { StoredAccount } from '../../electron/main/vault';
import { seededRandom } from './seeded-random';

const accountIds = seededRandom('sample-account-ids');

/** Real Argon2id, at a cost that keeps a test suite quick; the slot records whatever was used. */
export const TEST_PASSWORD_COST = { opsLimit: 1, memLimit: 1024 * 1024 };

export function sampleAccount(overrides: Partial<StoredAccount> = {}): StoredAccount {
  const now = Date.now();
  return {
    id: accountIds.uuid(),
    type: 'totp',
    secret: 'JBSWY3DPEHPK3PXP',
    issuer: 'Example',
    label: 'alice@example.com',
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    counter: 0,
    group: null,
    notes: '',
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
    ...overrides,
  };
}
