import { createDecipheriv, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import QRCode from 'qrcode';
import { AccountsService } from '../../../electron/main/accounts';
import { formatOtpauthUri } from '../../../electron/main/otp';
import { buildExport, ExportService, restoreBackup, writeBackup, writeExportFile } from '../../../electron/main/exporters';
import { ImportPlan, readExportFile } from '../../../electron/main/importers';
import type { VaultContent } from '../../../electron/main/vault';
import { makeVault } from '../../support/vault';
import { RecoveryService } from '../../../electron/main/recovery';
import { TEST_PASSWORD_COST } from '../../support/vault-fixtures';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();
const COST = { opsLimit: 1, memLimit: 1024 * 1024 };

/** A vault with every kind of account and a field the vault holds beyond accounts (backup codes, connections). */
async function filledVault() {
  const vault = makeVault(tempDir());
  // Made before the vault, so the vault's password seals the backup codes from the start.
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  await vault.create({ password: 'pw', useKeychain: false });
  const accounts = new AccountsService(vault);
  await accounts.add({ type: 'totp', secret: '5OM4WOOGPLQEF6UGN3CPEOOLWU', issuer: 'SPDX', label: 'James', algorithm: 'SHA256', digits: 7, period: 20, group: 'Work', notes: 'desk drawer' });
  await accounts.add({ type: 'hotp', secret: '5VAML3X35THCEBVRLV24CGBKOY', issuer: 'WWE', label: 'Mason', algorithm: 'SHA512', digits: 8, counter: 10300 });
  const steam = await accounts.add({ type: 'steam', secret: 'JRZCL47CMXVOQMNPZR2F7J4RGI', issuer: 'Boeing', label: 'Sophia: main' });
  // Backup codes (sealed under the vault password) and a field a later version may add ride along.
  await recovery.addCodes(steam.id, ['1111-2222', '3333-4444'], 'pasted');
  // The seal is open now (the password made it); the window keeps it open a few minutes after the password is typed.
  recovery.forget();
  await vault.update((content) => {
    (content as Record<string, unknown>).laterField = { connections: [{ provider: 'example', token: 'abc' }] };
  });
  return { vault, accounts, recovery };
}

function params(content: Readonly<VaultContent>) {
  return content.accounts.map(({ type, secret, issuer, label, algorithm, digits, period, counter }) => ({ type, secret, issuer, label, algorithm, digits, period: type === 'hotp' ? 30 : period, counter }));
}

describe('Latchkey backup', () => {
  it('restores into a new vault identical to the one backed up, fields beyond accounts included', async () => {
    const { vault } = await filledVault();
    const file = path.join(tempDir(), 'all.latchkey-backup');
    await writeExportFile(file, await writeBackup(vault.content(), 'backup pw', COST));
    const restored = makeVault(tempDir());
    // The vault's password ('pw') opens its sealed codes; they are sealed again under the new password.
    const result = await restoreBackup(restored, readFileSync(file), 'backup pw', { password: 'new pw', useKeychain: false, sourceVaultPassword: 'pw' });
    expect(result.accounts).toBe(3);
    const withoutCodeTexts = (content: Readonly<VaultContent>) => ({ ...content, recovery: content.recovery.sets.map(({ codes: _codes, ...set }) => set) });
    expect(withoutCodeTexts(restored.content())).toEqual(withoutCodeTexts(vault.content()));
    restored.lock();
    await restored.unlockWithPassword('new pw');
    expect(withoutCodeTexts(restored.content())).toEqual(withoutCodeTexts(vault.content()));
    expect(await new RecoveryService(restored, { passwordCost: TEST_PASSWORD_COST }).unseal('new pw')).toMatchObject({ protection: 'password' });
  });

  it('a wrong password, a changed header, an unknown version or a hostile cost fail, and no vault is made', async () => {
    const { vault } = await filledVault();
    const text = await writeBackup(vault.content(), 'backup pw', COST);
    const target = makeVault(tempDir());
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    await expect(restoreBackup(target, new TextEncoder().encode(text), 'nope', { password: 'x', useKeychain: false })).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSWORD' });
    const file = JSON.parse(text) as { createdAt: number; kdf: { memLimit: number }; version: number };
    await expect(restoreBackup(target, bytes({ ...file, createdAt: file.createdAt + 1 }), 'backup pw', { password: 'x', useKeychain: false })).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSWORD' });
    await expect(restoreBackup(target, bytes({ ...file, version: 7 }), 'backup pw', { password: 'x', useKeychain: false })).rejects.toThrow(/version 7; this Latchkey reads version 1/);
    await expect(restoreBackup(target, bytes({ ...file, kdf: { ...file.kdf, memLimit: 2 ** 40 } }), 'backup pw', { password: 'x', useKeychain: false })).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE' });
    expect(existsSync(path.join(target.dir, 'vault.lkv'))).toBe(false);
    expect((await target.status()).state).toBe('missing');
  });

  it('imports into an existing vault as a merge with a preview and a report', async () => {
    const { vault } = await filledVault();
    // Made with the vault's own password, which opens its sealed backup codes as well.
    const text = await writeBackup(vault.content(), 'pw', COST);
    const other = makeVault(tempDir());
    await other.create({ password: 'pw', useKeychain: false });
    const accounts = new AccountsService(other);
    await accounts.add({ type: 'totp', secret: '5OM4WOOGPLQEF6UGN3CPEOOLWU', issuer: 'Already', label: 'here' });
    const result = await readExportFile(new TextEncoder().encode(text), { password: 'pw' });
    expect(result.format).toBe('latchkey');
    const report = await new ImportPlan([result], (secret) => accounts.findBySecret(secret), Date.now()).save(accounts);
    expect(report).toMatchObject({ total: 3, imported: 2, skippedDuplicates: 1, refused: [] });
    expect(accounts.list().find((account) => account.issuer === 'WWE')?.counter).toBe(10300);
  });

  it('keeps the password out of the file and writes it 0600, never over an existing file', async () => {
    const { vault } = await filledVault();
    const file = path.join(tempDir(), 'b.json');
    await writeExportFile(file, await buildExport('latchkey', vault.content(), 'backup pw', COST));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('backup pw');
    expect(text).not.toContain('5OM4WOOGPLQEF6UGN3CPEOOLWU');
    await expect(writeExportFile(file, 'again')).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readFileSync(file, 'utf8')).toBe(text);
    if (process.platform !== 'win32') expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
  });
});

