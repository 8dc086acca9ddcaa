import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { generateCode, decodeBase32 } from '../../../electron/main/otp';
import { LatchkeyError } from '../../../shared/errors';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';

const tempDir = useTempDirs();
const SECRET = 'JBSWY3DPEHPK3PXP';

async function setup(now = () => 1_700_000_000_000) {
  const dir = tempDir();
  const vault = makeVault(dir);
  await vault.create({ password: 'pw', useKeychain: false });
  return { dir, vault, accounts: new AccountsService(vault, now) };
}

async function reopened(dir: string) {
  const vault = makeVault(dir);
  await vault.unlockWithPassword('pw');
  return new AccountsService(vault);
}

describe('AccountsService', () => {
  it('adds an account by hand, normalizing the secret, and keeps it across a reopen', async () => {
    const { dir, accounts } = await setup();
    const added = await accounts.add({ type: 'totp', secret: 'jbsw y3dp ehpk 3pxp', issuer: ' GitHub ', label: 'octocat' });
    expect(added).toMatchObject({ issuer: 'GitHub', label: 'octocat', algorithm: 'SHA1', digits: 6, period: 30, group: null });
    expect(added).not.toHaveProperty('secret');
    const again = await reopened(dir);
    expect(again.list()).toEqual([added]);
    expect(again.findBySecret(SECRET)?.id).toBe(added.id);
  });

  it('adds from an otpauth URI and gives the code an independent implementation computes', async () => {
    const { accounts } = await setup();
    const added = await accounts.addFromUri(`otpauth://totp/ACME:jane?secret=${SECRET}&issuer=ACME&algorithm=SHA256&digits=8&period=60`);
    const at = 1_234_567_890_000;
    const [code] = accounts.codes([added.id], at, { withNext: true });
    const expected = generateCode({ type: 'totp', algorithm: 'SHA256', digits: 8, period: 60, counter: 0, secret: decodeBase32(SECRET) }, at);
    expect(code).toMatchObject({ id: added.id, code: expected, expiresAt: 1_234_567_920_000 });
    expect(code?.nextCode).toBe(generateCode({ type: 'totp', algorithm: 'SHA256', digits: 8, period: 60, counter: 0, secret: decodeBase32(SECRET) }, at + 60_000));
  });

  it('rejects a duplicate secret unless allowed, naming the existing account', async () => {
    const { accounts } = await setup();
    await accounts.add({ type: 'totp', secret: SECRET, issuer: 'First', label: 'a' });
    const error = await accounts.add({ type: 'totp', secret: SECRET.toLowerCase(), issuer: 'Second' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect((error as LatchkeyError).code).toBe('DUPLICATE_ACCOUNT');
    expect((error as LatchkeyError).message).toContain('First – a');
    await accounts.add({ type: 'totp', secret: SECRET, issuer: 'Second' }, { allowDuplicate: true });
    expect(accounts.list()).toHaveLength(2);
  });

  it('rejects invalid accounts with the reason', async () => {
    const { accounts } = await setup();
    await expect(accounts.add({ type: 'totp', secret: 'not base32!' })).rejects.toMatchObject({ code: 'INVALID_SECRET' });
    await expect(accounts.add({ type: 'totp', secret: SECRET, digits: 5 })).rejects.toMatchObject({ code: 'INVALID_ACCOUNT' });
    await expect(accounts.add({ type: 'totp', secret: SECRET, period: 0 })).rejects.toMatchObject({ code: 'INVALID_ACCOUNT' });
    await expect(accounts.addFromUri('https://example.com')).rejects.toMatchObject({ code: 'INVALID_OTPAUTH_URI' });
    expect(accounts.list()).toEqual([]);
  });

  it('gives Steam accounts SHA1 and 5 characters whatever was asked', async () => {
    const { accounts } = await setup();
    const steam = await accounts.add({ type: 'steam', secret: SECRET, algorithm: 'SHA512', digits: 8 });
    expect(steam).toMatchObject({ algorithm: 'SHA1', digits: 5 });
    expect(accounts.codes([steam.id])[0]?.code).toMatch(/^[23456789BCDFGHJKMNPQRTVWXY]{5}$/);
  });

  it('edits issuer, label, group and notes; an empty group clears it', async () => {
    const { dir, accounts } = await setup();
    const added = await accounts.add({ type: 'totp', secret: SECRET });
    await accounts.edit(added.id, { issuer: 'Work mail', label: 'me@work', group: 'Work', notes: 'recovery in the safe' });
    expect((await reopened(dir)).get(added.id)).toMatchObject({ issuer: 'Work mail', label: 'me@work', group: 'Work', notes: 'recovery in the safe' });
    expect(accounts.groups()).toEqual(['Work']);
    await accounts.edit(added.id, { group: '' });
    expect(accounts.get(added.id).group).toBeNull();
    await expect(accounts.edit('00000000-0000-4000-8000-000000000000', { issuer: 'x' })).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
  });

  it('removes and reorders, and the order survives a reopen', async () => {
    const { dir, accounts } = await setup();
    const ids: string[] = [];
    for (const secret of ['AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC']) ids.push((await accounts.add({ type: 'totp', secret, issuer: secret })).id);
    await accounts.reorder([ids[2], ids[0], ids[1]] as string[]);
    await accounts.remove(ids[0] as string);
    expect((await reopened(dir)).list().map((account) => account.issuer)).toEqual(['CCCCCCCC', 'BBBBBBBB']);
    await expect(accounts.reorder([ids[1] as string])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(accounts.reorder([ids[1], ids[1]] as string[])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('searches issuer and label case-insensitively and sorts', async () => {
    const { accounts } = await setup();
    await accounts.add({ type: 'totp', secret: 'AAAAAAAA', issuer: 'zeta', label: 'Bob@Example.com' });
    await accounts.add({ type: 'totp', secret: 'BBBBBBBB', issuer: 'Alpha', label: 'carol' });
    expect(accounts.search('EXAMPLE').map((account) => account.issuer)).toEqual(['zeta']);
    expect(accounts.search('').length).toBe(2);
    expect(accounts.sorted('issuer').map((account) => account.issuer)).toEqual(['Alpha', 'zeta']);
  });

  it('advances and saves an HOTP counter', async () => {
    const { dir, accounts } = await setup();
    const hotp = await accounts.addFromUri(`otpauth://hotp/Bank:me?secret=${SECRET}&counter=5`);
    const secret = decodeBase32(SECRET);
    const codeAt = (counter: number) => generateCode({ type: 'hotp', algorithm: 'SHA1', digits: 6, period: 30, counter, secret }, 0);
    expect(accounts.codes([hotp.id])[0]).toMatchObject({ code: codeAt(5), expiresAt: null, nextCode: null });
    expect((await accounts.nextHotpCode(hotp.id)).code).toBe(codeAt(6));
    const again = await reopened(dir);
    expect(again.get(hotp.id).counter).toBe(6);
    expect(again.codes([hotp.id])[0]?.code).toBe(codeAt(6));
    const totp = await accounts.add({ type: 'totp', secret: 'AAAAAAAA' });
    await expect(accounts.nextHotpCode(totp.id)).rejects.toMatchObject({ code: 'NOT_HOTP' });
  });

  it('forgets its code generators when the vault locks', async () => {
    const { vault, accounts } = await setup();
    await accounts.add({ type: 'totp', secret: SECRET });
    accounts.codes();
    const generators = (accounts as unknown as { generators: Map<string, unknown> }).generators;
    expect(generators.size).toBe(1);
    vault.lock();
    expect(generators.size).toBe(0);
    expect(() => accounts.codes()).toThrow(LatchkeyError);
  });

  it('imports a batch in one save, skipping duplicates within it and in the vault', async () => {
    const { accounts } = await setup();
    await accounts.add({ type: 'totp', secret: 'AAAAAAAA' });
    const result = await accounts.addMany([
      { type: 'totp', secret: 'aaaaaaaa' },
      { type: 'totp', secret: 'BBBBBBBB' },
      { type: 'hotp', secret: 'bbbb bbbb' },
    ]);
    expect(result.added).toHaveLength(1);
    expect(result.skipped).toBe(2);
    await expect(accounts.addMany([{ type: 'totp', secret: 'CCCCCCCC' }, { type: 'totp', secret: '!!' }])).rejects.toMatchObject({ code: 'INVALID_SECRET' });
    expect(accounts.list()).toHaveLength(2);
  });
});
