import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { restoreBackup, writeBackup } from '../../../electron/main/exporters';
import { ImportPlan, openSealedExtras, readExportFile, savedExtrasLookup, savedSecretLookup } from '../../../electron/main/importers';
import { VaultConnectionStore } from '../../../electron/main/providers/vault-stores';
import { RecoveryService } from '../../../electron/main/recovery';
import type { VaultService } from '../../../electron/main/vault';
import { makeVault, TEST_PASSWORD_COST, testKeychain } from '../../support/vault';
import { LatchkeyError } from '../../../shared/errors';
import { seededRandom, testSeed } from '../../support/seeded-random';
import { parseContent, type VaultContent } from '../../../electron/main/vault/content';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();
const COST = { opsLimit: 1, memLimit: 1024 * 1024 };
const SOURCE_PASSWORD = 'source vault pw';
const BACKUP_PASSWORD = 'backup pw';

/** Services over one vault, as the app wires them (connections follow the recovery seal). */
function services(vault: VaultService) {
  const recovery = new RecoveryService(vault, { passwordCost: TEST_PASSWORD_COST });
  return { vault, recovery, accounts: new AccountsService(vault), connections: new VaultConnectionStore(vault, recovery) };
}

function codes(label: string, count: number): string[] {
  const random = seededRandom(label);
  const letters = 'abcdefghijkmnpqrstuvwxyz23456789';
  const part = () => Array.from({ length: 5 }, () => random.pick([...letters])).join('');
  return Array.from({ length: count }, () => `${part()}-${part()}`);
}

/**
 * A vault with a password seal holding every kind of thing a backup carries: groups and notes, a
 * current set with used marks over a superseded one, a provider connection, a codes-only entry.
 */
async function sourceVault(password: string | null = SOURCE_PASSWORD) {
  const s = services(makeVault(tempDir()));
  await s.vault.create(password === null ? { useKeychain: true } : { password, useKeychain: false });
  const github = await s.accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'alice', group: 'Work', notes: 'the work one' });
  const bank = await s.accounts.add({ type: 'hotp', secret: '5VAML3X35THCEBVRLV24CGBKOY', issuer: 'Bank', label: 'bob', algorithm: 'SHA512', digits: 8, counter: 42 });
  const hardware = await s.accounts.addWithoutOtp({ issuer: 'Hardware', label: 'carol', group: 'Work', notes: 'key on the ring' });
  await s.recovery.addCodes(github.id, codes('github-old', 4), 'pasted');
  const current = await s.recovery.addCodes(github.id, codes('github-new', 10), 'file');
  await s.recovery.setUsed(current.id, 0, true);
  await s.recovery.setUsed(current.id, 3, true, 'copied');
  await s.recovery.addCodes(hardware.id, codes('hardware', 6), 'pasted');
  await s.connections.put(github.id, { provider: 'moonkey', baseUrl: 'http://127.0.0.1:9', userId: 'alice-1', credentials: { apiKey: 'mk_source_key' } });
  return { ...s, ids: { github: github.id, bank: bank.id, hardware: hardware.id } };
}

/**
 * Everything a person sees in a vault, sealed parts opened: accounts by name, each with its sets
 * (codes, used marks, current or not) and connection. Ids are left out so merges compare too.
 */
async function readable(s: ReturnType<typeof services>, password: string | null) {
  if (password !== null && s.vault.content().recovery.seal !== null) await s.recovery.unseal(password);
  const content = s.vault.content();
  const result: Record<string, unknown> = {};
  for (const account of content.accounts) {
    const sets = [];
    for (const set of content.recovery.sets.filter((candidate) => candidate.accountId === account.id)) {
      const revealed = await s.recovery.reveal(set.id);
      sets.push({ source: set.source, createdAt: set.createdAt, current: set.supersededAt === null, codes: revealed.codes.map((code) => code.code), usage: set.usage });
    }
    const { id: _id, createdAt: _created, updatedAt: _updated, ...fields } = account;
    result[`${account.issuer}/${account.label}`] = { fields, sets, connection: await s.connections.get(account.id) };
  }
  return result;
}

async function backupOf(s: { vault: VaultService }): Promise<Uint8Array> {
  return new TextEncoder().encode(await writeBackup(s.vault.content(), BACKUP_PASSWORD, COST));
}

/** Reads a backup as `import` does, then saves the default choice. */
async function merge(target: ReturnType<typeof services>, bytes: Uint8Array, passwords: { file: string; sourceVault?: string }) {
  const result = await readExportFile(bytes, { password: passwords.file });
  await openSealedExtras([result], [passwords.file, passwords.sourceVault ?? null]);
  const plan = new ImportPlan([result], savedSecretLookup(target.vault), Date.now(), savedExtrasLookup(target.vault));
  return { preview: plan.preview, report: await plan.save(target.accounts) };
}

