import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HOTP, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import type { SecretStore } from '../../../electron/main/keychain/secret-store';
import { parseContent } from '../../../electron/main/vault/content';
import { VaultService } from '../../../electron/main/vault';
import { errorOf } from '../../support/errors';
import { fixturesDir, useTempDirs } from '../../support/temp-dir';
import { TEST_PASSWORD_COST } from '../../support/vault-fixtures';

const tempDir = useTempDirs();
const FIXTURE = path.join(fixturesDir, 'vault-v1');
const PASSWORD = 'correct horse battery staple v1';
const noKeychain: SecretStore = {
  get: () => Promise.reject(new Error('not used')),
  set: () => Promise.reject(new Error('not used')),
  delete: () => Promise.reject(new Error('not used')),
};

async function copyOfFixture(): Promise<string> {
  const dir = tempDir();
  await cp(path.join(FIXTURE, 'vault.lkv'), path.join(dir, 'vault.lkv'));
  return dir;
}

async function expectedV1(): Promise<{ schema: 1; accounts: Record<string, unknown>[] }> {
  return JSON.parse(await readFile(path.join(FIXTURE, 'content-v1.json'), 'utf8'));
}

function open(dir: string): VaultService {
  return new VaultService({ dir, keychain: noKeychain, passwordCost: TEST_PASSWORD_COST });
}

describe('the version 1 vault written by the code before backup codes', () => {
  it('opens with every account field for field, no backup codes, and no write', async () => {
    const dir = await copyOfFixture();
    const before = await readFile(path.join(dir, 'vault.lkv'));
    const vault = open(dir);
    await vault.unlockWithPassword(PASSWORD);
    const expected = await expectedV1();
    const content = vault.content();
    expect(content.schema).toBe(2);
    expect(content.accounts).toEqual(expected.accounts);
    expect(content.recovery).toEqual({ seal: null, sets: [] });
    expect(await readFile(path.join(dir, 'vault.lkv'))).toEqual(before);
  });

  it('gives the same live codes after the upgrade as the accounts it held', async () => {
    const dir = await copyOfFixture();
    const vault = open(dir);
    await vault.unlockWithPassword(PASSWORD);
    const accounts = new AccountsService(vault, () => 1_700_000_000_000);
    const codes = accounts.codes();
    // Computed by the otpauth library straight from the decrypted v1 content, not through Latchkey's generator.
    const expected = (await expectedV1()).accounts.map((account) => {
      const { type, secret, algorithm, digits, period, counter } = account as { type: string; secret: string; algorithm: string; digits: number; period: number; counter: number };
      if (type === 'hotp') return new HOTP({ secret, algorithm, digits, counter }).generate();
      if (type === 'steam') return null;
      return new TOTP({ secret, algorithm, digits, period }).generate({ timestamp: 1_700_000_000_000 });
    });
    expect(codes.map((code, index) => (expected[index] === null ? null : code.code))).toEqual(expected);
    expect(codes[3]?.code).toMatch(/^[2-9BCDFGHJKMNPQRTVWXY]{5}$/);
    expect(accounts.list().every((account) => account.hasOtp)).toBe(true);
  });

  it('is written as schema 2 on the next save, and reads back the same', async () => {
    const dir = await copyOfFixture();
    const vault = open(dir);
    await vault.unlockWithPassword(PASSWORD);
    const accounts = new AccountsService(vault);
    const github = accounts.search('GitHub')[0];
    await accounts.edit(github!.id, { notes: 'edited after the upgrade' });
    vault.lock();
    const again = open(dir);
    await again.unlockWithPassword(PASSWORD);
    const expected = await expectedV1();
    const after = again.content();
    expect(after.schema).toBe(2);
    expect(after.accounts.map((account) => account.id)).toEqual(expected.accounts.map((account) => account.id));
    expect(after.accounts[0]?.notes).toBe('edited after the upgrade');
    expect(after.accounts.slice(1)).toEqual(expected.accounts.slice(1));
  });
});

describe('content schemas', () => {
  it('refuses a schema newer than this reader as unsupported, and nonsense as corrupt', () => {
    expect(errorOf(() => parseContent({ schema: 3, accounts: [] })).code).toBe('UNSUPPORTED_VAULT_VERSION');
    expect(errorOf(() => parseContent({ schema: 2, accounts: [] })).code).toBe('VAULT_CORRUPT');
    expect(errorOf(() => parseContent({ schema: 1, accounts: [{ id: 'x' }] })).code).toBe('VAULT_CORRUPT');
    expect(errorOf(() => parseContent('schema')).code).toBe('VAULT_CORRUPT');
  });

  it('keeps unknown top-level fields of a schema 1 content', () => {
    const content = parseContent({ schema: 1, accounts: [], later: { kept: true } });
    expect(content).toEqual({ schema: 2, accounts: [], recovery: { seal: null, sets: [] }, later: { kept: true } });
  });

  it('refuses backup codes that belong to no account, or two current sets for one account', () => {
    const accountId = '5b0a4c0e-0000-4000-8000-000000000001';
    const account = { id: accountId, type: 'totp', secret: null, issuer: 'X', label: '', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, group: null, notes: '', createdAt: 0, updatedAt: 0, lastUsedAt: null };
    const set = (id: string, owner: string) => ({ id, accountId: owner, source: 'pasted', createdAt: 0, supersededAt: null, count: 1, codes: { plain: ['abcd-efgh'] }, usage: [null] });
    const good = { schema: 2, accounts: [account], recovery: { seal: null, sets: [set('5b0a4c0e-0000-4000-8000-0000000000a1', accountId)] } };
    expect(parseContent(good).recovery.sets).toHaveLength(1);
    const orphan = { ...good, recovery: { seal: null, sets: [set('5b0a4c0e-0000-4000-8000-0000000000a1', '5b0a4c0e-0000-4000-8000-000000000009')] } };
    expect(errorOf(() => parseContent(orphan)).code).toBe('VAULT_CORRUPT');
    const twoCurrent = { ...good, recovery: { seal: null, sets: [set('5b0a4c0e-0000-4000-8000-0000000000a1', accountId), set('5b0a4c0e-0000-4000-8000-0000000000a2', accountId)] } };
    expect(errorOf(() => parseContent(twoCurrent)).code).toBe('VAULT_CORRUPT');
    const sealedWithoutSeal = { ...good, recovery: { seal: null, sets: [{ ...set('5b0a4c0e-0000-4000-8000-0000000000a1', accountId), codes: { sealed: 'AAAA' } }] } };
    expect(errorOf(() => parseContent(sealedWithoutSeal)).code).toBe('VAULT_CORRUPT');
  });
});
