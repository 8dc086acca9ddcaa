/**
 * Issue 8, items 11 and 18: a forged header cannot ask for unbounded key-derivation work (it is
 * VAULT_CORRUPT before any derivation), and decrypted content and keychain keys are wiped once used.
 * Real vault files on disk, real libsodium, real Secret Service.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterEach, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../shared/errors';
import { MAX_KDF_MEM_LIMIT, MAX_KDF_OPS_LIMIT } from '../../../electron/main/vault/format';
import { loadSodium, type Sodium } from '../../../electron/main/vault/sodium';
import { seededRandom } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount, testKeychain } from '../../support/vault';
import { withEditedHeader } from '../../support/vault-files';

const tempDir = useTempDirs();
const GiB = 1024 * 1024 * 1024;
const restores: (() => void)[] = [];
afterEach(() => {
  for (const restore of restores.splice(0)) restore();
});

/** Replaces a function on an object for the rest of the test. */
function patch<T extends object, K extends keyof T>(target: T, key: K, replacement: (original: T[K]) => T[K]): void {
  const original = target[key];
  target[key] = replacement(original);
  restores.push(() => {
    target[key] = original;
  });
}

describe('key-derivation limits in the header (item 11)', () => {
  const salt8 = Buffer.from(seededRandom('short salt').bytes(8)).toString('base64');
  const forged: [string, Record<string, unknown>][] = [
    ['4 GiB of memory', { memLimit: 4 * GiB }],
    ['1 GiB and 1 KiB of memory', { memLimit: GiB + 1024 }],
    ['64 passes', { opsLimit: 64, memLimit: 8192 }],
    [`${MAX_KDF_OPS_LIMIT + 1} passes`, { opsLimit: MAX_KDF_OPS_LIMIT + 1, memLimit: 8192 }],
    ['10 passes over 1 GiB (more work than the cap)', { opsLimit: 10, memLimit: GiB }],
    ['an 8-byte salt', { salt: salt8 }],
  ];

  it.each(forged)('%s is VAULT_CORRUPT before any key derivation', async (_name, kdfChanges) => {
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: 'pw', useKeychain: false });
    vault.lock();
    const file = path.join(dir, 'vault.lkv');
    writeFileSync(
      file,
      await withEditedHeader(readFileSync(file), (header) => ({
        ...header,
        slots: header.slots.map((slot) => (slot.type === 'password' ? { ...slot, kdf: { ...(slot.kdf as object), ...kdfChanges } } : slot)),
      })),
    );
    const sodium = await loadSodium();
    let derivations = 0;
    patch(sodium, 'crypto_pwhash', (original) => ((...args: Parameters<Sodium['crypto_pwhash']>) => {
      derivations += 1;
      // Never run the forged cost for real: an old reader would spend minutes or run out of memory here.
      if (args[4] > 64 * 1024 * 1024 || args[3] > MAX_KDF_OPS_LIMIT) throw new Error(`asked to derive with ${args[3]} passes over ${args[4]} bytes`);
      return original(...args);
    }) as Sodium['crypto_pwhash']);

    const error = await makeVault(dir).unlockWithPassword('pw').then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect((error as LatchkeyError).code).toBe('VAULT_CORRUPT');
    expect(derivations).toBe(0);
  });

  it('accepts the documented maximum (and then the forged slot does not open)', async () => {
    expect(MAX_KDF_MEM_LIMIT).toBe(GiB);
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: 'pw', useKeychain: false });
    const file = path.join(dir, 'vault.lkv');
    writeFileSync(
      file,
      await withEditedHeader(readFileSync(file), (header) => ({
        ...header,
        slots: header.slots.map((slot) => ({ ...slot, kdf: { ...(slot.kdf as object), opsLimit: MAX_KDF_OPS_LIMIT, memLimit: 8192 } })),
      })),
    );
    await expect(makeVault(dir).unlockWithPassword('pw')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });
});

describe('wiping (item 18)', () => {
  it('wipes every decrypted content, including the first of two decryptions when another process saved', async () => {
    const dir = tempDir();
    const first = makeVault(dir);
    await first.create({ password: 'pw', useKeychain: false });
    await first.update((content) => void content.accounts.push(sampleAccount({ issuer: 'Before' })));
    const second = makeVault(dir);
    await second.unlockWithPassword('pw');
    await first.update((content) => void content.accounts.push(sampleAccount({ issuer: 'By the first process' })));

    const sodium = await loadSodium();
    const plaintexts: Uint8Array[] = [];
    patch(sodium, 'crypto_aead_xchacha20poly1305_ietf_decrypt', (original) => ((...args: Parameters<Sodium['crypto_aead_xchacha20poly1305_ietf_decrypt']>) => {
      const result: unknown = original(...args);
      if (result instanceof Uint8Array) plaintexts.push(result);
      return result;
    }) as Sodium['crypto_aead_xchacha20poly1305_ietf_decrypt']);

    // The second process sees the first one's save: it reads the content again before its own change.
    await second.update((content) => void content.accounts.push(sampleAccount({ issuer: 'By the second process' })));
    expect(second.content().accounts.map((account) => account.issuer)).toEqual(['Before', 'By the first process', 'By the second process']);
    const contents = plaintexts.filter((plaintext) => plaintext.length > 32);
    expect(contents.length).toBeGreaterThanOrEqual(1);
    for (const plaintext of contents) expect(plaintext.every((byte) => byte === 0)).toBe(true);
  });

  it('zeroes the key bytes read from the keychain once the vault is open', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    await vault.create({ password: null, useKeychain: true });
    vault.lock();
    const fromNative: number[][] = [];
    patch(AsyncEntry.prototype, 'getSecret', (original) =>
      async function (this: AsyncEntry, ...args: Parameters<AsyncEntry['getSecret']>) {
        const secret = await original.apply(this, args);
        if (secret) fromNative.push(secret);
        return secret;
      },
    );
    const keychain = testKeychain();
    const handedOver: Uint8Array[] = [];
    const get = keychain.get.bind(keychain);
    keychain.get = async (name) => {
      const key = await get(name);
      if (key) handedOver.push(key);
      return key;
    };
    const reopened = makeVault(dir, { keychain });
    await reopened.unlockWithKeychain();
    expect(reopened.isUnlocked).toBe(true);
    expect(fromNative).toHaveLength(1);
    expect(handedOver).toHaveLength(1);
    expect(fromNative[0]!.every((byte) => byte === 0)).toBe(true);
    expect(handedOver[0]!.every((byte) => byte === 0)).toBe(true);
  });
});
