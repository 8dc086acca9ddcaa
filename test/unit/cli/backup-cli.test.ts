import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { writeBackup } from '../../../electron/main/exporters';
import { VaultConnectionStore } from '../../../electron/main/providers/vault-stores';
import { RecoveryService } from '../../../electron/main/recovery';
import { useCli } from '../../support/cli';
import { seededRandom } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, TEST_PASSWORD_COST } from '../../support/vault';

const tempDir = useTempDirs();
const latchkey = useCli('latchkey-cli-backup');
const env = { LATCHKEY_PASSWORD: 'vault pw' };
const SOURCE_PASSWORD = 'source pw';

/** A backup (password 'backup pw') of a sealed vault: GitHub with 10 codes (1 used) and a MoonKey connection, a codes-only entry. */
async function backupFile(): Promise<{ file: string; github: string[]; sourceDir: string }> {
  const sourceDir = tempDir();
  const vault = makeVault(sourceDir);
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  const connections = new VaultConnectionStore(vault, recovery);
  await vault.create({ password: SOURCE_PASSWORD, useKeychain: false });
  const accounts = new AccountsService(vault);
  const random = seededRandom('backup-cli-codes');
  const codes = (count: number) => Array.from({ length: count }, () => random.id('c').replace(/[^a-z0-9]/gi, '').slice(0, 12));
  const github = await accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'alice' });
  const githubCodes = codes(10);
  const set = await recovery.addCodes(github.id, githubCodes, 'pasted');
  await recovery.setUsed(set.id, 2, true);
  await connections.put(github.id, { provider: 'moonkey', baseUrl: 'http://127.0.0.1:9', userId: 'alice-1', credentials: { apiKey: 'mk_key' } });
  const hardware = await accounts.addWithoutOtp({ issuer: 'Hardware', label: 'carol' });
  await recovery.addCodes(hardware.id, codes(4), 'file');
  const file = path.join(tempDir(), 'backup.latchkey-backup');
  writeFileSync(file, await writeBackup(vault.content(), 'backup pw', { opsLimit: 1, memLimit: 1024 * 1024 }));
  return { file, github: githubCodes, sourceDir };
}

async function newVault(): Promise<string> {
  const vault = tempDir();
  const init = await latchkey(['init', '--no-keychain', '--vault', vault], { env });
  expect(init.status, init.stderr).toBe(0);
  return vault;
}

