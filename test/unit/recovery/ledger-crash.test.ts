import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../../electron/main/keychain/secret-store';
import { RecoveryService } from '../../../electron/main/recovery';
import { VaultService } from '../../../electron/main/vault';
import { bundleForNode } from '../../support/bundle';
import { seededRandom } from '../../support/seeded-random';
import { repoRoot, useTempDirs } from '../../support/temp-dir';
import { sampleAccount, TEST_PASSWORD_COST } from '../../support/vault-fixtures';

const tempDir = useTempDirs();
const KILLS = 40;
const PASSWORD = 'ledger crash test';
/** Enough accounts that a save takes several milliseconds, so kills land inside saves. */
const STARTING_ACCOUNTS = 1500;

const unusedKeychain: SecretStore = {
  get: () => Promise.reject(new Error('not used')),
  set: () => Promise.reject(new Error('not used')),
  delete: () => Promise.reject(new Error('not used')),
};

function openVault(dir: string): { vault: VaultService; recovery: RecoveryService } {
  const vault = new VaultService({ dir, keychain: unusedKeychain, passwordCost: TEST_PASSWORD_COST });
  return { vault, recovery: new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST }) };
}

let writerScript = '';
beforeAll(async () => {
  writerScript = await bundleForNode(path.join(repoRoot, 'test/support/recovery-crash-writer.ts'), 'recovery-crash-writer');
});

function runAndKill(dir: string, accountId: string, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, dir, PASSWORD, accountId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pending = '';
    let errors = '';
    let acknowledged = -1;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready' && acknowledged < 0) {
          acknowledged = Number(value);
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        }
        if (word === 'spent') acknowledged = Math.max(acknowledged, Number(value));
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended without being killed: ${errors}`));
      else resolve(acknowledged);
    });
  });
}

describe('the ledger under SIGKILL', () => {
  it(`keeps every acknowledged use of a code across ${KILLS} kills in the middle of saves`, async () => {
    const random = seededRandom('recovery ledger crash');
    const dir = tempDir();
    const seed = openVault(dir);
    await seed.vault.create({ password: PASSWORD, useKeychain: false });
    const account = sampleAccount({ issuer: 'Spent' });
    await seed.vault.update((content) => {
      content.accounts.push(account);
      for (let index = 0; index < STARTING_ACCOUNTS; index += 1) content.accounts.push(sampleAccount({ issuer: String(index) }));
    });
    await seed.recovery.addCodes(account.id, Array.from({ length: 20 }, (_, index) => `first-code${String(index).padStart(2, '0')}`), 'pasted');
    seed.vault.lock();

    for (let round = 0; round < KILLS; round += 1) {
      const acknowledged = await runAndKill(dir, account.id, random.int(0, 40));
      const { vault, recovery } = openVault(dir);
      await vault.unlockWithPassword(PASSWORD);
      await recovery.unseal(PASSWORD);
      const sets = vault.content().recovery.sets;
      const spent = sets.reduce((sum, set) => sum + set.usage.filter((usage) => usage !== null).length, 0);
      // the state before the save in flight, or after it: never less than acknowledged
      expect([acknowledged, acknowledged + 1]).toContain(spent);
      // codes are spent in order, every superseded set completely, and exactly one set is current
      for (const set of sets) {
        const used = set.usage.filter((usage) => usage !== null).length;
        expect(set.usage.every((usage, index) => (usage !== null) === index < used)).toBe(true);
        if (set.supersededAt !== null) expect(used).toBe(set.count);
      }
      expect(sets.filter((set) => set.supersededAt === null)).toHaveLength(1);
      const current = sets.find((set) => set.supersededAt === null);
      expect((await recovery.reveal(current?.id as string)).codes).toHaveLength(current?.count ?? -1);
      vault.lock();
    }
  }, 600_000);
});
