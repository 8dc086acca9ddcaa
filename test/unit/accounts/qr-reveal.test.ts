import { describe, expect, it } from 'vitest';
import { AccountQr, AccountsService, type ConfirmPort, MAX_GOOGLE_EXPORT_ACCOUNTS, REVEAL_TOKEN_MS, type RevealQuestion } from '../../../electron/main/accounts';
import { createIpcHandlers, dispatch } from '../../../electron/main/ipc';
import { decodeMigrationUri, encodeBase32, parseOtpauthUri } from '../../../electron/main/otp';
import { ACCOUNTS_PER_MIGRATION_QR, MAX_MIGRATION_BATCH_SIZE } from '../../../electron/main/otp';
import type { VaultService } from '../../../electron/main/vault';
import { seededRandom } from '../../support/seeded-random';
import { decodeQrPngDataUrl } from '../../support/qr';
import { zbarReadPngDataUrls } from '../../support/zbar';
import { useTempDirs } from '../../support/temp-dir';
import { makeVault } from '../../support/vault';
import { TEST_BATCH_ID } from '../../support/migration';

const tempDir = useTempDirs();
const random = seededRandom('qr-reveal');
const TOTP = 'otpauth://totp/ACME:jane?secret=JBSWY3DPEHPK3PXP&issuer=ACME';

/** Main's own dialog, answered as the test says; it records every question it was asked. */
class RecordingConfirm implements ConfirmPort {
  answer = true;
  readonly questions: RevealQuestion[] = [];
  async confirm(question: RevealQuestion): Promise<boolean> {
    this.questions.push(question);
    return this.answer;
  }
}

async function setup({ password = 'pw' as string | null } = {}) {
  const vault = makeVault(tempDir());
  await vault.create({ password, useKeychain: password === null });
  const accounts = new AccountsService(vault);
  const clock = { time: 1_700_000_000_000 };
  const confirm = new RecordingConfirm();
  const qr = new AccountQr(accounts, vault, confirm, () => clock.time, () => TEST_BATCH_ID);
  return { vault, accounts, confirm, clock, qr };
}

async function addAccounts(accounts: AccountsService, count: number): Promise<string[]> {
  const added = await accounts.addMany(
    Array.from({ length: count }, (_, index) => ({ type: 'totp' as const, secret: encodeBase32(random.bytes(20)), issuer: `Service ${index}`, label: `someone${index}@example.com` })),
  );
  return added.added.map((account) => account.id);
}

