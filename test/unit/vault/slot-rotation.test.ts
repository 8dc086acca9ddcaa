/**
 * Issue 8, items 1 and 3: every slot change rotates the master key and re-encrypts the backups
 * the old key opens; changing or removing a slot needs the current password (or, with no password,
 * a fresh keychain unlock); a keychain entry that a kept backup needs is never deleted.
 * Real vault files on disk, real Secret Service.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ErrorCode, LatchkeyError } from '../../../shared/errors';
import { emptyContent } from '../../../electron/main/vault/content';
import { decryptContent, encodeVaultFile, type KeychainSlot, parseVaultFile, type VaultHeader } from '../../../electron/main/vault/format';
import { createKeychainSlot, KEY_BYTES } from '../../../electron/main/vault/slots';
import { loadSodium } from '../../../electron/main/vault/sodium';
import type { VaultService } from '../../../electron/main/vault';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount, testKeychain } from '../../support/vault';
import { headerOf, vaultFilesIn } from '../../support/vault-files';

const tempDir = useTempDirs();
const scratch = mkdtempSync(path.join(os.tmpdir(), 'latchkey-rotation-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;

/** A vault with a few generations, so backups/ holds several files. */
async function vaultWithHistory(password: string | null, useKeychain: boolean): Promise<{ dir: string; vault: VaultService }> {
  const dir = tempDir();
  const vault = makeVault(dir);
  await vault.create({ password, useKeychain });
  for (let index = 0; index < 4; index += 1) await vault.update((content) => void content.accounts.push(sampleAccount({ issuer: `Issuer ${index}` })));
  return { dir, vault };
}

/** Opens a copy of the file alone in a folder of its own: the error code, or null when it opens. */
async function openCopy(bytes: Uint8Array, how: { password: string } | 'keychain'): Promise<{ code: ErrorCode | null; masterKey: Uint8Array | null }> {
  const dir = path.join(scratch, String((scratchCount += 1)));
  rmSync(dir, { recursive: true, force: true });
  const vault = makeVault(dir);
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  writeFileSync(path.join(dir, 'vault.lkv'), bytes);
  try {
    await (how === 'keychain' ? vault.unlockWithKeychain() : vault.unlockWithPassword(how.password));
    const masterKey = new Uint8Array((vault as unknown as { open: { masterKey: Uint8Array } }).open.masterKey);
    vault.lock();
    return { code: null, masterKey };
  } catch (error) {
    if (error instanceof LatchkeyError) return { code: error.code, masterKey: null };
    throw error;
  }
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(LatchkeyError);
  expect((error as LatchkeyError).code).toBe(code);
}

function keychainEntryOf(bytes: Uint8Array): string | undefined {
  return headerOf(bytes).slots.find((slot) => slot.type === 'keychain')?.keychainEntry as string | undefined;
}

/** True when `key` decrypts the content of the vault file now in `dir`. */
async function keyOpensCurrentVault(dir: string, key: Uint8Array): Promise<boolean> {
  const sodium = await loadSodium();
  const plaintext = decryptContent(sodium, parseVaultFile(sodium, readFileSync(path.join(dir, 'vault.lkv'))), key);
  return plaintext !== null;
}