describe('Latchkey backup: restore', () => {
  it('restores into a new vault identical to the one backed up: codes with used marks and history, connection, codes-only entry', async () => {
    const source = await sourceVault();
    const expected = await readable(source, SOURCE_PASSWORD);
    const bytes = await backupOf(source);
    // The new vault's password is not the old one: the old one opens the codes, the new one seals them again.
    const restored = services(makeVault(tempDir()));
    await restoreBackup(restored.vault, bytes, BACKUP_PASSWORD, { password: 'new pw', useKeychain: false, sourceVaultPassword: SOURCE_PASSWORD });
    expect(restored.vault.content().accounts).toEqual(source.vault.content().accounts);
    restored.vault.lock();
    await restored.vault.unlockWithPassword('new pw');
    expect(await readable(restored, 'new pw')).toEqual(expected);
    // The codes and credentials are sealed under the new password, not the old one.
    await expect(restored.recovery.unseal(SOURCE_PASSWORD)).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
  });

  it('restores with the old vault password as the new one, and into a keychain-only vault (codes plain under the vault key)', async () => {
    const source = await sourceVault();
    const expected = await readable(source, SOURCE_PASSWORD);
    const bytes = await backupOf(source);
    const same = services(makeVault(tempDir()));
    await restoreBackup(same.vault, bytes, BACKUP_PASSWORD, { password: SOURCE_PASSWORD, useKeychain: false });
    expect(await readable(same, SOURCE_PASSWORD)).toEqual(expected);
    const keychainOnly = services(makeVault(tempDir()));
    await restoreBackup(keychainOnly.vault, bytes, BACKUP_PASSWORD, { password: null, useKeychain: true, sourceVaultPassword: SOURCE_PASSWORD });
    expect(keychainOnly.vault.content().recovery.seal).toBeNull();
    expect(keychainOnly.vault.content().recovery.sets.every((set) => 'plain' in set.codes)).toBe(true);
    expect(await readable(keychainOnly, null)).toEqual(expected);
  });

  it('without the password that opens the sealed codes, restore says so and makes no vault', async () => {
    const source = await sourceVault();
    const target = services(makeVault(tempDir()));
    await expect(restoreBackup(target.vault, await backupOf(source), BACKUP_PASSWORD, { password: 'new pw', useKeychain: false })).rejects.toMatchObject({ code: 'BACKUP_CODES_SEALED' });
    expect(existsSync(path.join(target.vault.dir, 'vault.lkv'))).toBe(false);
    expect((await target.vault.status()).state).toBe('missing');
  });
});