/** Aegis's published format (docs/vault.md): scrypt-derived key unwraps the master key (AES-256-GCM), which decrypts db. */
function decryptAegisAsDocumented(text: string, password: string): unknown {
  const vault = JSON.parse(text) as { version: number; header: { slots: { type: number; key: string; key_params: { nonce: string; tag: string }; n: number; r: number; p: number; salt: string }[]; params: { nonce: string; tag: string } }; db: string };
  expect(vault.version).toBe(1);
  const slot = vault.header.slots.find((candidate) => candidate.type === 1);
  if (!slot) throw new Error('no password slot');
  const derived = scryptSync(password, Buffer.from(slot.salt, 'hex'), 32, { N: slot.n, r: slot.r, p: slot.p, maxmem: 128 * 1024 * 1024 });
  const open = (key: Buffer, nonce: string, tag: string, data: Buffer) => {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'hex'));
    decipher.setAuthTag(Buffer.from(tag, 'hex'));
    return Buffer.concat([decipher.update(data), decipher.final()]);
  };
  const masterKey = open(derived, slot.key_params.nonce, slot.key_params.tag, Buffer.from(slot.key, 'hex'));
  return JSON.parse(open(masterKey, vault.header.params.nonce, vault.header.params.tag, Buffer.from(vault.db, 'base64')).toString('utf8'));
}

describe('the window\'s Latchkey backup export (ExportService)', () => {
  function exportsTo(file: string, vault: ReturnType<typeof makeVault>, recovery: RecoveryService) {
    const dialogs = { chooseSavePath: () => Promise.resolve(file), chooseFolder: () => Promise.resolve(null) };
    return new ExportService(vault, dialogs, null, () => recovery.keptSealSecretKey());
  }

  it('with the password typed, writes the backup codes opened under the backup password alone', async () => {
    const { vault, recovery } = await filledVault();
    await recovery.unseal('pw');
    const file = path.join(tempDir(), 'opened.latchkey-backup');
    const result = await exportsTo(file, vault, recovery).save({ format: 'latchkey', password: 'backup pw', confirmedUnencrypted: false, requireOpenSeal: true });
    expect(result).toMatchObject({ path: file, accounts: 3, codesSealed: false });
    expect(readFileSync(file, 'utf8')).not.toContain('1111-2222');
    // No old vault password anywhere: the backup's own opens everything, sealed again for the new vault.
    const restored = makeVault(tempDir());
    const restoredRecovery = new RecoveryService(restored, { passwordCost: TEST_PASSWORD_COST });
    await restoreBackup(restored, readFileSync(file), 'backup pw', { password: 'another pw', useKeychain: false });
    await restoredRecovery.unseal('another pw');
    const set = restored.content().recovery.sets[0];
    expect((await restoredRecovery.reveal(set?.id as string)).codes.map((code) => code.code)).toEqual(['1111-2222', '3333-4444']);
  });

  it('with the seal closed, asks for the password (RECOVERY_SEALED) or says the codes stayed sealed, and writes nothing sealed by surprise', async () => {
    const { vault, recovery } = await filledVault();
    const file = path.join(tempDir(), 'sealed.latchkey-backup');
    await expect(exportsTo(file, vault, recovery).save({ format: 'latchkey', password: 'backup pw', confirmedUnencrypted: false, requireOpenSeal: true })).rejects.toMatchObject({ code: 'RECOVERY_SEALED' });
    expect(existsSync(file)).toBe(false);
    const result = await exportsTo(file, vault, recovery).save({ format: 'latchkey', password: 'backup pw', confirmedUnencrypted: false });
    expect(result.codesSealed).toBe(true);
    await expect(restoreBackup(makeVault(tempDir()), readFileSync(file), 'backup pw', { password: 'another pw', useKeychain: false })).rejects.toMatchObject({ code: 'BACKUP_CODES_SEALED' });
  });
});