describe('a slot change rotates the master key (item 1)', () => {
  it('after a password change the old password opens no file in the folder, and the key it opened no longer opens the vault', async () => {
    const { dir, vault } = await vaultWithHistory('old password', true);
    const before = vaultFilesIn(dir);
    expect(before.length).toBeGreaterThanOrEqual(5);
    // A copy kept outside the folder (a synced folder, a disk image) still opens with the old password...
    const outsideCopy = await openCopy(before[0]!.bytes, { password: 'old password' });
    expect(outsideCopy.code).toBeNull();
    const oldEntry = keychainEntryOf(before[0]!.bytes) as string;

    await vault.setPassword('new password', { currentPassword: 'old password' });

    // ...but the master key it yields no longer opens the vault,
    expect(await keyOpensCurrentVault(dir, outsideCopy.masterKey as Uint8Array)).toBe(false);
    // and no file in the folder opens with the old password, while every one opens with the new one.
    const after = vaultFilesIn(dir);
    expect(after.map((file) => file.name)).toEqual(expect.arrayContaining(before.map((file) => file.name)));
    for (const file of after) {
      expect((await openCopy(file.bytes, { password: 'old password' })).code, file.name).toBe('WRONG_PASSWORD');
      expect((await openCopy(file.bytes, { password: 'new password' })).code, file.name).toBeNull();
      expect((await openCopy(file.bytes, 'keychain')).code, file.name).toBeNull();
    }
    // The backups keep their own content: the oldest still has no account.
    const oldest = makeVault(path.join(scratch, 'oldest'));
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(scratch, 'oldest'), { recursive: true }));
    writeFileSync(path.join(scratch, 'oldest', 'vault.lkv'), after.find((file) => file.name === 'backups/vault-0000000000.lkv')!.bytes);
    await oldest.unlockWithPassword('new password');
    expect(oldest.content().accounts).toEqual([]);
    oldest.lock();
    // The keychain key changed too; the old entry, which no file names any more, is gone.
    expect(after.every((file) => keychainEntryOf(file.bytes) !== oldEntry)).toBe(true);
    expect(await testKeychain().get(oldEntry)).toBeNull();
  });

  it('removing the password leaves no password slot in any file, and the old key opens nothing current', async () => {
    const { dir, vault } = await vaultWithHistory('pw', true);
    const oldKey = (await openCopy(vaultFilesIn(dir)[0]!.bytes, { password: 'pw' })).masterKey as Uint8Array;
    await vault.removePasswordSlot({ currentPassword: 'pw' });
    expect(await keyOpensCurrentVault(dir, oldKey)).toBe(false);
    for (const file of vaultFilesIn(dir)) {
      expect((await openCopy(file.bytes, { password: 'pw' })).code, file.name).toBe('NO_PASSWORD_SLOT');
      expect((await openCopy(file.bytes, 'keychain')).code, file.name).toBeNull();
    }
  });

  it('removing the keychain slot deletes its entry and leaves every file to the password, under a new key', async () => {
    const { dir, vault } = await vaultWithHistory('pw', true);
    const before = vaultFilesIn(dir);
    const oldKey = (await openCopy(before[0]!.bytes, 'keychain')).masterKey as Uint8Array;
    const oldEntry = keychainEntryOf(before[0]!.bytes) as string;
    await vault.removeKeychainSlot({ currentPassword: 'pw' });
    expect(await testKeychain().get(oldEntry)).toBeNull();
    expect(await keyOpensCurrentVault(dir, oldKey)).toBe(false);
    for (const file of vaultFilesIn(dir)) {
      expect(keychainEntryOf(file.bytes), file.name).toBeUndefined();
      expect((await openCopy(file.bytes, { password: 'pw' })).code, file.name).toBeNull();
    }
  });

  it('adding a keychain slot rotates the key as well', async () => {
    const { dir, vault } = await vaultWithHistory('pw', false);
    const oldKey = (await openCopy(vaultFilesIn(dir)[0]!.bytes, { password: 'pw' })).masterKey as Uint8Array;
    await vault.addKeychainSlot({ currentPassword: 'pw' });
    expect(await keyOpensCurrentVault(dir, oldKey)).toBe(false);
    for (const file of vaultFilesIn(dir)) expect((await openCopy(file.bytes, 'keychain')).code, file.name).toBeNull();
    expect(vault.content().accounts).toHaveLength(4);
  });
});