describe('latchkey import of a Latchkey backup (a merge)', () => {
  it('previews and imports the backup codes, the connection and the codes-only entry; says which password is missing', async () => {
    const { file, github } = await backupFile();
    const vault = await newVault();
    const before = readFileSync(path.join(vault, 'vault.lkv'));
    const sealed = await latchkey(['import', file, '--file-password-stdin', '--vault', vault], { env, stdin: 'backup pw\n' });
    expect(sealed.status).toBe(1);
    expect(sealed.stderr).toMatch(/^latchkey: BACKUP_CODES_SEALED: .*LATCHKEY_BACKUP_VAULT_PASSWORD/);
    expect(readFileSync(path.join(vault, 'vault.lkv'))).toEqual(before);

    const withSource = { ...env, LATCHKEY_BACKUP_VAULT_PASSWORD: SOURCE_PASSWORD };
    const dryRun = await latchkey(['import', file, '--file-password-stdin', '--dry-run', '--json', '--vault', vault], { env: withSource, stdin: 'backup pw\n' });
    expect(dryRun.status, dryRun.stderr).toBe(0);
    const preview = JSON.parse(dryRun.stdout) as { entries: { issuer: string; status: string; extras: { description: string } | null }[]; counts: Record<string, number> };
    expect(preview.entries.map((entry) => [entry.issuer, entry.status, entry.extras?.description])).toEqual([
      ['GitHub', 'new', '10 backup codes (1 used) and a MoonKey connection'],
      ['Hardware', 'new', '4 backup codes'],
    ]);
    expect(preview.counts).toEqual({ total: 2, new: 2, duplicate: 0, refused: 0 });
    expect(readFileSync(path.join(vault, 'vault.lkv'))).toEqual(before);

    const run = await latchkey(['import', file, '--file-password-stdin', '--json', '--vault', vault], { env: withSource, stdin: 'backup pw\n' });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { imported: number; skipped: number; backupCodeSets: number; connections: number; extras: { issuer: string; outcome: string }[] };
    expect(report).toMatchObject({ imported: 2, skipped: 0, backupCodeSets: 2, connections: 1 });
    expect(report.extras.map((entry) => entry.outcome)).toEqual(['Saved with: 10 backup codes (1 used) and a MoonKey connection.', 'Saved with: 4 backup codes.']);

    const list = await latchkey(['recovery', 'list', 'GitHub', '--json', '--vault', vault], { env });
    expect(list.status, list.stderr).toBe(0);
    const sets = JSON.parse(list.stdout) as { current: boolean; codes: { code: string; used: boolean }[] }[];
    expect(sets.map((one) => [one.current, one.codes.map((code) => code.code), one.codes.map((code) => code.used)])).toEqual([[true, github, github.map((_code, index) => index === 2)]]);
    const used = await latchkey(['recovery', 'use', 'GitHub', '--vault', vault], { env });
    expect(used.status, used.stderr).toBe(0);
    expect(used.stdout.trim()).toBe(github[0]);

    const again = await latchkey(['import', file, '--file-password-stdin', '--vault', vault], { env: withSource, stdin: 'backup pw\n' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Imported 0 accounts, skipped 2 already in the vault\.\n/);
    expect(again.stdout).toContain('the saved account kept its own backup codes, these were not imported');
  });
});

describe('latchkey restore of a backup with sealed codes', () => {
  it('asks for the old vault password, makes no vault without it, and restores codes and connection sealed for the new password', async () => {
    const { file, github } = await backupFile();
    const dir = path.join(tempDir(), 'restored');
    const sealed = await latchkey(['restore', file, '--no-keychain', '--file-password-stdin', '--vault', dir], { env, stdin: 'backup pw\n' });
    expect(sealed.status).toBe(1);
    expect(sealed.stderr).toMatch(/^latchkey: BACKUP_CODES_SEALED: /);
    expect(existsSync(path.join(dir, 'vault.lkv'))).toBe(false);
    const restored = await latchkey(['restore', file, '--no-keychain', '--file-password-stdin', '--vault', dir], { env: { ...env, LATCHKEY_BACKUP_VAULT_PASSWORD: SOURCE_PASSWORD }, stdin: 'backup pw\n' });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/^Restored 2 accounts \(with 2 sets of backup codes and 1 provider connection\) from the backup of /);
    // Sealed for the new vault's password: it reads them, with the used mark of the old vault.
    const list = await latchkey(['recovery', 'list', 'GitHub', '--json', '--vault', dir], { env });
    expect(list.status, list.stderr).toBe(0);
    const sets = JSON.parse(list.stdout) as { codes: { code: string; used: boolean }[] }[];
    expect(sets.map((one) => one.codes.map((code) => [code.code, code.used]))).toEqual([github.map((code, index) => [code, index === 2])]);
  });
});

describe('latchkey export of a vault with sealed codes', () => {
  it('opens them with the vault password, so the backup password alone restores codes and connection', async () => {
    const { github, sourceDir } = await backupFile();
    const file = path.join(tempDir(), 'exported.latchkey-backup');
    const exported = await latchkey(['export', file, '--format', 'latchkey', '--file-password-stdin', '--vault', sourceDir], { env: { LATCHKEY_PASSWORD: SOURCE_PASSWORD }, stdin: 'backup pw\n' });
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).not.toContain('stay sealed');
    expect(readFileSync(file, 'utf8')).not.toContain(github[0] as string);

    // A new password, and nothing about the old vault's: everything comes back.
    const dir = path.join(tempDir(), 'restored');
    const restored = await latchkey(['restore', file, '--no-keychain', '--file-password-stdin', '--vault', dir], { env, stdin: 'backup pw\n' });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toMatch(/^Restored 2 accounts \(with 2 sets of backup codes and 1 provider connection\)/);
    const list = await latchkey(['recovery', 'list', 'GitHub', '--json', '--vault', dir], { env });
    expect(list.status, list.stderr).toBe(0);
    const sets = JSON.parse(list.stdout) as { codes: { code: string; used: boolean }[] }[];
    expect(sets.map((one) => one.codes.map((code) => [code.code, code.used]))).toEqual([github.map((code, index) => [code, index === 2])]);

    // Merged into another vault with the backup password alone, too.
    const vault = await newVault();
    const merged = await latchkey(['import', file, '--file-password-stdin', '--json', '--vault', vault], { env, stdin: 'backup pw\n' });
    expect(merged.status, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({ imported: 2, backupCodeSets: 2, connections: 1 });
  });
});