describe('exports to other apps', () => {
  it('the encrypted Aegis export decrypts by Aegis\'s published format, with every field Aegis reads', async () => {
    const { vault } = await filledVault();
    const text = await buildExport('aegis', vault.content(), 'aegis pw');
    const db = decryptAegisAsDocumented(text, 'aegis pw') as { version: number; entries: { type: string; name: string; issuer: string; note: string; group: string | null; info: { secret: string; algo: string; digits: number; period?: number; counter?: number } }[] };
    expect(db.version).toBe(2);
    expect(db.entries.map((entry) => [entry.type, entry.issuer, entry.name, entry.info.secret, entry.info.algo, entry.info.digits, entry.info.period ?? entry.info.counter, entry.group, entry.note])).toEqual([
      ['totp', 'SPDX', 'James', '5OM4WOOGPLQEF6UGN3CPEOOLWU', 'SHA256', 7, 20, 'Work', 'desk drawer'],
      ['hotp', 'WWE', 'Mason', '5VAML3X35THCEBVRLV24CGBKOY', 'SHA512', 8, 10300, null, ''],
      ['steam', 'Boeing', 'Sophia: main', 'JRZCL47CMXVOQMNPZR2F7J4RGI', 'SHA1', 5, 30, null, ''],
    ]);
    expect(() => decryptAegisAsDocumented(text, 'wrong')).toThrow();
  });

  it('every export format imports back to the same accounts', async () => {
    const { vault } = await filledVault();
    for (const [format, password] of [['aegis', 'pw'], ['aegis-plain', null], ['uris', null], ['latchkey', 'pw']] as const) {
      const text = await buildExport(format, vault.content(), password, COST);
      const result = await readExportFile(new TextEncoder().encode(text), { password });
      const entries = result.items.map((item) => (item.kind === 'entry' ? item.entry : null));
      expect(params({ schema: 1, accounts: entries.map((entry) => ({ ...entry, id: '', createdAt: 0, updatedAt: 0, lastUsedAt: null })) } as unknown as VaultContent), format).toEqual(params(vault.content()));
      if (format !== 'uris') expect(entries[0]?.group, format).toBe('Work');
    }
  });

  it('the QR sheet has one QR code per account, each of its otpauth:// link, names escaped, no script', async () => {
    const { vault, accounts } = await filledVault();
    await accounts.add({ type: 'totp', secret: 'MFRGGZDFMZTWQ2LK', issuer: '<b>Tom & Jerry</b>', label: 'x' });
    const html = await buildExport('qr-html', vault.content(), null);
    const figures = html.match(/<figure>[\s\S]*?<\/figure>/g) ?? [];
    expect(figures).toHaveLength(4);
    for (const [index, account] of vault.content().accounts.entries()) {
      const svg = await QRCode.toString(formatOtpauthUri({ ...account, secret: account.secret as string }), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      expect(figures[index]).toContain(svg);
    }
    expect(html).toContain('&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<b>Tom/);
    expect(html).toContain('Every secret on this page is unencrypted.');
  });

  it('a plain export needs no password; an encrypted one refuses to run without', async () => {
    const { vault } = await filledVault();
    await expect(buildExport('aegis', vault.content(), null)).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    await expect(buildExport('latchkey', vault.content(), '')).rejects.toMatchObject({ code: 'PASSWORD_REQUIRED' });
    expect(await buildExport('uris', vault.content(), null)).toContain('otpauth://steam/Boeing:Sophia%3A%20main?secret=JRZCL47CMXVOQMNPZR2F7J4RGI');
  });
});