describe('Latchkey backup: restore that fails while the vault is made', () => {
  it('a keychain that refuses the new key leaves no vault, and the restore can be run again', async () => {
    const source = await sourceVault();
    const expected = await readable(source, SOURCE_PASSWORD);
    const bytes = await backupOf(source);
    const dir = tempDir();
    const keychain = testKeychain();
    const refusing = { get: keychain.get.bind(keychain), delete: keychain.delete.bind(keychain), set: () => Promise.reject(new LatchkeyError('KEYCHAIN_UNAVAILABLE')) };
    await expect(restoreBackup(makeVault(dir, { keychain: refusing }), bytes, BACKUP_PASSWORD, { password: 'new pw', useKeychain: true, sourceVaultPassword: SOURCE_PASSWORD })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(existsSync(path.join(dir, 'vault.lkv'))).toBe(false);
    const again = services(makeVault(dir));
    await restoreBackup(again.vault, bytes, BACKUP_PASSWORD, { password: 'new pw', useKeychain: true, sourceVaultPassword: SOURCE_PASSWORD });
    expect(await readable(again, 'new pw')).toEqual(expected);
  });
});

describe('Latchkey backup: merge', () => {
  it('into an empty sealed vault gives the backup’s accounts with their codes and connection, sealed under this vault’s password', async () => {
    const source = await sourceVault();
    const expected = await readable(source, SOURCE_PASSWORD);
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    const { preview, report } = await merge(target, await backupOf(source), { file: BACKUP_PASSWORD, sourceVault: SOURCE_PASSWORD });
    expect(preview.map((entry) => [entry.issuer, entry.status, entry.extras?.description ?? null])).toEqual([
      ['GitHub', 'new', '10 backup codes (2 used), 1 earlier set of backup codes and a MoonKey connection'],
      ['Bank', 'new', null],
      ['Hardware', 'new', '6 backup codes'],
    ]);
    expect(report).toMatchObject({ total: 3, imported: 3, skippedDuplicates: 0, leftOut: 0, refused: [], backupCodeSets: 3, connections: 1 });
    expect(report.imported + report.skippedDuplicates + report.leftOut + report.refused.length).toBe(report.total);
    // Sealed: nothing readable without this vault's password.
    const sealed = target.vault.content();
    expect(sealed.recovery.sets.every((set) => 'sealed' in set.codes)).toBe(true);
    expect(sealed.providers?.connections.every((entry) => 'sealed' in entry.data)).toBe(true);
    target.vault.lock();
    await target.vault.unlockWithPassword('target pw');
    expect(await readable(target, 'target pw')).toEqual(expected);
  });

  it('into a non-empty vault: duplicates bring what the saved account lacks, keep what it has, and the report says which', async () => {
    const source = await sourceVault();
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    // GitHub is here already with codes of its own; Bank has none; the codes-only entry is here too.
    const github = await target.accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'alice (here)' });
    const own = codes('target-github', 5);
    await target.recovery.addCodes(github.id, own, 'pasted');
    const bank = await target.accounts.add({ type: 'hotp', secret: '5VAML3X35THCEBVRLV24CGBKOY', issuer: 'Bank', label: 'bob' });
    await target.accounts.addWithoutOtp({ issuer: 'Hardware', label: 'carol' });
    await target.accounts.add({ type: 'totp', secret: 'MFRGGZDFMZTWQ2LK', issuer: 'Only', label: 'here' });
    // The backup's Bank has codes and GitHub's connection goes to the saved GitHub, which has none.
    const bankSource = codes('bank-source', 8);
    await source.recovery.addCodes(source.ids.bank, bankSource, 'pasted');
    const { preview, report } = await merge(target, await backupOf(source), { file: BACKUP_PASSWORD, sourceVault: SOURCE_PASSWORD });
    expect(preview.map((entry) => [entry.issuer, entry.status, entry.extras?.note ?? null])).toEqual([
      ['GitHub', 'duplicate', 'The saved account keeps its own backup codes; its provider connection goes to the saved account.'],
      ['Bank', 'duplicate', 'Its backup codes go to the saved account.'],
      ['Hardware', 'duplicate', 'Its backup codes go to the saved account.'],
    ]);
    expect(report).toMatchObject({ total: 3, imported: 0, skippedDuplicates: 3, leftOut: 0, refused: [], backupCodeSets: 2, connections: 1 });
    expect(report.extras?.map((entry) => [entry.issuer, entry.outcome])).toEqual([
      ['GitHub', 'Added to the saved account: a MoonKey connection; the saved account kept its own backup codes, these were not imported.'],
      ['Bank', 'Added to the saved account: 8 backup codes.'],
      ['Hardware', 'Added to the saved account: 6 backup codes.'],
    ]);
    const after = await readable(target, 'target pw');
    expect(Object.keys(after)).toEqual(['GitHub/alice (here)', 'Bank/bob', 'Hardware/carol', 'Only/here']);
    expect(after['GitHub/alice (here)']).toMatchObject({ sets: [{ codes: own, current: true }], connection: { provider: 'moonkey', userId: 'alice-1' } });
    expect(after['Bank/bob']).toMatchObject({ sets: [{ codes: bankSource, current: true }], connection: null });
    expect((after['Hardware/carol'] as { sets: unknown[] }).sets).toHaveLength(1);
    expect(bank.id).toBe(target.vault.content().accounts[1]?.id);
  });

  it('the same backup twice in one import: the second copy is a duplicate and says its codes are not imported; a saved account removed meanwhile is said too', async () => {
    const source = await sourceVault();
    const bytes = await backupOf(source);
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    const github = await target.accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'GitHub', label: 'here' });
    const files = [];
    for (const name of ['a', 'b']) {
      const result = await readExportFile(bytes, { password: BACKUP_PASSWORD, fileName: name });
      await openSealedExtras([result], [SOURCE_PASSWORD]);
      files.push(result);
    }
    const plan = new ImportPlan(files, savedSecretLookup(target.vault), Date.now(), savedExtrasLookup(target.vault));
    expect(plan.preview.map((entry) => [entry.fileName, entry.issuer, entry.status, entry.extras?.note ?? null])).toEqual([
      ['a', 'GitHub', 'duplicate', 'Both go to the saved account.'],
      ['a', 'Bank', 'new', null],
      ['a', 'Hardware', 'new', null],
      ['b', 'GitHub', 'duplicate', 'Both go to the saved account.'],
      ['b', 'Bank', 'duplicate', null],
      ['b', 'Hardware', 'duplicate', 'These are not imported: the same account earlier in these files is imported with its own.'],
    ]);
    await target.accounts.remove(github.id);
    const report = await plan.save(target.accounts);
    expect(report).toMatchObject({ total: 6, imported: 2, skippedDuplicates: 4, backupCodeSets: 1, connections: 0 });
    expect(report.extras?.map((entry) => [entry.index, entry.outcome])).toEqual([
      [0, 'Its backup codes and provider connection were not imported: the saved account was removed meanwhile. Import the file again to add them.'],
      [2, 'Saved with: 6 backup codes.'],
      [3, 'Its backup codes and provider connection were not imported: the saved account was removed meanwhile. Import the file again to add them.'],
      [5, 'Brought 6 backup codes. These are not imported: the same account earlier in these files is imported with its own.'],
    ]);
  });

  it('into a keychain-only vault stores them plain; a backup whose codes need the old vault password says so and saves nothing', async () => {
    const source = await sourceVault();
    const bytes = await backupOf(source);
    const target = services(makeVault(tempDir()));
    await target.vault.create({ useKeychain: true });
    const before = readFileSync(path.join(target.vault.dir, 'vault.lkv'));
    const result = await readExportFile(bytes, { password: BACKUP_PASSWORD });
    await expect(openSealedExtras([result], [BACKUP_PASSWORD])).rejects.toMatchObject({ code: 'BACKUP_CODES_SEALED' });
    expect(() => new ImportPlan([result], savedSecretLookup(target.vault), Date.now(), savedExtrasLookup(target.vault))).toThrow(/sealed with the password of the vault it was made from/);
    expect(readFileSync(path.join(target.vault.dir, 'vault.lkv'))).toEqual(before);
    const { report } = await merge(target, bytes, { file: BACKUP_PASSWORD, sourceVault: SOURCE_PASSWORD });
    expect(report).toMatchObject({ imported: 3, backupCodeSets: 3, connections: 1 });
    expect(target.vault.content().recovery.sets.every((set) => 'plain' in set.codes)).toBe(true);
    expect(await readable(target, null)).toEqual(await readable(source, SOURCE_PASSWORD));
  });

  it('a backup made with the vault password as backup password opens at once; an unsealed source needs no other password', async () => {
    const source = await sourceVault(null);
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    const { report } = await merge(target, await backupOf(source), { file: BACKUP_PASSWORD });
    expect(report).toMatchObject({ imported: 3, backupCodeSets: 3, connections: 1 });
    const sealedSource = await sourceVault();
    const sameAsVault = new TextEncoder().encode(await writeBackup(sealedSource.vault.content(), SOURCE_PASSWORD, COST));
    const other = services(makeVault(tempDir()));
    await other.vault.create({ useKeychain: true });
    expect((await merge(other, sameAsVault, { file: SOURCE_PASSWORD })).report).toMatchObject({ imported: 3, backupCodeSets: 3 });
  });

  it('a vault with a password but no seal yet asks for the password first, and saves nothing', async () => {
    const source = await sourceVault(null);
    // No recovery service: the vault is made with a password slot and no seal (as before backup codes existed).
    const bare = makeVault(tempDir());
    await bare.create({ password: 'target pw', useKeychain: false });
    const target = { ...services(bare) };
    const generation = () => readFileSync(path.join(bare.dir, 'vault.lkv')).length;
    const size = generation();
    await expect(merge(target, await backupOf(source), { file: BACKUP_PASSWORD })).rejects.toMatchObject({ code: 'RECOVERY_SEALED' });
    expect(generation()).toBe(size);
    expect(bare.content().accounts).toEqual([]);
  });

  it('a wrong password, a truncated or a tampered backup fail cleanly and save nothing', async () => {
    const source = await sourceVault();
    const text = new TextDecoder().decode(await backupOf(source));
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    const before = readFileSync(path.join(target.vault.dir, 'vault.lkv'));
    const file = JSON.parse(text) as { ciphertext: string };
    const flipped = `${file.ciphertext.slice(0, 40)}${file.ciphertext[40] === 'A' ? 'B' : 'A'}${file.ciphertext.slice(41)}`;
    const cases: [Uint8Array, string, string][] = [
      [new TextEncoder().encode(text), 'wrong', 'IMPORT_WRONG_PASSWORD'],
      [new TextEncoder().encode(text.slice(0, Math.floor(text.length / 2))), BACKUP_PASSWORD, 'UNKNOWN_IMPORT_FORMAT'],
      [new TextEncoder().encode(JSON.stringify({ ...file, ciphertext: file.ciphertext.slice(0, -8) })), BACKUP_PASSWORD, 'IMPORT_WRONG_PASSWORD'],
      [new TextEncoder().encode(JSON.stringify({ ...file, ciphertext: flipped })), BACKUP_PASSWORD, 'IMPORT_WRONG_PASSWORD'],
    ];
    for (const [bytes, password, code] of cases) {
      await expect(merge(target, bytes, { file: password, sourceVault: SOURCE_PASSWORD }), code).rejects.toMatchObject({ code });
      const restored = makeVault(tempDir());
      await expect(restoreBackup(restored, bytes, password, { password: 'x', useKeychain: false, sourceVaultPassword: SOURCE_PASSWORD })).rejects.toMatchObject({ code: code === 'UNKNOWN_IMPORT_FORMAT' ? 'INVALID_IMPORT_FILE' : code });
      expect((await restored.status()).state).toBe('missing');
    }
    expect(readFileSync(path.join(target.vault.dir, 'vault.lkv'))).toEqual(before);
    expect(target.vault.content().accounts).toEqual([]);
  });
});

