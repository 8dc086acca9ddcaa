import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { AutoBackup, readBackup } from '../../../electron/main/exporters';
import { makeVault } from '../../support/vault';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();
const COST = { opsLimit: 1, memLimit: 1024 * 1024 };

async function setup(delayMs = 0) {
  const vault = makeVault(tempDir());
  await vault.create({ password: 'pw', useKeychain: false });
  const accounts = new AccountsService(vault);
  let clock = Date.parse('2026-01-01T00:00:00.000Z');
  const backups = new AutoBackup(vault, { delayMs, cost: COST, now: () => (clock += 1000) });
  return { vault, accounts, backups };
}

const files = (folder: string) => readdirSync(folder).filter((name) => name.startsWith('latchkey-backup-')).sort();

async function settle(backups: AutoBackup): Promise<void> {
  // The debounce is 0 ms here: let the timer fire, then wait for the write it started.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await backups.backupNow().catch(() => undefined);
}

describe('automatic backups', () => {
  it('write an encrypted backup after each change, openable with the password alone, keeping the last N', async () => {
    const { vault, accounts, backups } = await setup();
    const folder = tempDir();
    writeFileSync(path.join(folder, 'my-notes.txt'), 'not a backup');
    const status = await backups.enable(folder, 'backup pw', 3);
    expect(status).toMatchObject({ enabled: true, folder, keep: 3, lastError: null });
    // The first backup is written at once (the debounced one for the same change may follow).
    expect(files(folder).length).toBeGreaterThanOrEqual(1);
    for (let index = 0; index < 5; index++) {
      await accounts.add({ type: 'totp', secret: `JBSWY3DPEHPK3PX${'ABCDEFG'[index]}`, issuer: `Site ${index}` });
      await settle(backups);
    }
    const kept = files(folder);
    expect(kept).toHaveLength(3);
    expect(readdirSync(folder)).toContain('my-notes.txt');
    const newest = JSON.parse(readFileSync(path.join(folder, kept[2] as string), 'utf8')) as unknown;
    const { content } = await readBackup(newest, 'backup pw');
    expect(content.accounts.map((account) => account.issuer)).toEqual(['Site 0', 'Site 1', 'Site 2', 'Site 3', 'Site 4']);
    expect(content.accounts).toEqual(vault.content().accounts);
    await expect(readBackup(newest, 'wrong')).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSWORD' });
    expect((await backups.status()).lastBackupAt).toBe(Date.parse(kept[2]?.slice('latchkey-backup-'.length, -'.json'.length).replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z') ?? ''));
  });

  it('a change just before the lock is still backed up; a failing folder is reported, not thrown', async () => {
    const { vault, accounts, backups } = await setup(60_000);
    const folder = tempDir();
    await backups.enable(folder, 'backup pw', 10);
    await accounts.add({ type: 'totp', secret: 'MFRGGZDFMZTWQ2LK', issuer: 'Late' });
    expect(files(folder)).toHaveLength(1); // the change waits for its debounce (60 s here)
    vault.lock();
    await expect.poll(() => files(folder).length).toBe(2);
    const latest = files(folder);
    const { content } = await readBackup(JSON.parse(readFileSync(path.join(folder, latest[latest.length - 1] as string), 'utf8')), 'backup pw');
    expect(content.accounts.map((account) => account.issuer)).toContain('Late');

    await vault.unlockWithPassword('pw');
    const gone = path.join(tempDir(), 'removed');
    await vault.update((content) => {
      (content as { autoBackup?: { folder: string } }).autoBackup!.folder = gone;
    });
    await backups.backupNow();
    expect((await backups.status()).lastError).toMatch(/Could not write/);
    expect((await backups.disable()).enabled).toBe(false);
    await expect(backups.enable(gone, 'pw', 3)).rejects.toMatchObject({ code: 'IO_ERROR' });
  });
});
