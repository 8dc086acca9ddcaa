import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { RecoveryService } from '../../../electron/main/recovery';
import type { VaultService } from '../../../electron/main/vault';
import { errorOf } from '../../support/errors';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault, TEST_PASSWORD_COST } from '../../support/vault';

const tempDir = useTempDirs();
const DAY = 24 * 60 * 60 * 1000;
const CODES = ['ckss-2skx-ebow', 'spbc-424h-usy0', 'hi08-n5tk-lns5', '1n6i-l5na-8axe'];

async function errorOfAsync(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return errorOf(() => {
      throw error;
    });
  }
  throw new Error('expected an error');
}

interface Setup {
  dir: string;
  vault: VaultService;
  accounts: AccountsService;
  recovery: RecoveryService;
  clock: { now: number };
}

async function keychainVault(): Promise<Setup> {
  const dir = tempDir();
  const clock = { now: Date.UTC(2026, 10, 22) };
  const vault = makeVault(dir);
  await vault.create({ useKeychain: true });
  return { dir, vault, accounts: new AccountsService(vault, () => clock.now), recovery: new RecoveryService(vault, { now: () => clock.now, passwordCost: TEST_PASSWORD_COST }), clock };
}

function reopen(setup: Setup): Promise<Setup> {
  const vault = makeVault(setup.dir);
  const recovery = new RecoveryService(vault, { now: () => setup.clock.now, passwordCost: TEST_PASSWORD_COST });
  return vault.unlockWithKeychain().then(() => ({ ...setup, vault, accounts: new AccountsService(vault, () => setup.clock.now), recovery }));
}

