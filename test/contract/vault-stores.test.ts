import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../electron/main/accounts';
import {
  decodeQrImageInMain,
  enrollmentAccountsFrom,
  MisakeyEnrollment,
  ProvidersService,
  recoveryLedgerFrom,
  VaultConnectionStore,
  VaultEnrollmentStore,
} from '../../electron/main/providers';
import { RecoveryService } from '../../electron/main/recovery';
import { failureCode } from '../support/errors';
import { seededRandom } from '../support/seeded-random';
import { useTempDirs } from '../support/temp-dir';
import { makeVault, TEST_PASSWORD_COST } from '../support/vault';
import { arklowFixture, misakeyFixture, moonKeyFixture, useContractServers } from './support/fixtures';
import { testClient } from './support/harness';

const track = useContractServers();
const tempDir = useTempDirs();
const PASSWORD = 'providers in the seal';
const NOW = Date.UTC(2026, 10, 22);

/** Everything of main the providers use, over one vault folder; `open` again to read it back from disk. */
function opener(dir: string, label: string) {
  const random = seededRandom(`vault-stores-${label}`);
  return () => {
    const vault = makeVault(dir);
    const accounts = new AccountsService(vault, () => NOW);
    const recovery = new RecoveryService(vault, { now: () => NOW, passwordCost: TEST_PASSWORD_COST });
    const connections = new VaultConnectionStore(vault, recovery);
    const ledger = recoveryLedgerFrom(recovery);
    const { client, waits } = testClient(random);
    const providers = new ProvidersService({ client, connections, ledger, now: () => NOW });
    const enrollment = new MisakeyEnrollment({
      client,
      store: new VaultEnrollmentStore(vault, recovery),
      accounts: enrollmentAccountsFrom(accounts),
      connections,
      ledger,
      decodeQrImage: decodeQrImageInMain,
    });
    return { random, vault, accounts, recovery, connections, providers, enrollment, waits };
  };
}

