import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccountsService } from '../electron/main/accounts';
import { OsKeychain } from '../electron/main/keychain';
import { encodeBase32 } from '../electron/main/otp';
import { type StoredAccount, VaultService } from '../electron/main/vault';

const SIZES = [100, 1_000, 10_000];
const RUNS = 7;
const PASSWORD = 'correct horse battery staple';

export interface VaultBenchRow {
  accounts: number;
  openKeychainMs: number;
  openPasswordMs: number;
  saveMs: number;
  codesColdMs: number;
  codesWarmMs: number;
  fileKiB: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timeIt(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

export function randomAccount(index: number): StoredAccount {
  const types = ['totp', 'totp', 'totp', 'hotp', 'steam'] as const;
  const algorithms = ['SHA1', 'SHA1', 'SHA256', 'SHA512'] as const;
  const type = types[index % types.length] as StoredAccount['type'];
  const now = Date.now();
  return {
    id: randomUUID(),
    type,
    secret: encodeBase32(crypto.getRandomValues(new Uint8Array(20))),
    issuer: `Issuer ${index}`,
    label: `user${index}@example.com`,
    algorithm: type === 'steam' ? 'SHA1' : (algorithms[index % algorithms.length] as StoredAccount['algorithm']),
    digits: type === 'steam' ? 5 : 6,
    period: 30,
    counter: type === 'hotp' ? index : 0,
    group: index % 7 === 0 ? 'Work' : null,
    notes: index % 10 === 0 ? 'Backup codes are in the safe.' : '',
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

/** Vault open (keychain and password slots), save and all codes, medians over RUNS. */
export async function benchVault(): Promise<VaultBenchRow[]> {
  const keychain = new OsKeychain('Latchkey-bench');
  const rows: VaultBenchRow[] = [];
  for (const size of SIZES) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-'));
    try {
      const vault = new VaultService({ dir, keychain });
      await vault.create({ password: PASSWORD, useKeychain: true });
      await vault.update((content) => {
        for (let index = 0; index < size; index += 1) content.accounts.push(randomAccount(index));
      });
      const open = async (how: 'keychain' | 'password') => {
        const fresh = new VaultService({ dir, keychain });
        const ms = await timeIt(() => (how === 'keychain' ? fresh.unlockWithKeychain() : fresh.unlockWithPassword(PASSWORD)));
        fresh.lock();
        return ms;
      };
      const openKeychain: number[] = [];
      const openPassword: number[] = [];
      const save: number[] = [];
      const codesCold: number[] = [];
      const codesWarm: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        openKeychain.push(await open('keychain'));
        openPassword.push(await open('password'));
        save.push(await timeIt(() => vault.update((content) => void ((content.accounts[0] as StoredAccount).notes = `edited in run ${run}`))));
        const accounts = new AccountsService(vault);
        codesCold.push(await timeIt(() => accounts.codes()));
        // the next period: every generator computes again, but is already built
        const later = Date.now() + 30_000 * (run + 1);
        codesWarm.push(await timeIt(() => accounts.codes(undefined, later)));
      }
      const bytes = statSync(path.join(dir, 'vault.lkv')).size;
      rows.push({
        accounts: size,
        openKeychainMs: median(openKeychain),
        openPasswordMs: median(openPassword),
        saveMs: median(save),
        codesColdMs: median(codesCold),
        codesWarmMs: median(codesWarm),
        fileKiB: bytes / 1024,
      });
      await vault.removeKeychainSlot({ currentPassword: PASSWORD });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
