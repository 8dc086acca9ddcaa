import { cp } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { RecoveryService } from '../../../electron/main/recovery';
import { KEEP_UNSEALED_MS } from '../../../electron/main/recovery/kept-key';
import { failureCode } from '../../support/errors';
import { fixturesDir, useTempDirs } from '../../support/temp-dir';
import { makeVault, TEST_PASSWORD_COST } from '../../support/vault';

const tempDir = useTempDirs();
const PASSWORD = 'sealed with this';
const CODES = ['xwbwb-07bjt', '5jsr0-9nepk', '25gj8-2lzmw', 'sfmcz-s7o2f'];

/** A vault with a password slot and a keychain slot, one account with sealed codes, locked again. */
async function sealedVault() {
  const dir = tempDir();
  const clock = { now: Date.UTC(2026, 10, 22) };
  const open = () => {
    const vault = makeVault(dir);
    return { vault, accounts: new AccountsService(vault, () => clock.now), recovery: new RecoveryService(vault, { now: () => clock.now, passwordCost: TEST_PASSWORD_COST }) };
  };
  const first = open();
  await first.vault.create({ password: PASSWORD, useKeychain: true });
  const account = await first.accounts.addFromUri('otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
  const set = await first.recovery.addCodes(account.id, CODES, 'pasted');
  first.vault.lock();
  return { dir, clock, open, accountId: account.id, setId: set.id };
}

describe('the password seal around backup codes', () => {
  it('through the keychain alone: counts and used states, never a code, not even in the decrypted content', async () => {
    const { open, accountId, setId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithKeychain();
    expect(recovery.status()).toEqual({ protection: 'password', unsealedUntil: null });
    expect(recovery.forAccount(accountId)).toMatchObject({ unused: 4, total: 4, warnings: [] });
    const decrypted = JSON.stringify(vault.content());
    for (const code of CODES) expect(decrypted).not.toContain(code);
    expect(await failureCode(() => recovery.reveal(setId))).toBe('RECOVERY_SEALED');
    expect(await failureCode(() => recovery.useNext(accountId))).toBe('RECOVERY_SEALED');
    expect(await failureCode(() => recovery.markByText(accountId, CODES[0] as string, true))).toBe('RECOVERY_SEALED');
    // marking by position needs no code text, so it works through the keychain
    await recovery.setUsed(setId, 3, true);
    expect(recovery.forAccount(accountId).unused).toBe(3);
  });

  it('adds codes through the keychain alone, sealed to the public key, readable with the password only', async () => {
    const { open, accountId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithKeychain();
    const added = await recovery.addFromText(accountId, '8436 1972\n5094 3618', 'file');
    expect(JSON.stringify(vault.content())).not.toContain('8436 1972');
    expect(await failureCode(() => recovery.reveal(added.id))).toBe('RECOVERY_SEALED');
    await recovery.unseal(PASSWORD);
    expect((await recovery.reveal(added.id)).codes.map((code) => code.code)).toEqual(['8436 1972', '5094 3618']);
  });

  it('a wrong password opens nothing; the right one opens it for a few minutes, and a lock closes it', async () => {
    const { open, clock, setId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithKeychain();
    expect(await failureCode(() => recovery.unseal('not the password'))).toBe('WRONG_PASSWORD');
    expect(await failureCode(() => recovery.reveal(setId))).toBe('RECOVERY_SEALED');
    const status = await recovery.unseal(PASSWORD);
    expect(status.unsealedUntil).toBe(clock.now + KEEP_UNSEALED_MS);
    expect((await recovery.reveal(setId)).codes.map((code) => code.code)).toEqual(CODES);
    clock.now += KEEP_UNSEALED_MS;
    expect(await failureCode(() => recovery.reveal(setId))).toBe('RECOVERY_SEALED');
    await recovery.unseal(PASSWORD);
    vault.lock();
    await vault.unlockWithKeychain();
    expect(await failureCode(() => recovery.reveal(setId))).toBe('RECOVERY_SEALED');
  });

  it('follows a password change: re-wrapped for the new password, the old one no longer opens it', async () => {
    const { open, setId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithKeychain();
    // Without the current password (and nothing kept in memory) the change is refused and nothing changes.
    expect(await failureCode(() => vault.setPassword('the new one', {}))).toBe('PASSWORD_REQUIRED');
    await vault.setPassword('the new one', { currentPassword: PASSWORD });
    expect(await failureCode(() => recovery.unseal(PASSWORD))).toBe('WRONG_PASSWORD');
    vault.lock();
    const after = open();
    await after.vault.unlockWithPassword('the new one');
    await after.recovery.unseal('the new one');
    expect((await after.recovery.reveal(setId)).codes.map((code) => code.code)).toEqual(CODES);
    // The seal follows every change; each change needs the current password (issue 8, item 3).
    await after.vault.setPassword('a third one', { currentPassword: 'the new one' });
    after.recovery.forget();
    await after.recovery.unseal('a third one');
    expect((await after.recovery.reveal(setId)).codes).toHaveLength(4);
  });

  it('removing the password slot unseals the codes: the keychain alone protects them, and says so', async () => {
    const { open, setId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithKeychain();
    expect(await failureCode(() => vault.removePasswordSlot({}))).toBe('PASSWORD_REQUIRED');
    await vault.removePasswordSlot({ currentPassword: PASSWORD });
    expect(recovery.status()).toEqual({ protection: 'keychain-only', unsealedUntil: null });
    expect((await recovery.reveal(setId)).codes.map((code) => code.code)).toEqual(CODES);
    // and a first password seals them again
    await vault.setPassword('back again', {});
    expect(recovery.status().protection).toBe('password');
    recovery.forget();
    expect(await failureCode(() => recovery.reveal(setId))).toBe('RECOVERY_SEALED');
    expect(JSON.stringify(vault.content())).not.toContain(CODES[0]);
  });

  it('a sealed set moved to another set is detected as damage, not read', async () => {
    const { open, accountId, setId } = await sealedVault();
    const { vault, recovery } = open();
    await vault.unlockWithPassword(PASSWORD);
    await recovery.unseal(PASSWORD);
    const other = await recovery.addCodes(accountId, ['11112222', '33334444', '55556666', '77778888'], 'pasted');
    await vault.update((content) => {
      const [a, b] = content.recovery.sets;
      if (a && b) [a.codes, b.codes] = [b.codes, a.codes];
    });
    expect(await failureCode(() => recovery.reveal(setId))).toBe('VAULT_CORRUPT');
    expect(await failureCode(() => recovery.reveal(other.id))).toBe('VAULT_CORRUPT');
  });

  it('a vault upgraded from v1 with a password: the password is asked once, then codes are sealed', async () => {
    const dir = tempDir();
    await cp(path.join(fixturesDir, 'vault-v1', 'vault.lkv'), path.join(dir, 'vault.lkv'));
    const vault = makeVault(dir);
    const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
    await vault.unlockWithPassword('correct horse battery staple v1');
    expect(recovery.status().protection).toBe('needs-password');
    const github = vault.content().accounts[0]?.id as string;
    expect(await failureCode(() => recovery.addCodes(github, CODES, 'pasted'))).toBe('RECOVERY_SEALED');
    expect(await failureCode(() => recovery.unseal('wrong'))).toBe('WRONG_PASSWORD');
    await recovery.unseal('correct horse battery staple v1');
    const set = await recovery.addCodes(github, CODES, 'pasted');
    expect(recovery.status().protection).toBe('password');
    expect(JSON.stringify(vault.content())).not.toContain(CODES[0]);
    expect((await recovery.reveal(set.id)).codes.map((code) => code.code)).toEqual(CODES);
  });
});

describe('a seal with nothing under it yet', () => {
  it('follows a password change with a new seal (every change needs the current password: issue 8, item 3)', async () => {
    const dir = tempDir();
    const vault = makeVault(dir);
    const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
    await vault.create({ password: PASSWORD, useKeychain: true });
    recovery.forget();
    const before = vault.content().recovery.seal;
    expect(before).not.toBeNull();
    await vault.setPassword('changed without the old one', { currentPassword: PASSWORD });
    expect(vault.content().recovery.seal?.publicKey).not.toBe(before?.publicKey);
    recovery.forget();
    expect(await failureCode(() => recovery.unseal(PASSWORD))).toBe('WRONG_PASSWORD');
    await recovery.unseal('changed without the old one');
  });
});