describe('provider connections and codes in a real vault', () => {
  it('with a password: credentials and codes sealed on disk, readable again after the password', async () => {
    const dir = tempDir();
    const open = opener(dir, 'sealed');
    const first = open();
    await first.vault.create({ password: PASSWORD, useKeychain: false });
    const moonkey = await moonKeyFixture(first.random, track);
    const account = await first.accounts.addFromUri('otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey');
    await first.providers.connect(account.id, { provider: 'moonkey', baseUrl: moonkey.server.url, userId: moonkey.userId, credentials: { apiKey: moonkey.apiKey } });
    expect(first.connections.protection()).toBe('password');
    expect(await first.providers.fetchCodes(account.id)).toEqual({ saved: true, count: moonkey.user.unused.length });
    const decrypted = JSON.stringify(first.vault.content());
    expect(decrypted).not.toContain(moonkey.apiKey);
    for (const code of moonkey.user.unused) expect(decrypted).not.toContain(code);
    expect(first.recovery.forAccount(account.id).sets[0]).toMatchObject({ source: 'provider', current: true, unused: moonkey.user.unused.length });
    first.vault.lock();

    const again = open();
    await again.vault.unlockWithPassword(PASSWORD);
    // The vault is open, the seal is not: connections list, credentials do not open.
    expect(again.connections.connectedAccountIds()).toEqual([account.id]);
    expect(await failureCode(() => again.providers.fetchCodes(account.id))).toBe('RECOVERY_SEALED');
    await again.recovery.unseal(PASSWORD);
    expect(await again.providers.describe(account.id)).toEqual({ provider: 'moonkey', baseUrl: moonkey.server.url, subjectId: moonkey.userId });
    const firstCode = moonkey.user.unused[0] as string;
    expect(await again.providers.signInWithRecoveryCode(account.id)).toMatchObject({ userId: moonkey.userId });
    expect(moonkey.user.unused).not.toContain(firstCode);
    const current = again.recovery.forAccount(account.id).sets[0];
    expect(current?.codes[0]).toMatchObject({ used: true, how: 'provider' });
    expect(current?.codes[1]).toMatchObject({ used: false });

    await again.providers.disconnect(account.id);
    again.vault.lock();
    const third = open();
    await third.vault.unlockWithPassword(PASSWORD);
    expect(third.connections.connectedAccountIds()).toEqual([]);
  });

  it('keychain only: stored under the vault key and said so; sealed when a password comes, plain when it goes', async () => {
    const dir = tempDir();
    const open = opener(dir, 'keychain');
    const first = open();
    await first.vault.create({ useKeychain: true });
    const arklow = await arklowFixture(first.random, track);
    const account = await first.accounts.addFromUri('otpauth://totp/Arklow:bob?secret=JBSWY3DPEHPK3PXP&issuer=Arklow');
    await first.providers.connect(account.id, { provider: 'arklow', baseUrl: arklow.server.url, deviceId: arklow.deviceId, credentials: { apiKey: arklow.apiKey } });
    expect(first.connections.protection()).toBe('vault-key');
    expect(JSON.stringify(first.vault.content())).toContain(arklow.apiKey);

    await first.vault.setPassword(PASSWORD, {});
    expect(first.connections.protection()).toBe('password');
    expect(JSON.stringify(first.vault.content())).not.toContain(arklow.apiKey);
    // Still readable right after: typing the password keeps the seal open a while.
    expect(await first.providers.regenerateCodes(account.id)).toMatchObject({ saved: true });
    first.vault.lock();

    const again = open();
    await again.vault.unlockWithKeychain();
    expect(await failureCode(() => again.providers.regenerateCodes(account.id))).toBe('RECOVERY_SEALED');
    await again.vault.removePasswordSlot({ currentPassword: PASSWORD });
    expect(JSON.stringify(again.vault.content())).toContain(arklow.apiKey);
    expect(await again.providers.regenerateCodes(account.id)).toMatchObject({ saved: true });
  });

  it('enrolls with Misakey through the real decoder, vault and ledger; nothing is left started', async () => {
    const dir = tempDir();
    const open = opener(dir, 'enroll');
    const first = open();
    await first.vault.create({ password: PASSWORD, useKeychain: false });
    const misakey = await misakeyFixture(first.random, track);
    const result = await first.enrollment.enroll({
      provider: 'misakey',
      baseUrl: misakey.server.url,
      identityId: misakey.identityId,
      credentials: { accessToken: misakey.accessToken, csrfToken: misakey.csrfToken },
    });
    expect(result).toMatchObject({ codeCount: misakey.identity.codes.length, resumed: false });
    expect(first.vault.content().providers?.enrollments).toEqual([]);
    first.vault.lock();

    const again = open();
    await again.vault.unlockWithPassword(PASSWORD);
    await again.recovery.unseal(PASSWORD);
    expect(await again.providers.describe(result.accountId)).toMatchObject({ provider: 'misakey', subjectId: misakey.identityId });
    const set = again.recovery.forAccount(result.accountId).sets[0];
    expect((await again.recovery.reveal(set?.id as string)).codes.map((code) => code.code)).toEqual(misakey.identity.codes);
  });

  it('removing the account removes its connection and credentials in the same save', async () => {
    const open = opener(tempDir(), 'remove-account');
    const t = open();
    await t.vault.create({ useKeychain: true });
    const kept = await t.accounts.addFromUri('otpauth://totp/Arklow:kept?secret=JBSWY3DPEHPK3PXP&issuer=Arklow');
    const gone = await t.accounts.addFromUri('otpauth://totp/Arklow:gone?secret=KRSXG5CTMVRXEZLU&issuer=Arklow');
    const connection = (apiKey: string) => ({ provider: 'arklow', baseUrl: 'http://127.0.0.1:9', deviceId: '1', credentials: { apiKey } });
    await t.providers.connect(kept.id, connection('ak_kept_key'));
    await t.providers.connect(gone.id, connection('ak_gone_key'));
    await t.accounts.remove(gone.id);
    expect(t.connections.connectedAccountIds()).toEqual([kept.id]);
    expect(JSON.stringify(t.vault.content())).not.toContain('ak_gone_key');
  });

  it('remembers a started enrollment in the vault, sealed, and refuses one for an unknown account', async () => {
    const dir = tempDir();
    const open = opener(dir, 'remember');
    const first = open();
    await first.vault.create({ password: PASSWORD, useKeychain: false });
    const store = new VaultEnrollmentStore(first.vault, first.recovery);
    const state = {
      stage: 'started' as const,
      identityId: 'a0000000-0000-4000-8000-000000000001',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { accessToken: 'mat_remembered_token', csrfToken: 'csrf_remembered' },
      enrollmentId: 'b0000000-0000-4000-8000-000000000002',
      startedAt: NOW,
      otpauthUri: 'otpauth://totp/Misakey:me?secret=JBSWY3DPEHPK3PXP',
    };
    await store.save(state);
    expect(JSON.stringify(first.vault.content())).not.toContain('mat_remembered_token');
    first.vault.lock();
    const again = open();
    await again.vault.unlockWithPassword(PASSWORD);
    await again.recovery.unseal(PASSWORD);
    expect(await new VaultEnrollmentStore(again.vault, again.recovery).load(state.identityId)).toEqual(state);
    expect(await failureCode(() => again.connections.put('not-an-account', { provider: 'arklow', baseUrl: 'http://127.0.0.1:9', deviceId: '1', credentials: { apiKey: 'ak_1' } }))).toBe('ACCOUNT_NOT_FOUND');
  });
});
