import { spawn } from 'node:child_process';
import { existsSync, type FSWatcher, readdirSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { writeBackup } from '../../../electron/main/exporters';
import { RecoveryService } from '../../../electron/main/recovery';
import type { VaultService } from '../../../electron/main/vault';
import { bundleForNode } from '../../support/bundle';
import { seededRandom } from '../../support/seeded-random';
import { repoRoot, useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount, TEST_PASSWORD_COST } from '../../support/vault';

/**
 * `latchkey restore` killed with SIGKILL at moments the test observes in the vault folder (the
 * writer lock taken, the temporary file written, the vault file in place) and at seeded random
 * delays: afterwards there is either no vault (and restoring again works) or the complete one.
 * With a restore in two saves (create, then fill) a kill when vault.lkv appears leaves an empty vault.
 */

const tempDir = useTempDirs();
const ACCOUNTS = 3000;
const SOURCE_PASSWORD = 'source pw';
const BACKUP_PASSWORD = 'backup pw';
const NEW_PASSWORD = 'new pw';
const COST = { opsLimit: 1, memLimit: 1024 * 1024 };
type KillPoint = 'lock' | 'temporary file' | 'vault file' | 'delay';
const POINTS: KillPoint[] = ['lock', 'temporary file', 'vault file', 'delay'];
const ROUNDS_PER_POINT = 3;

let cliScript = '';
beforeAll(async () => {
  cliScript = await bundleForNode(path.join(repoRoot, 'electron/cli/main.ts'), 'restore-crash');
});

function pointOf(name: string): KillPoint | null {
  if (name === 'vault.lock') return 'lock';
  if (name.startsWith('vault.lkv.tmp-')) return 'temporary file';
  if (name === 'vault.lkv') return 'vault file';
  return null;
}

/** Runs the CLI's restore into `dir`; kills it at `point` (or after `delayMs`). Resolves with how it ended. */
function restoreAndKill(backupFile: string, dir: string, point: KillPoint, delayMs: number): Promise<{ killed: boolean; status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    let watcher: FSWatcher | null = null;
    const env = { ...process.env, LATCHKEY_PASSWORD: NEW_PASSWORD, LATCHKEY_IMPORT_PASSWORD: BACKUP_PASSWORD, LATCHKEY_BACKUP_VAULT_PASSWORD: SOURCE_PASSWORD };
    const child = spawn(process.execPath, [cliScript, 'restore', backupFile, '--no-keychain', '--vault', dir], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    const kill = () => {
      if (!killed) killed = child.kill('SIGKILL');
    };
    // The folder exists before the child starts, so every file the restore makes is seen.
    watcher = watch(dir, (_event, name) => {
      if (name !== null && pointOf(name.toString()) === point) kill();
    });
    const timer = point === 'delay' ? setTimeout(kill, delayMs) : null;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (status, signal) => {
      watcher?.close();
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', status, stderr });
    });
  });
}

async function backupFile(): Promise<{ file: string; issuers: string[]; sets: number }> {
  const vault: VaultService = makeVault(tempDir());
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  await vault.create({ password: SOURCE_PASSWORD, useKeychain: false });
  await vault.update((content) => {
    for (let index = 0; index < ACCOUNTS; index += 1) content.accounts.push(sampleAccount({ issuer: `Issuer ${index}` }));
  });
  const accounts = new AccountsService(vault);
  const random = seededRandom('restore-crash-codes');
  for (const account of accounts.list().slice(0, 20)) await recovery.addCodes(account.id, Array.from({ length: 10 }, () => random.id('code')), 'pasted');
  const file = path.join(tempDir(), 'backup.latchkey-backup');
  writeFileSync(file, await writeBackup(vault.content(), BACKUP_PASSWORD, COST));
  return { file, issuers: vault.content().accounts.map((account) => account.issuer), sets: vault.content().recovery.sets.length };
}

async function expectComplete(dir: string, expected: { issuers: string[]; sets: number }): Promise<void> {
  const vault = makeVault(dir);
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  await vault.unlockWithPassword(NEW_PASSWORD);
  expect(vault.content().accounts.map((account) => account.issuer)).toEqual(expected.issuers);
  expect(vault.content().recovery.sets).toHaveLength(expected.sets);
  // The codes are sealed for the new password and open with it.
  await recovery.unseal(NEW_PASSWORD);
  const first = vault.content().recovery.sets[0];
  if (first) expect((await recovery.reveal(first.id)).codes).toHaveLength(10);
  vault.lock();
}

describe('restore killed part way', () => {
  it('leaves no vault (and a new restore works) or the complete vault, never a half one', { timeout: 240_000 }, async () => {
    const backup = await backupFile();
    const random = seededRandom('restore-crash-delays');
    const seen: Record<string, number> = { none: 0, complete: 0, finished: 0 };
    for (const point of POINTS) {
      for (let round = 0; round < ROUNDS_PER_POINT; round += 1) {
        const dir = tempDir();
        const run = await restoreAndKill(backup.file, dir, point, 200 + random.next() * 1500);
        if (!run.killed) {
          expect(run.status, run.stderr).toBe(0);
          seen.finished = (seen.finished ?? 0) + 1;
        }
        if (existsSync(path.join(dir, 'vault.lkv'))) {
          await expectComplete(dir, backup);
          seen.complete = (seen.complete ?? 0) + 1;
        } else {
          seen.none = (seen.none ?? 0) + 1;
          // Nothing half made is in the way: the restore can simply be run again.
          const again = await restoreAndKill(backup.file, dir, 'delay', 600_000);
          expect(again.status, again.stderr).toBe(0);
          await expectComplete(dir, backup);
          expect(readdirSync(dir).filter((name) => name.startsWith('vault.lkv.tmp-'))).toEqual([]);
        }
      }
    }
    // The kills landed both before and after the vault file was in place.
    expect(seen.none).toBeGreaterThan(0);
    expect(seen.complete).toBeGreaterThan(0);
  });
});