/** Changes a backup's content could carry that the schema lets through: each must merge cleanly or fail cleanly. */
const hostileEdits: ((content: VaultContent, pick: number) => void)[] = [
  // A sealed set whose box is random bytes.
  (content, pick) => {
    const set = content.recovery.sets[pick % content.recovery.sets.length];
    if (set && 'sealed' in set.codes) set.codes = { sealed: Buffer.from(seededRandom(`garbage-${pick}`).bytes(80)).toString('base64') };
  },
  // Two sets' sealed boxes swapped (each names its own set inside).
  (content) => {
    const [a, b] = content.recovery.sets;
    if (a && b) [a.codes, b.codes] = [b.codes, a.codes];
  },
  // A connection sealed for another account.
  (content) => {
    const connection = content.providers?.connections[0];
    if (connection) connection.accountId = content.accounts[1]?.id ?? connection.accountId;
  },
  // A plain connection that is not a connection.
  (content, pick) => {
    if (content.providers?.connections[0]) content.providers.connections[0].data = { plain: pick % 2 === 0 ? '{"provider":"evil","token":1}' : 'not json' };
  },
  // The seal of another vault.
  (content, pick) => {
    const seal = content.recovery.seal;
    if (seal) content.recovery.seal = { ...seal, publicKey: Buffer.from(seededRandom(`key-${pick}`).bytes(32)).toString('base64') };
  },
  // Nothing changed.
  () => undefined,
];