async function errorFrom(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('QR reveal consent, held by main', () => {
  it('shows nothing without a token main issued: a caller cannot just ask for the secrets', async () => {
    const { accounts, qr, vault } = await setup();
    const [id] = await addAccounts(accounts, 1);
    expect(await errorFrom(qr.account(id as string, 'made-up'))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    // Through the IPC table too: the old input (an id alone) is refused by the schema.
    const handlers = createIpcHandlers({ vault, accounts, qr } as unknown as Parameters<typeof createIpcHandlers>[0]);
    expect(await dispatch(handlers, 'accounts:showQr', { id })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'accounts:exportGoogleQr', { ids: [id] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'accounts:showQr', { id, token: 'x'.repeat(43) })).toMatchObject({ ok: false, error: { code: 'CONFIRMATION_REQUIRED' } });
  });

  it('asks for the vault password first when there is one, and main’s own confirmation after it', async () => {
    const { accounts, qr, confirm } = await setup();
    const [id] = await addAccounts(accounts, 1);
    expect(await errorFrom(qr.requestReveal({ kind: 'account', id: id as string }))).toMatchObject({ code: 'PASSWORD_REQUIRED' });
    expect(await errorFrom(qr.requestReveal({ kind: 'account', id: id as string }, 'not it'))).toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(confirm.questions).toEqual([]);
    const { token } = await qr.requestReveal({ kind: 'account', id: id as string }, 'pw');
    expect(confirm.questions).toEqual([{ title: 'Show as QR code?', detail: expect.stringContaining('Service 0 – someone0@example.com'), confirmLabel: 'Show QR code' }]);
    const reveal = await qr.account(id as string, token);
    expect(parseOtpauthUri(await decodeQrPngDataUrl(reveal.images[0] as string)).issuer).toBe('Service 0');
  });

  it('needs no password for a keychain-only vault, but still main’s confirmation', async () => {
    const { accounts, qr, confirm } = await setup({ password: null });
    const added = await accounts.addFromUri(TOTP);
    confirm.answer = false;
    expect(await errorFrom(qr.requestReveal({ kind: 'account', id: added.id }))).toMatchObject({ code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('chose not') });
    confirm.answer = true;
    const { token } = await qr.requestReveal({ kind: 'account', id: added.id });
    expect(await decodeQrPngDataUrl((await qr.account(added.id, token)).images[0] as string)).toContain('secret=JBSWY3DPEHPK3PXP');
  });

  it('a token is good once, for a short time, and only for the accounts it was given for', async () => {
    const { accounts, qr, clock } = await setup();
    const [first, second] = await addAccounts(accounts, 2);
    const once = await qr.requestReveal({ kind: 'account', id: first as string }, 'pw');
    await qr.account(first as string, once.token);
    expect(await errorFrom(qr.account(first as string, once.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });

    const other = await qr.requestReveal({ kind: 'account', id: first as string }, 'pw');
    expect(await errorFrom(qr.account(second as string, other.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED', message: expect.stringContaining('other accounts') });
    // A refused try uses the token up as well: no guessing with one consent.
    expect(await errorFrom(qr.account(first as string, other.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });

    const google = await qr.requestReveal({ kind: 'google', ids: [first as string] }, 'pw');
    expect(await errorFrom(qr.googleExport([first as string, second as string], google.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    const kindSwap = await qr.requestReveal({ kind: 'google', ids: [first as string] }, 'pw');
    expect(await errorFrom(qr.account(first as string, kindSwap.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });

    const late = await qr.requestReveal({ kind: 'account', id: first as string }, 'pw');
    expect(late.expiresAt).toBe(clock.time + REVEAL_TOKEN_MS);
    clock.time += REVEAL_TOKEN_MS;
    expect(await errorFrom(qr.account(first as string, late.token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
  });

  it('forgets every consent when the vault locks', async () => {
    const { accounts, qr, vault } = await setup();
    const [id] = await addAccounts(accounts, 1);
    const { token } = await qr.requestReveal({ kind: 'account', id: id as string }, 'pw');
    vault.lock();
    await vault.unlockWithPassword('pw');
    expect(await errorFrom(qr.account(id as string, token))).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
  });

  it('refuses duplicate ids, too many ids and unknown ids before anyone is asked', async () => {
    const { accounts, qr, confirm, vault } = await setup();
    const ids = await addAccounts(accounts, 3);
    expect(await errorFrom(qr.requestReveal({ kind: 'google', ids: [ids[0], ids[1], ids[0]] as string[] }, 'pw'))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('more than once') });
    const tooMany = Array.from({ length: MAX_GOOGLE_EXPORT_ACCOUNTS + 1 }, (_, index) => `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`);
    expect(await errorFrom(qr.requestReveal({ kind: 'google', ids: tooMany }, 'pw'))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(`At most ${MAX_GOOGLE_EXPORT_ACCOUNTS}`) });
    expect(await errorFrom(qr.requestReveal({ kind: 'google', ids: [ids[0] as string, '00000000-0000-4000-8000-000000000000'] }, 'pw'))).toMatchObject({ code: 'ACCOUNT_NOT_FOUND' });
    expect(confirm.questions).toEqual([]);
    // The cap is the most a Google export can hold (100 codes of 10), and the IPC schema says the same.
    expect(MAX_GOOGLE_EXPORT_ACCOUNTS).toBe(ACCOUNTS_PER_MIGRATION_QR * MAX_MIGRATION_BATCH_SIZE);
    const handlers = createIpcHandlers({ accounts, qr, vault } as unknown as Parameters<typeof createIpcHandlers>[0]);
    expect(await dispatch(handlers, 'accounts:requestQrReveal', { kind: 'google', ids: tooMany, password: 'pw' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('renders a large export without blocking the main process: other work runs between the codes', async () => {
    const { accounts, qr, vault } = await setup();
    const ids = await addAccounts(accounts, 300);
    const { token } = await qr.requestReveal({ kind: 'google', ids }, 'pw');
    // The longest time the event loop went without running a timer while the codes were drawn:
    // about 40 ms a code here, 400 ms at worst on a loaded machine; drawn all at once (as before)
    // the same 30 codes held it for 7.5 s.
    let longestStall = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStall = Math.max(longestStall, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    const reveal = await qr.googleExport(ids, token);
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(reveal.images).toHaveLength(30);
    expect(longestStall, `rendering 30 codes took ${Math.round(took)} ms`).toBeLessThan(1000);
    const texts = zbarReadPngDataUrls(reveal.images);
    const decoded = texts.flatMap((text) => decodeMigrationUri(text).accounts.map((account) => `${account.issuer}|${account.secret}`));
    expect(decoded).toEqual(accounts.storedForExport(ids).map((account) => `${account.issuer}|${account.secret}`));
    expect(vault.isUnlocked).toBe(true);
  });
});

describe('the vault password check', () => {
  it('verifyPassword accepts the password, refuses others, changes nothing', async () => {
    const { vault } = await setup();
    const before = await vault.status();
    await expect(vault.verifyPassword('pw')).resolves.toBeUndefined();
    await expect(vault.verifyPassword('PW')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(await vault.status()).toEqual(before);
    vault.lock();
    await expect(vault.verifyPassword('pw')).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it('says NO_PASSWORD_SLOT for a keychain-only vault', async () => {
    const { vault } = await setup({ password: null });
    await expect((vault as VaultService).verifyPassword('anything')).rejects.toMatchObject({ code: 'NO_PASSWORD_SLOT' });
  });
});
