/**
 * Issue 8, items 5 and 7: copying codes never pushes earlier generations out of backups/, backups
 * are kept by age as well as by count, and an older vault file put in place while the vault is
 * open is refused. Real vault files on disk.
 */
import { copyFileSync, readFileSync, renameSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../shared/errors';
import { AccountsService } from '../../../electron/main/accounts';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount } from '../../support/vault';
import { backupGenerations, headerOf } from '../../support/vault-files';

const tempDir = useTempDirs();
const DAY_MS = 24 * 60 * 60 * 1000;

function vaultPath(dir: string): string {
  return path.join(dir, 'vault.lkv');
}

describe('backups survive copying codes (item 5)', () => {
  it('keeps every earlier generation after many copies, and still saves when each code was last used', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: 'pw', useKeychain: false });
    for (let index = 0; index < 3; index += 1) await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: `Issuer ${index}` })));
    const accounts = new AccountsService(vault, () => 1_700_000_000_000);
    const generationBefore = headerOf(readFileSync(vaultPath(dir))).generation;
    const backupsBefore = backupGenerations(dir);
    expect(backupsBefore).toEqual([0, 1, 2]);

    const [first] = accounts.list();
    for (let copy = 0; copy < 25; copy += 1) await accounts.markUsed(first!.id);

    expect(backupGenerations(dir)).toEqual(backupsBefore);
    expect(headerOf(readFileSync(vaultPath(dir))).generation).toBe(generationBefore);
    const reopened = makeVault(dir);
    await reopened.unlockWithPassword('pw');
    expect(reopened.content().accounts.find((account) => account.id === first!.id)?.lastUsedAt).toBe(1_700_000_000_000);
    // The next real change makes a generation of its own, as before.
    await vault.update((content) => void content.accounts.pop());
    expect(backupGenerations(dir)).toEqual([...backupsBefore, generationBefore]);
  });

  it('keeps the newest backup of each of the last 7 days, besides the newest 10', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: 'pw', useKeychain: false });
    const now = Date.now();
    // One save on each of the last 8 days (oldest first); each generation is backdated to its day
    // once it has become a backup (the backup is the file as it was saved, with its time).
    const daysAgo = [8, 7, 6, 5, 4, 3, 2, 1];
    for (const [index, days] of daysAgo.entries()) {
      await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: `Day ${days}` })));
      const at = new Date(now - days * DAY_MS - 60 * 60 * 1000);
      utimesSync(path.join(dir, 'backups', `vault-${String(index).padStart(10, '0')}.lkv`), at, at);
    }
    // Then a burst of 12 saves today.
    for (let index = 0; index < 12; index += 1) await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: `Today ${index}` })));

    const current = headerOf(readFileSync(vaultPath(dir))).generation;
    expect(current).toBe(20);
    const newestTen = Array.from({ length: 10 }, (_, index) => current - 10 + index);
    // Generations 2..7 were saved 6..1 days ago, each the newest of its day, and stay; generations
    // 0 and 1 (8 and 7 days ago) are past the 7 days, and 8 and 9 are neither newest of today nor among the newest 10.
    expect(backupGenerations(dir)).toEqual([2, 3, 4, 5, 6, 7, ...newestTen]);
  });
});

describe('an older vault file put in place while open (item 7)', () => {
  it('is refused with VAULT_ROLLED_BACK, and nothing is saved over it', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: 'pw', useKeychain: false });
    await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: 'Kept' })));
    const oldCopy = path.join(dir, 'old-copy.lkv');
    copyFileSync(vaultPath(dir), oldCopy);
    await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: 'Added later' })));
    await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: 'Added last' })));

    renameSync(oldCopy, vaultPath(dir)); // a sync tool or a restore puts the generation-1 file back
    const oldBytes = readFileSync(vaultPath(dir));

    const error = await vault.update((content) => void content.accounts.pop()).then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect((error as LatchkeyError).code).toBe('VAULT_ROLLED_BACK');
    expect((error as LatchkeyError).message).toContain('generation 1, older than generation 3');
    await expect(vault.reloadIfChangedOnDisk()).rejects.toMatchObject({ code: 'VAULT_ROLLED_BACK' });
    expect(readFileSync(vaultPath(dir))).toEqual(oldBytes);
    expect(vault.content().accounts.map((account) => account.issuer)).toEqual(['Kept', 'Added later', 'Added last']);

    // Locking and unlocking opens the file on disk on purpose.
    vault.lock();
    await vault.unlockWithPassword('pw');
    expect(vault.content().accounts.map((account) => account.issuer)).toEqual(['Kept']);
  });
});
