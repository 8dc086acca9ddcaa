import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LatchkeyError, type ErrorCode } from '../../../shared/errors';
import { loadSodium } from '../../../electron/main/vault/sodium';
import { checksumOf, CHECKSUM_BYTES, MAGIC } from '../../../electron/main/vault/format';
import { VaultWatcher } from '../../../electron/main/vault/vault-watcher';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount, testKeychain } from '../../support/vault';

const tempDir = useTempDirs();

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<LatchkeyError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LatchkeyError);
  expect((error as LatchkeyError).code).toBe(code);
  return error as LatchkeyError;
}

function vaultFile(dir: string): string {
  return path.join(dir, 'vault.lkv');
}

async function vaultWithAccounts(password: string | null, useKeychain = false, count = 2) {
  const dir = tempDir();
  const vault = makeVault(dir);
  await vault.create({ password, useKeychain });
  await vault.update((content) => {
    for (let index = 0; index < count; index += 1) content.accounts.push(sampleAccount({ issuer: `Issuer ${index}` }));
  });
  return { dir, vault };
}

describe('creating and unlocking', () => {
  it('opens through the keychain slot in a new process-like instance, with the content saved', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', true);
    const saved = vault.content().accounts.map((account) => account.id);
    const reopened = makeVault(dir);
    expect((await reopened.status()).state).toBe('locked');
    await reopened.unlockWithKeychain();
    expect(reopened.content().accounts.map((account) => account.id)).toEqual(saved);
    expect(await reopened.status()).toEqual({ state: 'unlocked', hasPasswordSlot: true, hasKeychainSlot: true });
  });

  it('opens through the password slot, and rejects a wrong password', async () => {
    const { dir } = await vaultWithAccounts('correct horse', false);
    const reopened = makeVault(dir);
    await expectCode(reopened.unlockWithPassword('wrong horse'), 'WRONG_PASSWORD');
    expect(reopened.isUnlocked).toBe(false);
    await reopened.unlockWithPassword('correct horse');
    expect(reopened.content().accounts).toHaveLength(2);
  });

  it('says VAULT_NOT_FOUND for an empty folder and VAULT_EXISTS instead of overwriting', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    expect((await vault.status()).state).toBe('missing');
    await expectCode(vault.unlockWithPassword('x'), 'VAULT_NOT_FOUND');
    await vault.create({ password: 'x', useKeychain: false });
    await expectCode(makeVault(dir).create({ password: 'y', useKeychain: false }), 'VAULT_EXISTS');
  });

  it('refuses a vault with no slot at all', async () => {
    await expectCode(makeVault(tempDir()).create({ password: null, useKeychain: false }), 'INVALID_INPUT');
  });

  it('falls back to the password when the keychain entry is gone', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', true);
    const header = JSON.parse(readHeader(dir)) as { slots: { type: string; keychainEntry?: string }[] };
    const entry = header.slots.find((slot) => slot.type === 'keychain')?.keychainEntry;
    expect(entry).toBeDefined();
    expect(await testKeychain().delete(entry as string)).toBe(true);
    const reopened = makeVault(dir);
    await expectCode(reopened.unlockWithKeychain(), 'KEYCHAIN_KEY_MISSING');
    await reopened.unlockWithPassword('pw');
    expect(reopened.content().accounts).toHaveLength(vault.content().accounts.length);
  });

  it('says NO_PASSWORD_SLOT for a keychain-only vault and NO_KEYCHAIN_SLOT for a password-only one', async () => {
    const keychainOnly = await vaultWithAccounts(null, true);
    await expectCode(makeVault(keychainOnly.dir).unlockWithPassword('x'), 'NO_PASSWORD_SLOT');
    const passwordOnly = await vaultWithAccounts('pw', false);
    await expectCode(makeVault(passwordOnly.dir).unlockWithKeychain(), 'NO_KEYCHAIN_SLOT');
  });
});

describe('locking', () => {
  it('drops the content and zeroes the master key', async () => {
    const { vault } = await vaultWithAccounts('pw');
    const internals = vault as unknown as { open: { masterKey: Uint8Array } | null };
    const key = internals.open?.masterKey;
    expect(key?.some((byte) => byte !== 0)).toBe(true);
    const events: string[] = [];
    vault.onEvent((event) => events.push(event));
    vault.lock();
    expect(key?.every((byte) => byte === 0)).toBe(true);
    expect(internals.open).toBeNull();
    expect(events).toEqual(['locked']);
    expect(() => vault.content()).toThrow(LatchkeyError);
    await expectCode(vault.update(() => undefined), 'VAULT_LOCKED');
  });
});