describe('a slot change needs proof and keeps what backups need (item 3)', () => {
  it('refuses to set, change or remove a slot without the right current password, and changes nothing', async () => {
    const { dir, vault } = await vaultWithHistory('pw', true);
    const entry = keychainEntryOf(vaultFilesIn(dir)[0]!.bytes) as string;
    const before = vaultFilesIn(dir);
    await expectCode(vault.setPassword('attacker', {}), 'PASSWORD_REQUIRED');
    await expectCode(vault.setPassword('attacker', { currentPassword: 'guess' }), 'WRONG_PASSWORD');
    await expectCode(vault.removeKeychainSlot({}), 'PASSWORD_REQUIRED');
    await expectCode(vault.removeKeychainSlot({ currentPassword: 'guess' }), 'WRONG_PASSWORD');
    await expectCode(vault.removePasswordSlot({ currentPassword: 'guess' }), 'WRONG_PASSWORD');
    expect(vaultFilesIn(dir)).toEqual(before);
    expect(await testKeychain().get(entry)).not.toBeNull();
    expect((await openCopy(before[0]!.bytes, { password: 'pw' })).code).toBeNull();
  });

  it('sets the first password only after a fresh keychain unlock', async () => {
    const { dir, vault } = await vaultWithHistory(null, true);
    const entry = keychainEntryOf(vaultFilesIn(dir)[0]!.bytes) as string;
    const key = await testKeychain().get(entry);
    await testKeychain().delete(entry);
    const before = vaultFilesIn(dir);
    await expectCode(vault.setPassword('first', {}), 'KEYCHAIN_KEY_MISSING');
    expect(vaultFilesIn(dir)).toEqual(before);
    await testKeychain().set(entry, key as Uint8Array);
    await vault.setPassword('first', {});
    for (const file of vaultFilesIn(dir)) expect((await openCopy(file.bytes, { password: 'first' })).code, file.name).toBeNull();
  });

  it('never deletes a keychain entry that a kept backup still needs', async () => {
    const { dir, vault } = await vaultWithHistory('pw', true);
    const sodium = await loadSodium();
    const current = headerOf(vaultFilesIn(dir)[0]!.bytes) as unknown as VaultHeader;
    const entry = (current.slots.find((slot) => slot.type === 'keychain') as KeychainSlot).keychainEntry;
    // A backup under another master key that opens only through this entry (as an interrupted
    // rotation or an older install can leave): the rotation cannot re-encrypt it.
    const otherKey = sodium.randombytes_buf(KEY_BYTES);
    const keychainKey = (await testKeychain().get(entry)) as Uint8Array;
    const slot = { ...createKeychainSlot(sodium, current.vaultId, otherKey, keychainKey), keychainEntry: entry };
    const plaintext = new TextEncoder().encode(JSON.stringify(emptyContent()));
    const orphan = encodeVaultFile(sodium, { ...current, generation: 0, slots: [slot] }, otherKey, plaintext);
    writeFileSync(path.join(dir, 'backups', 'vault-0000000000.lkv'), orphan);

    await vault.removeKeychainSlot({ currentPassword: 'pw' });

    expect(await testKeychain().get(entry)).not.toBeNull();
    expect((await openCopy(readFileSync(path.join(dir, 'backups', 'vault-0000000000.lkv')), 'keychain')).code).toBeNull();
  });
});

describe('a slot change cut short (item 1)', () => {
  it('leaves every file openable by the slots it names when the save fails after the backups were re-encrypted', async () => {
    const { dir, vault } = await vaultWithHistory('old password', true);
    const oldEntry = keychainEntryOf(vaultFilesIn(dir)[0]!.bytes) as string;
    // The disk fails (or the process dies) at the last step: the new vault file is never written.
    const folder = (vault as unknown as { folder: { writeAtomically: (...args: unknown[]) => Promise<void> } }).folder;
    const write = folder.writeAtomically.bind(folder);
    folder.writeAtomically = () => Promise.reject(new LatchkeyError('IO_ERROR', 'Simulated failure.'));
    await expectCode(vault.setPassword('new password', { currentPassword: 'old password' }), 'IO_ERROR');
    folder.writeAtomically = write;

    const files = vaultFilesIn(dir);
    // The vault is still the old one, and its keychain entry was not deleted.
    expect((await openCopy(files[0]!.bytes, { password: 'old password' })).code).toBeNull();
    expect(await testKeychain().get(oldEntry)).not.toBeNull();
    for (const file of files) {
      const opens = [await openCopy(file.bytes, { password: 'old password' }), await openCopy(file.bytes, { password: 'new password' })].filter((result) => result.code === null);
      expect(opens, file.name).toHaveLength(1);
      expect((await openCopy(file.bytes, 'keychain')).code, file.name).toBeNull();
    }

    // Trying again finishes the change; the backups re-encrypted the first time stay openable.
    const retry = makeVault(dir);
    await retry.unlockWithPassword('old password');
    await retry.setPassword('new password', { currentPassword: 'old password' });
    for (const file of vaultFilesIn(dir)) {
      expect((await openCopy(file.bytes, { password: 'old password' })).code, file.name).toBe('WRONG_PASSWORD');
      expect((await openCopy(file.bytes, 'keychain')).code, file.name).toBeNull();
    }
  });
});

