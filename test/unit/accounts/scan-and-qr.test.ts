import { describe, expect, it } from 'vitest';
import { AccountQr, AccountsService, QR_REVEAL_MS, ScanSession } from '../../../electron/main/accounts';
import { decodeMigrationUri, encodeBase32, encodeMigrationUris, parseOtpauthUri } from '../../../electron/main/otp';
import { ProtoWriter } from '../../../electron/main/otp/protobuf';
import { readFixture } from '../otp/fixtures';
import { decodeQrPngDataUrl } from '../../support/qr';
import { seededRandom } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';
import { ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID } from '../../support/migration';

const tempDir = useTempDirs();
const TOTP = 'otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA512&digits=8';

async function setup() {
  const vault = makeVault(tempDir());
  await vault.create({ password: 'pw', useKeychain: false });
  const accounts = new AccountsService(vault);
  return { vault, accounts, scans: new ScanSession(accounts, vault), qr: new AccountQr(accounts, vault, { confirm: async () => true }, () => 1_000, () => TEST_BATCH_ID) };
}

describe('ScanSession', () => {
  it('previews a scanned otpauth link without its secret, then adds it on confirm', async () => {
    const { accounts, scans } = await setup();
    const state = scans.read(`  ${TOTP}\n`);
    expect(state).toEqual({
      kind: 'account',
      complete: true,
      missingParts: [],
      accounts: [{ type: 'totp', issuer: 'ACME', label: 'jane', algorithm: 'SHA512', digits: 8, period: 30, counter: 0, duplicateOf: null }],
    });
    expect(JSON.stringify(state)).not.toContain('JBSWY3DPEHPK3PXP');
    const { added } = await scans.confirm();
    expect(accounts.list()).toEqual(added);
    expect(() => scans.state()).toThrow(/Nothing has been scanned/);
  });

  it('gathers every account of a picture with several codes and adds them in one save', async () => {
    const { accounts, scans } = await setup();
    await accounts.addFromUri('otpauth://totp/Old:me?secret=GEZDGNBVGY3TQOJQ');
    scans.read(TOTP);
    scans.read(TOTP);
    scans.read('otpauth://hotp/Bank:me?secret=MFRGGZDFMZTWQ2LK&counter=2');
    const state = scans.read('otpauth://totp/Again:me?secret=GEZDGNBVGY3TQOJQ');
    expect(state.kind).toBe('accounts');
    expect(state.accounts.map((account) => [account.issuer, account.duplicateOf?.issuer ?? null])).toEqual([
      ['ACME', null],
      ['Bank', null],
      ['Again', 'Old'],
    ]);
    expect(await scans.confirm()).toMatchObject({ skipped: 1 });
    expect(accounts.list().map((account) => account.issuer)).toEqual(['Old', 'ACME', 'Bank']);
  });

  it('names the existing account for a second copy, and adds it only when allowed', async () => {
    const { accounts, scans } = await setup();
    const first = await accounts.addFromUri(TOTP);
    expect(scans.read(TOTP).accounts[0]?.duplicateOf).toEqual({ id: first.id, issuer: 'ACME', label: 'jane' });
    await expect(scans.confirm()).rejects.toMatchObject({ code: 'DUPLICATE_ACCOUNT' });
    await scans.confirm({ allowDuplicate: true });
    expect(accounts.list()).toHaveLength(2);
  });

  it('collects a multi-part Google export, says which parts are missing, imports once complete', async () => {
    const { accounts, scans } = await setup();
    const exported = Array.from({ length: 12 }, (_, index) => ({ type: 'totp' as const, secret: ['MFRGGZDFMZTWQ2LK', 'JBSWY3DPEHPK3PXP', 'GEZDGNBVGY3TQOJQ'][index % 3] as string, issuer: `Service ${index}`, label: 'me', algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 }));
    const [part1, part2] = encodeMigrationUris(exported, ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID);
    const afterSecond = scans.read(part2 as string);
    expect(afterSecond).toMatchObject({ kind: 'migration', complete: false, missingParts: [{ batchSize: 2, parts: [1] }] });
    expect(afterSecond.accounts).toHaveLength(2);
    await expect(scans.confirm()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const complete = scans.read(part1 as string);
    expect(complete).toMatchObject({ complete: true, missingParts: [] });
    expect(complete.accounts.map((account) => account.issuer)).toEqual(exported.map((account) => account.issuer));
    const result = await scans.confirm();
    expect(result).toMatchObject({ skipped: 9 });
    expect(accounts.list()).toHaveLength(3);
  });

  it.each([
    ['https://example.com/login', /web address/],
    ['hello there', /not an account link/],
    ['', /empty/],
    ['otpauth://totp/x?secret=', /secret/],
    [readFixture('google_migration/scito/test_export_wrong_data.txt').trim(), /./],
  ])('refuses %j with a clear sentence and adds nothing', async (text, message) => {
    const { accounts, scans } = await setup();
    let caught: unknown;
    try {
      scans.read(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: expect.stringMatching(/^INVALID_(OTPAUTH|MIGRATION)_URI$/), message: expect.stringMatching(message) });
    expect(accounts.list()).toEqual([]);
  });

  it.each([
    ['a secret over 1024 bytes', 1025],
    ['a secret whose base32 is over the 1024 characters an account may hold', 800],
  ])('refuses an export part with %s before keeping it, so later scans still work', async (_what, secretBytes) => {
    const { accounts, scans } = await setup();
    const badAccount = new ProtoWriter().bytes(1, new Uint8Array(secretBytes).fill(3)).string(2, 'Big:me').string(3, 'Big').varint(6, 2).finish();
    const badPart = `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(new ProtoWriter().bytes(1, badAccount).varint(2, 1).varint(3, 1).finish()).toString('base64'))}`;
    let caught: unknown;
    try {
      scans.read(badPart);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_MIGRATION_URI', message: expect.stringMatching(/Account 1/) });
    expect(() => scans.state()).toThrow(/Nothing has been scanned/);
    // The next scans read and add as if the bad code had never been seen.
    const [goodPart] = encodeMigrationUris([{ type: 'totp', secret: 'GEZDGNBVGY3TQOJQ', issuer: 'Good', label: 'me', algorithm: 'SHA1', digits: 6, period: 30, counter: 0 }]);
    expect(scans.read(goodPart as string)).toMatchObject({ kind: 'migration', complete: true });
    expect(scans.read(TOTP).accounts).toHaveLength(2);
    const result = await scans.confirm();
    expect(result.added.map((account) => account.issuer)).toEqual(['ACME', 'Good']);
    expect(accounts.list()).toHaveLength(2);
  });

  it('forgets what was scanned when the vault locks', async () => {
    const { vault, scans } = await setup();
    scans.read(TOTP);
    vault.lock();
    expect(() => scans.state()).toThrow(/Nothing has been scanned/);
  });
});

describe('AccountQr', () => {
  it('renders an account as a QR code that reads back as its otpauth link, for 60 seconds', async () => {
    const { accounts, qr } = await setup();
    const added = await accounts.addFromUri(TOTP);
    const { token } = await qr.requestReveal({ kind: 'account', id: added.id }, 'pw');
    const reveal = await qr.account(added.id, token);
    expect(reveal.expiresAt).toBe(1_000 + QR_REVEAL_MS);
    expect(reveal.images).toHaveLength(1);
    const text = await decodeQrPngDataUrl(reveal.images[0] as string);
    expect(parseOtpauthUri(text)).toEqual(parseOtpauthUri(TOTP));
  });

  it('renders Google export codes that read back as the same accounts', async () => {
    const { accounts, qr } = await setup();
    const ids: string[] = [];
    const random = seededRandom('google export round trip');
    for (let index = 0; index < 11; index += 1) {
      const secret = encodeBase32(random.bytes(20));
      ids.push((await accounts.add({ type: index % 2 ? 'hotp' : 'totp', secret, issuer: `Svc ${index}`, label: 'me', counter: index })).id);
    }
    const { token } = await qr.requestReveal({ kind: 'google', ids }, 'pw');
    const reveal = await qr.googleExport(ids, token);
    expect(reveal.images).toHaveLength(2);
    const texts = await Promise.all(reveal.images.map((image) => decodeQrPngDataUrl(image)));
    const decoded = texts.flatMap((text) => decodeMigrationUri(text).accounts);
    expect(decoded.map((account) => `${account.issuer}|${account.type}|${account.counter}|${account.secret}`)).toEqual(
      accounts.storedForExport(ids).map((account) => `${account.issuer}|${account.type}|${account.counter}|${account.secret}`),
    );
  });
});