describe('locking during a save', () => {
  it('keeps the vault locked when it is locked while the file is being written', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', false, 1);
    const folder = (vault as unknown as { folder: { writeAtomically: (...args: unknown[]) => Promise<void> } }).folder;
    const write = folder.writeAtomically.bind(folder);
    folder.writeAtomically = async (...args: unknown[]) => {
      const writing = write(...args);
      vault.lock(); // the user presses Ctrl+L while the save is on its way to disk
      return writing;
    };
    const events: string[] = [];
    vault.onEvent((event) => events.push(event));
    await vault.update((content) => void ((content.accounts[0] as { notes: string }).notes = 'saved'));
    expect(vault.isUnlocked).toBe(false);
    expect(events).toEqual(['locked']);
    const check = makeVault(dir);
    await check.unlockWithPassword('pw');
    expect(check.content().accounts[0]?.notes).toBe('saved');
  });

  it('writes nothing with a wiped key when locked while the change is being prepared', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', false, 1);
    const before = readFileSync(vaultFile(dir));
    await expectCode(
      vault.update((content) => {
        vault.lock();
        (content.accounts[0] as { notes: string }).notes = 'never saved';
      }),
      'VAULT_LOCKED',
    );
    expect(readFileSync(vaultFile(dir))).toEqual(before);
    expect(vault.isUnlocked).toBe(false);
  });
});

describe('slots', () => {
  it('changes the password: the old one stops working, the new one works', async () => {
    const { dir, vault } = await vaultWithAccounts('old');
    await vault.setPassword('new', { currentPassword: 'old' });
    await expectCode(makeVault(dir).unlockWithPassword('old'), 'WRONG_PASSWORD');
    await makeVault(dir).unlockWithPassword('new');
  });

  it('adds a password slot to a keychain-only vault', async () => {
    const { dir, vault } = await vaultWithAccounts(null, true);
    await vault.setPassword('added', {});
    const reopened = makeVault(dir);
    await reopened.unlockWithPassword('added');
    expect(await reopened.status()).toMatchObject({ hasPasswordSlot: true, hasKeychainSlot: true });
  });

  it('removes the keychain slot and its keychain entry, but never the last slot', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', true);
    const entry = (JSON.parse(readHeader(dir)) as { slots: { keychainEntry?: string }[] }).slots.find((slot) => slot.keychainEntry)?.keychainEntry as string;
    await vault.removeKeychainSlot({ currentPassword: 'pw' });
    expect(await testKeychain().get(entry)).toBeNull();
    await expectCode(makeVault(dir).unlockWithKeychain(), 'NO_KEYCHAIN_SLOT');
    await expectCode(vault.removePasswordSlot({ currentPassword: 'pw' }), 'LAST_SLOT');
    await vault.addKeychainSlot({ currentPassword: 'pw' });
    await makeVault(dir).unlockWithKeychain();
  });

  it('rotates the master key: every slot still opens, the old keychain entry is gone, the content stays', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', true);
    const before = readHeader(dir);
    const oldEntry = (JSON.parse(before) as { slots: { keychainEntry?: string }[] }).slots.find((slot) => slot.keychainEntry)?.keychainEntry as string;
    await expectCode(vault.rotateMasterKey(), 'PASSWORD_REQUIRED');
    await expectCode(vault.rotateMasterKey('not it'), 'WRONG_PASSWORD');
    await vault.rotateMasterKey('pw');
    expect(await testKeychain().get(oldEntry)).toBeNull();
    const viaKeychain = makeVault(dir);
    await viaKeychain.unlockWithKeychain();
    const viaPassword = makeVault(dir);
    await viaPassword.unlockWithPassword('pw');
    expect(viaPassword.content()).toEqual(vault.content());
    expect(viaKeychain.content()).toEqual(vault.content());
  });
});