describe('the recovery-code ledger (a vault opened through the system keychain, no password)', () => {
  it('adds a set, counts and warns, supersedes it with a new one, and deletes only superseded sets', async () => {
    const setup = await keychainVault();
    const { accounts, recovery, clock } = setup;
    const github = await accounts.addFromUri('otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
    expect(recovery.forAccount(github.id).warnings).toEqual(['none-at-all']);
    expect(recovery.status()).toEqual({ protection: 'keychain-only', unsealedUntil: null });

    const first = await recovery.addFromText(github.id, CODES.map((code, index) => `${index + 1}. ${code}`).join('\n'), 'pasted');
    expect(first).toMatchObject({ current: true, count: 4, unused: 4, source: 'pasted', createdAt: clock.now });
    expect(recovery.forAccount(github.id)).toMatchObject({ unused: 4, total: 4, currentSetId: first.id, warnings: [] });
    expect((await recovery.reveal(first.id)).codes.map((code) => code.code)).toEqual(CODES);
    expect((await recovery.reveal(first.id, 2)).codes).toEqual([{ index: 2, code: CODES[2], used: false }]);

    await recovery.setUsed(first.id, 0, true);
    await recovery.setUsed(first.id, 1, true);
    expect(recovery.forAccount(github.id).warnings).toEqual(['low']);
    await recovery.setUsed(first.id, 1, false);
    expect(recovery.forAccount(github.id).unused).toBe(3);

    clock.now += 400 * DAY;
    expect(recovery.forAccount(github.id).warnings).toEqual(['old']);
    const second = await recovery.addFromText(github.id, 'a1b2c3d4 e5f6g7h8', 'file');
    const view = recovery.forAccount(github.id);
    expect(view.currentSetId).toBe(second.id);
    expect(view.sets.map((set) => [set.id, set.current, set.supersededAt])).toEqual([
      [second.id, true, null],
      [first.id, false, clock.now],
    ]);
    expect((await errorOfAsync(() => recovery.deleteSet(second.id))).code).toBe('INVALID_INPUT');
    await recovery.deleteSet(first.id);
    expect(recovery.forAccount(github.id).sets).toHaveLength(1);
  });

  it('hands out the next unused code, marks it used, and says RECOVERY_EXHAUSTED when none is left', async () => {
    const { accounts, recovery, clock } = await keychainVault();
    const account = await accounts.addFromUri('otpauth://totp/Example:bob?secret=JBSWY3DPEHPK3PXP');
    expect((await errorOfAsync(() => recovery.useNext(account.id))).code).toBe('NO_RECOVERY_CODES');
    const set = await recovery.addCodes(account.id, ['11112222', '33334444'], 'provider');
    await recovery.setUsed(set.id, 0, true);
    const spent = await recovery.useNext(account.id);
    expect(spent).toEqual({ setId: set.id, index: 1, code: '33334444', left: 0 });
    expect(recovery.forAccount(account.id).sets[0]?.codes[1]).toEqual({ index: 1, used: true, usedAt: clock.now, how: 'copied' });
    expect(recovery.forAccount(account.id).warnings).toEqual(['none-left']);
    expect((await errorOfAsync(() => recovery.useNext(account.id))).code).toBe('RECOVERY_EXHAUSTED');
  });

  it('finds a code by its text however it is typed, and marks it used or unused', async () => {
    const { accounts, recovery } = await keychainVault();
    const account = await accounts.addFromUri('otpauth://totp/Example:carol?secret=JBSWY3DPEHPK3PXP');
    const set = await recovery.addCodes(account.id, CODES, 'pasted');
    expect(await recovery.markByText(account.id, 'HI08N5TKLNS5', true)).toEqual({ setId: set.id, index: 2 });
    expect(recovery.forAccount(account.id).sets[0]?.codes[2]?.how).toBe('marked');
    await recovery.markByText(account.id, 'hi08 n5tk lns5', false);
    expect(recovery.forAccount(account.id).unused).toBe(4);
    expect((await errorOfAsync(() => recovery.markByText(account.id, 'nope-nope-nope', true))).code).toBe('RECOVERY_CODE_NOT_FOUND');
  });

  it('keeps everything across a restart; removing the account removes its codes', async () => {
    const setup = await keychainVault();
    const account = await setup.accounts.addFromUri('otpauth://totp/Example:dave?secret=JBSWY3DPEHPK3PXP');
    const set = await setup.recovery.addCodes(account.id, CODES, 'file');
    await setup.recovery.useNext(account.id);
    const before = setup.recovery.overview();
    setup.vault.lock();
    const again = await reopen(setup);
    expect(again.recovery.overview()).toEqual(before);
    expect((await again.recovery.reveal(set.id)).codes.map((code) => code.used)).toEqual([true, false, false, false]);
    await again.accounts.remove(account.id);
    expect(again.vault.content().recovery.sets).toEqual([]);
  });

  it('holds an entry with backup codes and no OTP secret: listed and searched, no live code', async () => {
    const { accounts, recovery } = await keychainVault();
    await accounts.addFromUri('otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub');
    const entry = await accounts.addWithoutOtp({ issuer: 'Yubico-protected bank', label: 'alice', notes: 'login codes on the hardware key' });
    expect(entry.hasOtp).toBe(false);
    expect(accounts.search('bank').map((account) => account.id)).toEqual([entry.id]);
    expect(accounts.codes().map((code) => code.id)).not.toContain(entry.id);
    expect(accounts.codes()).toHaveLength(1);
    await recovery.addCodes(entry.id, CODES, 'pasted');
    expect((await recovery.useNext(entry.id)).code).toBe(CODES[0]);
    expect((await errorOfAsync(() => accounts.addWithoutOtp({ issuer: ' ', label: '' }))).code).toBe('INVALID_ACCOUNT');
  });

  it('refuses codes for an unknown account, and an empty or oversized set, and saves nothing', async () => {
    const { vault, accounts, recovery } = await keychainVault();
    const account = await accounts.addFromUri('otpauth://totp/Example:erin?secret=JBSWY3DPEHPK3PXP');
    expect((await errorOfAsync(() => recovery.addCodes('5b0a4c0e-0000-4000-8000-000000000001', CODES, 'pasted'))).code).toBe('ACCOUNT_NOT_FOUND');
    expect((await errorOfAsync(() => recovery.addCodes(account.id, [], 'pasted'))).code).toBe('RECOVERY_CODES_NOT_RECOGNISED');
    expect((await errorOfAsync(() => recovery.addCodes(account.id, ['x'.repeat(65)], 'pasted'))).code).toBe('RECOVERY_CODES_NOT_RECOGNISED');
    expect((await errorOfAsync(() => recovery.addFromText(account.id, 'just some words here', 'pasted'))).code).toBe('RECOVERY_CODES_NOT_RECOGNISED');
    expect((await errorOfAsync(() => recovery.setUsed('5b0a4c0e-0000-4000-8000-000000000001', 0, true))).code).toBe('RECOVERY_SET_NOT_FOUND');
    expect(vault.content().recovery.sets).toEqual([]);
  });
});
