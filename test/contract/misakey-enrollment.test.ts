import * as OTPAuth from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { AccountsService } from '../../electron/main/accounts';
import { type DecodeQrImage, type EnrollmentStage, enrollmentAccountsFrom, MisakeyEnrollment } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { useTempDirs } from '../support/temp-dir';
import { makeVault } from '../support/vault';
import { misakeyFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';
import { MemoryConnectionStore, MemoryEnrollmentStore, MemoryLedger } from './support/memory-stores';
import { zxingDecodeQrImage } from './support/zxing-decode';

const track = useContractServers();
const tempDir = useTempDirs();

const decodeQrImage = zxingDecodeQrImage;

async function setup(label: string, options: { timeoutMs?: number; decode?: DecodeQrImage } = {}) {
  const random = seededRandom(`enroll-${label}`);
  const misakey = await misakeyFixture(random, track);
  const vault = makeVault(tempDir());
  await vault.create({ password: 'pw', useKeychain: false });
  const accounts = new AccountsService(vault);
  const store = new MemoryEnrollmentStore();
  const connections = new MemoryConnectionStore();
  const ledger = new MemoryLedger();
  const { client } = testClient(random, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  const enrollment = new MisakeyEnrollment({ client, store, accounts: enrollmentAccountsFrom(accounts), connections, ledger, decodeQrImage: options.decode ?? decodeQrImage });
  const input = {
    provider: 'misakey',
    baseUrl: misakey.server.url,
    identityId: misakey.identityId,
    credentials: { accessToken: misakey.accessToken, csrfToken: misakey.csrfToken },
  };
  return { misakey, accounts, store, connections, ledger, enrollment, input };
}

describe('Misakey enrollment from the desktop', () => {
  it('starts, reads the QR, adds the account, finishes with its code, connects and stores the codes', async () => {
    const t = await setup('full');
    const stages: EnrollmentStage[] = [];
    const result = await t.enrollment.enroll(t.input, { onStage: (stage) => stages.push(stage) });
    expect(stages).toEqual(['started', 'account-added', 'finished', 'stored']);
    expect(result).toEqual({ accountId: expect.any(String), codeCount: 10, resumed: false });
    // The account's codes are the ones Misakey's secret gives.
    const secret = t.misakey.identity.totpSecret as string;
    const at = Date.now();
    const [code] = t.accounts.codes([result.accountId], at);
    expect(code?.code).toBe(new OTPAuth.TOTP({ secret }).generate({ timestamp: at }));
    expect(t.accounts.get(result.accountId)).toMatchObject({ issuer: 'Misakey' });
    expect(await t.connections.get(result.accountId)).toMatchObject({ provider: 'misakey', identityId: t.misakey.identityId });
    expect(t.ledger.current(result.accountId)).toMatchObject({ codes: t.misakey.identity.codes, origin: { provider: 'misakey', action: 'enroll' } });
    expect(await t.enrollment.pending(t.misakey.identityId)).toBeNull();
    expect(t.store.stagesSaved).toEqual(['started', 'account-added', 'finished']);
  });

  it('resumes after the finish was cut before Misakey got it: same account, one enrollment', async () => {
    const t = await setup('resume-reset');
    // The GET that starts shares the finish's path: the fault is queued once the account is added.
    const startThenReset = t.enrollment.enroll(t.input, {
      onStage: (stage) => {
        if (stage === 'account-added') t.misakey.server.inject({ kind: 'reset' });
      },
    });
    await expectFailure(startThenReset, 'PROVIDER_OUTCOME_UNKNOWN', t.misakey.secrets);
    expect(await t.enrollment.pending(t.misakey.identityId)).toMatchObject({ stage: 'account-added', finishMayHaveArrived: true });
    const result = await t.enrollment.enroll(t.input);
    expect(result.resumed).toBe(true);
    expect(t.accounts.list()).toHaveLength(1);
    expect(t.ledger.current(result.accountId)?.codes).toEqual(t.misakey.identity.codes);
    expect(t.misakey.server.requests.filter((request) => request.method === 'GET')).toHaveLength(1);
  });

  it('resumes after Misakey finished but the answer was lost: new codes by regenerating', async () => {
    const t = await setup('resume-lost', { timeoutMs: 150 });
    const first = t.enrollment.enroll(t.input, {
      onStage: (stage) => {
        if (stage === 'account-added') t.misakey.server.inject({ kind: 'slow', delayMs: 400 });
      },
    });
    await expectFailure(first, 'PROVIDER_OUTCOME_UNKNOWN', t.misakey.secrets);
    // Misakey completes the enrollment after the client gave up.
    await vi.waitFor(() => expect(t.misakey.identity.totpSecret).not.toBeNull(), { timeout: 3_000 });
    const lostCodes = [...t.misakey.identity.codes];
    const result = await t.enrollment.enroll(t.input);
    expect(result.resumed).toBe(true);
    expect(t.ledger.current(result.accountId)?.codes).toEqual(t.misakey.identity.codes);
    expect(t.misakey.identity.codes).not.toEqual(lostCodes);
    expect(t.misakey.server.requests.map((request) => [request.method, request.path.split('/').at(-1), request.outcome])).toEqual([
      ['GET', 'enroll', 200],
      ['POST', 'enroll', 200],
      ['POST', 'enroll', 404],
      ['POST', 'recovery-codes', 200],
    ]);
  });

  it('resumes from what it remembered alone (the credentials it was started with)', async () => {
    const t = await setup('resume-alone');
    await expectFailure(t.enrollment.resume(t.misakey.identityId), 'PROVIDER_NO_ENROLLMENT', t.misakey.secrets);
    const first = t.enrollment.enroll(t.input, {
      onStage: (stage) => {
        if (stage === 'account-added') t.misakey.server.inject({ kind: 'reset' });
      },
    });
    await expectFailure(first, 'PROVIDER_OUTCOME_UNKNOWN', t.misakey.secrets);
    const result = await t.enrollment.resume(t.misakey.identityId.toUpperCase());
    expect(result).toMatchObject({ resumed: true, codeCount: 10 });
    expect(await t.connections.get(result.accountId)).toMatchObject({ credentials: t.input.credentials, baseUrl: t.misakey.server.url });
  });

  it('resumes after saving the codes failed, without calling Misakey again', async () => {
    const t = await setup('resume-save');
    t.ledger.failNextSaves = 1;
    await expectFailure(t.enrollment.enroll(t.input), 'IO_ERROR', t.misakey.secrets);
    expect(await t.enrollment.pending(t.misakey.identityId)).toMatchObject({ stage: 'finished' });
    const calls = t.misakey.server.requests.length;
    const result = await t.enrollment.enroll(t.input);
    expect(result).toMatchObject({ resumed: true, codeCount: 10 });
    expect(t.misakey.server.requests).toHaveLength(calls);
    expect(t.ledger.current(result.accountId)?.codes).toEqual(t.misakey.identity.codes);
  });

  it('stops with PROVIDER_QR_UNREADABLE when the image holds no TOTP link, and remembers nothing', async () => {
    for (const decode of [async () => [], async () => ['https://example.com'], async () => Promise.reject(new Error('bad image'))] as DecodeQrImage[]) {
      const t = await setup('unreadable', { decode });
      await expectFailure(t.enrollment.enroll(t.input), 'PROVIDER_QR_UNREADABLE', t.misakey.secrets);
      expect(await t.enrollment.pending(t.misakey.identityId)).toBeNull();
      expect(t.accounts.list()).toEqual([]);
    }
  });

  it('refuses a QR image that breaks the schema before decoding it', async () => {
    const decode = vi.fn<DecodeQrImage>(async () => []);
    const t = await setup('broken-start', { decode });
    t.misakey.server.inject({ kind: 'schema-break' });
    await expectFailure(t.enrollment.enroll(t.input), 'PROVIDER_BAD_RESPONSE', t.misakey.secrets);
    expect(decode).not.toHaveBeenCalled();
  });

  it('can be abandoned: the next run starts afresh', async () => {
    const t = await setup('abandon');
    t.ledger.failNextSaves = 1;
    await expectFailure(t.enrollment.enroll(t.input), 'IO_ERROR', []);
    await t.enrollment.abandon(t.misakey.identityId);
    expect(await t.enrollment.pending(t.misakey.identityId)).toBeNull();
  });
});