describe('saving', () => {
  it('keeps the last 10 generations as backups, each of which opens', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', false, 0);
    for (let index = 0; index < 14; index += 1) await vault.update((content) => void content.accounts.push(sampleAccount()));
    const backups = readdirSync(path.join(dir, 'backups')).sort();
    expect(backups).toHaveLength(10);
    // generation 0 = create, 1 = first update; the file is now at 15, so 5..14 are kept
    expect(backups[0]).toBe('vault-0000000005.lkv');
    expect(backups[9]).toBe('vault-0000000014.lkv');
    const newestBackupDir = tempDir();
    writeFileSync(vaultFile(newestBackupDir), readFileSync(path.join(dir, 'backups', backups[9] as string)));
    const fromBackup = makeVault(newestBackupDir);
    await fromBackup.unlockWithPassword('pw');
    expect(fromBackup.content().accounts).toHaveLength(13);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('leaves the content unchanged when a change throws', async () => {
    const { vault } = await vaultWithAccounts('pw');
    const before = structuredClone(vault.content());
    await expect(
      vault.update((content) => {
        content.accounts.length = 0;
        throw new LatchkeyError('ACCOUNT_NOT_FOUND');
      }),
    ).rejects.toThrow(LatchkeyError);
    expect(vault.content()).toEqual(before);
  });

  it('serializes concurrent changes within one process', async () => {
    const { dir, vault } = await vaultWithAccounts('pw', false, 0);
    await Promise.all(Array.from({ length: 20 }, () => vault.update((content) => void content.accounts.push(sampleAccount()))));
    const reopened = makeVault(dir);
    await reopened.unlockWithPassword('pw');
    expect(reopened.content().accounts).toHaveLength(20);
  });

  it('continues from what another writer saved instead of overwriting it', async () => {
    const { dir, vault: first } = await vaultWithAccounts('pw', false, 0);
    const second = makeVault(dir);
    await second.unlockWithPassword('pw');
    await first.update((content) => void content.accounts.push(sampleAccount({ issuer: 'From first' })));
    await second.update((content) => void content.accounts.push(sampleAccount({ issuer: 'From second' })));
    const reopened = makeVault(dir);
    await reopened.unlockWithPassword('pw');
    expect(reopened.content().accounts.map((account) => account.issuer)).toEqual(['From first', 'From second']);
  });

  it('picks up another writer\'s save, by hand and through the folder watcher', async () => {
    const { dir, vault: first } = await vaultWithAccounts('pw', false, 0);
    const second = makeVault(dir);
    await second.unlockWithPassword('pw');
    const events: string[] = [];
    first.onEvent((event) => events.push(event));
    expect(await first.reloadIfChangedOnDisk()).toBe(false);
    await second.update((content) => void content.accounts.push(sampleAccount({ issuer: 'By hand' })));
    expect(await first.reloadIfChangedOnDisk()).toBe(true);
    expect(first.content().accounts.map((account) => account.issuer)).toEqual(['By hand']);
    expect(events).toEqual(['changed']);

    const watcher = new VaultWatcher(first);
    watcher.start();
    try {
      const seen = new Promise<void>((resolve) => first.onEvent((event) => event === 'changed' && resolve()));
      await second.update((content) => void content.accounts.push(sampleAccount({ issuer: 'Watched' })));
      await seen;
      expect(first.content().accounts.map((account) => account.issuer)).toEqual(['By hand', 'Watched']);
    } finally {
      watcher.stop();
    }
  });

  it('locks itself when another writer rotated the master key', async () => {
    const { dir, vault: first } = await vaultWithAccounts('pw', false, 0);
    const second = makeVault(dir);
    await second.unlockWithPassword('pw');
    await first.rotateMasterKey('pw');
    await expectCode(second.update(() => undefined), 'VAULT_LOCKED');
    expect(second.isUnlocked).toBe(false);
  });
});

describe('writer lock', () => {
  function sleeperProcess() {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    return child;
  }

  function writeLock(dir: string, pid: number) {
    writeFileSync(path.join(dir, 'vault.lock'), JSON.stringify({ pid, host: hostname(), token: 'other', createdAt: Date.now() }));
  }

  it('gives a second writer VAULT_BUSY while a live process holds the lock', async () => {
    const dir = tempDir();
    const vault = makeVault(dir, { writerLock: { waitMs: 200 } });
    await vault.create({ password: 'pw', useKeychain: false });
    const holder = sleeperProcess();
    try {
      writeLock(dir, holder.pid as number);
      const error = await expectCode(vault.update(() => undefined), 'VAULT_BUSY');
      expect(error.message).toContain(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = tempDir();
    const vault = makeVault(dir, { writerLock: { waitMs: 200 } });
    await vault.create({ password: 'pw', useKeychain: false });
    const dead = sleeperProcess();
    const exited = new Promise((resolve) => dead.once('exit', resolve));
    dead.kill('SIGKILL');
    await exited;
    writeLock(dir, dead.pid as number);
    await vault.update((content) => void content.accounts.push(sampleAccount()));
    expect(vault.content().accounts).toHaveLength(1);
    expect(existsSync(path.join(dir, 'vault.lock'))).toBe(false);
  });
});

function readHeader(dir: string): string {
  const bytes = readFileSync(vaultFile(dir));
  const length = bytes.readUInt32BE(10);
  return bytes.subarray(14, 14 + length).toString('utf8');
}

describe('damaged and foreign files', () => {
  it('reports VAULT_CORRUPT for every single flipped byte, never a crash or a wrong password', async () => {
    const { dir } = await vaultWithAccounts('pw', false, 3);
    const original = readFileSync(vaultFile(dir));
    const victim = tempDir();
    const vault = makeVault(victim);
    for (let offset = 0; offset < original.length; offset += 1) {
      for (const mask of [0x01, 0xff]) {
        const damaged = Buffer.from(original);
        damaged[offset] = (damaged[offset] as number) ^ mask;
        writeFileSync(vaultFile(victim), damaged);
        const error = await vault.unlockWithPassword('pw').then(() => null, (caught: unknown) => caught);
        if (!(error instanceof LatchkeyError) || error.code !== 'VAULT_CORRUPT') {
          throw new Error(`byte ${offset} ^ ${mask} gave ${String(error)}`);
        }
      }
    }
    expect(vault.isUnlocked).toBe(false);
  });

  it('reports VAULT_CORRUPT for the file truncated at every length', async () => {
    const { dir } = await vaultWithAccounts('pw', false, 3);
    const original = readFileSync(vaultFile(dir));
    const victim = tempDir();
    const vault = makeVault(victim);
    for (let length = 0; length < original.length; length += 1) {
      writeFileSync(vaultFile(victim), original.subarray(0, length));
      const error = await vault.unlockWithPassword('pw').then(() => null, (caught: unknown) => caught);
      if (!(error instanceof LatchkeyError) || error.code !== 'VAULT_CORRUPT') throw new Error(`length ${length} gave ${String(error)}`);
    }
    expect(vault.isUnlocked).toBe(false);
  });

  it('catches a header edit even when the checksum is recomputed (the header is associated data)', async () => {
    const { dir } = await vaultWithAccounts('pw', false, 1);
    const sodium = await loadSodium();
    const bytes = readFileSync(vaultFile(dir));
    const header = readHeader(dir);
    const edited = header.replace('"generation":1', '"generation":7');
    expect(edited).not.toBe(header);
    const tampered = Buffer.from(bytes);
    tampered.write(edited, 14, 'utf8');
    const body = tampered.subarray(0, tampered.length - CHECKSUM_BYTES);
    Buffer.from(checksumOf(sodium, body)).copy(tampered, tampered.length - CHECKSUM_BYTES);
    writeFileSync(vaultFile(dir), tampered);
    await expectCode(makeVault(dir).unlockWithPassword('pw'), 'VAULT_CORRUPT');
  });

  it('says VAULT_CORRUPT for a file that is not a vault at all', async () => {
    const dir = tempDir();
    writeFileSync(vaultFile(dir), 'this is a text file, not a vault, but long enough to pass the length check at the start'.repeat(3));
    await expectCode(makeVault(dir).status(), 'VAULT_CORRUPT');
  });

  it('says UNSUPPORTED_VAULT_VERSION for an intact vault from a newer version', async () => {
    const { dir } = await vaultWithAccounts('pw', false, 1);
    const sodium = await loadSodium();
    const bytes = Buffer.from(readFileSync(vaultFile(dir)));
    bytes.writeUInt16BE(2, MAGIC.length);
    Buffer.from(checksumOf(sodium, bytes.subarray(0, bytes.length - CHECKSUM_BYTES))).copy(bytes, bytes.length - CHECKSUM_BYTES);
    writeFileSync(vaultFile(dir), bytes);
    const error = await expectCode(makeVault(dir).unlockWithPassword('pw'), 'UNSUPPORTED_VAULT_VERSION');
    expect(error.message).toContain('version 2');
  });
});