describe('Latchkey backup: hostile content', () => {
  it('every hostile but well-formed content merges cleanly or fails with a clear error, saving nothing', async () => {
    const source = await sourceVault();
    const target = services(makeVault(tempDir()));
    await target.vault.create({ password: 'target pw', useKeychain: false });
    const file = path.join(target.vault.dir, 'vault.lkv');
    const seen = { merged: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(hostileEdits.length - 1), fc.nat(1000)), { minLength: 1, maxLength: 3 }), async (edits) => {
        const content = structuredClone(source.vault.content()) as VaultContent;
        for (const [which, pick] of edits) hostileEdits[which]?.(content, pick);
        const before = readFileSync(file);
        const accountsBefore = target.vault.content().accounts.length;
        try {
          const bytes = new TextEncoder().encode(await writeBackup(content, BACKUP_PASSWORD, COST));
          const { report } = await merge(target, bytes, { file: BACKUP_PASSWORD, sourceVault: SOURCE_PASSWORD });
          expect(report.imported + report.skippedDuplicates + report.leftOut + report.refused.length).toBe(report.total);
          expect(() => parseContent(JSON.parse(JSON.stringify(target.vault.content())))).not.toThrow();
          expect(target.vault.content().recovery.sets.every((set) => 'sealed' in set.codes)).toBe(true);
          seen.merged += 1;
        } catch (error) {
          seen.refused += 1;
          expect(error).toBeInstanceOf(LatchkeyError);
          expect(['INVALID_IMPORT_FILE', 'BACKUP_CODES_SEALED']).toContain((error as LatchkeyError).code);
          expect(readFileSync(file)).toEqual(before);
          expect(target.vault.content().accounts).toHaveLength(accountsBefore);
        }
      }),
      { seed: testSeed(), numRuns: 30 },
    );
    expect(seen.merged).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
