import { describe, expect, it } from 'vitest';
import { ProvidersService, type RetryWait, toConnection } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from './support/fixtures';
import { expectFailure, expectNoSecrets, testClient } from './support/harness';
import { MemoryConnectionStore, MemoryLedger } from './support/memory-stores';

const track = useContractServers();
const ACCOUNT = 'account-1';

function service(label: string, timeoutMs?: number) {
  const random = seededRandom(`service-${label}`);
  const { client, waits } = testClient(random, timeoutMs === undefined ? {} : { timeoutMs });
  const connections = new MemoryConnectionStore();
  const ledger = new MemoryLedger();
  return { random, waits, connections, ledger, providers: new ProvidersService({ client, connections, ledger, now: () => 1_700_000_000_000 }) };
}

describe('connections', () => {
  it('fills in the seed’s server, and never shows the credentials back', async () => {
    const s = service('connect');
    const summary = await s.providers.connect(ACCOUNT, { provider: 'moonkey', userId: 'user_1', credentials: { apiKey: 'sk_live_abcdefgh' } });
    expect(summary).toEqual({ provider: 'moonkey', baseUrl: 'https://api.moonkey.fun', subjectId: 'user_1' });
    expect(JSON.stringify(await s.providers.describe(ACCOUNT))).not.toContain('sk_live_abcdefgh');
    expect(await s.connections.get(ACCOUNT)).toMatchObject({ credentials: { apiKey: 'sk_live_abcdefgh' } });
  });

  it('offers Stytch’s test and live hosts, and a custom base URL', () => {
    const credentials = { projectId: 'project-live-1', secret: 'secret-live-1' };
    expect(toConnection({ provider: 'stytch', userId: 'u', credentials })).toMatchObject({ environment: 'test', baseUrl: 'https://test.stytch.com' });
    expect(toConnection({ provider: 'stytch', environment: 'live', userId: 'u', credentials })).toMatchObject({ environment: 'live', baseUrl: 'https://api.stytch.com' });
    expect(toConnection({ provider: 'stytch', baseUrl: 'http://127.0.0.1:9', userId: 'u', credentials })).toMatchObject({ environment: 'custom' });
  });

  it('fills in every provider’s default server', () => {
    expect(toConnection({ provider: 'misakey', identityId: 'A0000000-0000-4000-8000-000000000000', credentials: { accessToken: 't0k', csrfToken: 'c5rf' } })).toMatchObject({
      baseUrl: 'https://api.misakey.com',
      identityId: 'a0000000-0000-4000-8000-000000000000',
    });
    expect(toConnection({ provider: 'arklow', deviceId: '77', credentials: { apiKey: 'ak_1234' } })).toMatchObject({ baseUrl: 'https://api.arklow.io' });
  });

  it('refuses bad details by naming the fields, never their values', async () => {
    const s = service('bad-connection');
    const secret = 'sk_live_do_not_show';
    for (const input of [
      { provider: 'moonkey', baseUrl: 'http://api.moonkey.fun', userId: 'u', credentials: { apiKey: secret } },
      { provider: 'moonkey', userId: '', credentials: { apiKey: secret } },
      { provider: 'arklow', deviceId: 'abc', credentials: { apiKey: secret } },
      { provider: 'stytch', userId: 'u', credentials: { projectId: 'a:b', secret } },
      { provider: 'misakey', identityId: 'not-a-uuid', credentials: { accessToken: `${secret};x=1`, csrfToken: secret } },
      { provider: 'nobody', credentials: { apiKey: secret } },
    ]) {
      const error = await expectFailure(s.providers.connect(ACCOUNT, input), 'PROVIDER_INVALID_CONNECTION', [secret]);
      expect(error.message).toMatch(/Check: .+\./);
    }
    expect(s.connections.saved.size).toBe(0);
  });

  it('disconnects, after which calls say the account is not connected', async () => {
    const s = service('disconnect');
    await s.providers.connect(ACCOUNT, { provider: 'arklow', deviceId: '1', credentials: { apiKey: 'ak_1234' } });
    await s.providers.disconnect(ACCOUNT);
    expect(await s.providers.describe(ACCOUNT)).toBeNull();
    await expectFailure(s.providers.regenerateCodes(ACCOUNT), 'PROVIDER_NOT_CONNECTED', ['ak_1234']);
    await expectFailure(s.providers.disconnect(ACCOUNT), 'PROVIDER_NOT_CONNECTED', []);
  });
});

describe('codes into the ledger', () => {
  it('fetches MoonKey codes into the ledger as the current set', async () => {
    const s = service('fetch-moonkey');
    const f = await moonKeyFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'moonkey', baseUrl: f.server.url, userId: f.userId, credentials: { apiKey: f.apiKey } });
    expect(await s.providers.fetchCodes(ACCOUNT)).toEqual({ saved: true, count: 16 });
    expect(s.ledger.current(ACCOUNT)).toMatchObject({ codes: f.user.unused, origin: { provider: 'moonkey', action: 'fetch' } });
  });

  it('fetches Stytch codes, and tests the connection without touching the ledger', async () => {
    const s = service('fetch-stytch');
    const f = await stytchFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'stytch', baseUrl: f.server.url, userId: f.userId, credentials: { projectId: f.projectId, secret: f.secret } });
    expect(await s.providers.testConnection(ACCOUNT)).toEqual({ codeCount: 10 });
    expect(s.ledger.sets.size).toBe(0);
    await s.providers.fetchCodes(ACCOUNT);
    expect(s.ledger.current(ACCOUNT)?.codes).toEqual(f.user.codes);
  });

  it('regenerates at Arklow and at Misakey into the ledger', async () => {
    const s = service('regenerate');
    const a = await arklowFixture(s.random, track);
    await s.providers.connect('arklow-account', { provider: 'arklow', baseUrl: a.server.url, deviceId: a.deviceId, credentials: { apiKey: a.apiKey } });
    expect(await s.providers.regenerateCodes('arklow-account')).toEqual({ saved: true, count: 10 });
    expect(s.ledger.current('arklow-account')).toMatchObject({ codes: a.device.codes, origin: { action: 'regenerate', provider: 'arklow' } });
    const m = await misakeyFixture(s.random, track, { enrolled: true });
    await s.providers.connect('misakey-account', { provider: 'misakey', baseUrl: m.server.url, identityId: m.identityId, credentials: { accessToken: m.accessToken, csrfToken: m.csrfToken } });
    await s.providers.regenerateCodes('misakey-account');
    expect(s.ledger.current('misakey-account')?.codes).toEqual(m.identity.codes);
  });

  it('hands new codes back once when regenerating succeeded but saving failed', async () => {
    const s = service('regenerate-unsaved');
    const a = await arklowFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'arklow', baseUrl: a.server.url, deviceId: a.deviceId, credentials: { apiKey: a.apiKey } });
    s.ledger.failNextSaves = 1;
    const result = await s.providers.regenerateCodes(ACCOUNT);
    expect(result).toMatchObject({ saved: false, codes: a.device.codes, saveError: { code: 'IO_ERROR' } });
    expect(s.ledger.sets.size).toBe(0);
  });

  it('keeps the ledger’s codes when the provider returns none', async () => {
    const s = service('no-codes');
    const f = await stytchFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'stytch', baseUrl: f.server.url, userId: f.userId, credentials: { projectId: f.projectId, secret: f.secret } });
    await s.providers.fetchCodes(ACCOUNT);
    f.user.codes = [];
    await expectFailure(s.providers.fetchCodes(ACCOUNT), 'PROVIDER_NO_CODES', f.secrets);
    expect(s.ledger.sets.get(ACCOUNT)).toHaveLength(1);
    expect(s.ledger.current(ACCOUNT)?.codes).toHaveLength(10);
  });

  it('warns that the old codes may be gone when a regenerate’s answer is lost or unreadable', async () => {
    const s = service('regenerate-lost', 150);
    const a = await arklowFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'arklow', baseUrl: a.server.url, deviceId: a.deviceId, credentials: { apiKey: a.apiKey } });
    a.server.inject({ kind: 'schema-break' });
    const broken = await expectFailure(s.providers.regenerateCodes(ACCOUNT), 'PROVIDER_BAD_RESPONSE', a.secrets);
    expect(broken.message).toContain('did not match the documented shape');
    expect(broken.message).toContain('The old codes may have stopped working');
    a.server.inject({ kind: 'slow', delayMs: 2_000 });
    const lost = await expectFailure(s.providers.regenerateCodes(ACCOUNT), 'PROVIDER_TIMEOUT', a.secrets);
    expect(lost.message).toContain('No answer after 0.2 s. The old codes may have stopped working');
    // A refusal changed nothing at Arklow: no such warning.
    a.server.inject({ kind: 'documented-error', name: 'not-found' });
    const refused = await expectFailure(s.providers.regenerateCodes(ACCOUNT), 'PROVIDER_NOT_FOUND', a.secrets);
    expect(refused.message).not.toContain('old codes');
    a.server.inject({ kind: 'documented-error', name: 'envelope-error' });
    const refusedIn200 = await expectFailure(s.providers.regenerateCodes(ACCOUNT), 'PROVIDER_REJECTED', a.secrets);
    expect(refusedIn200.message).not.toContain('old codes');
    expect(s.ledger.sets.size).toBe(0);
  });

  it('says which actions a provider does not document', async () => {
    const s = service('unsupported');
    await s.providers.connect('m', { provider: 'moonkey', userId: 'u', credentials: { apiKey: 'sk_test_x1' } });
    await s.providers.connect('a', { provider: 'arklow', deviceId: '1', credentials: { apiKey: 'ak_12' } });
    await expectFailure(s.providers.regenerateCodes('m'), 'PROVIDER_UNSUPPORTED', ['sk_test_x1']);
    await expectFailure(s.providers.fetchCodes('a'), 'PROVIDER_UNSUPPORTED', ['ak_12']);
    await expectFailure(s.providers.testConnection('a'), 'PROVIDER_UNSUPPORTED', ['ak_12']);
    await expectFailure(s.providers.signInWithRecoveryCode('a'), 'PROVIDER_UNSUPPORTED', ['ak_12']);
    await expectFailure(s.providers.deleteProviderTotp('m'), 'PROVIDER_UNSUPPORTED', ['sk_test_x1']);
  });

  it('passes the retry waits to the caller, so the window and the CLI can show them', async () => {
    const s = service('waits');
    const f = await moonKeyFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'moonkey', baseUrl: f.server.url, userId: f.userId, credentials: { apiKey: f.apiKey } });
    f.server.inject({ kind: 'rate-limit', retryAfter: '4' });
    const seen: RetryWait[] = [];
    await s.providers.fetchCodes(ACCOUNT, { onRetryWait: (wait) => seen.push(wait) });
    expect(seen).toEqual([{ provider: 'moonkey', retry: 1, maxRetries: 3, waitMs: 4_000, reason: 'rate-limited' }]);
  });
});

describe('signing in with a recovery code (MoonKey)', () => {
  async function connected(label: string, timeoutMs?: number) {
    const s = service(label, timeoutMs);
    const f = await moonKeyFixture(s.random, track);
    await s.providers.connect(ACCOUNT, { provider: 'moonkey', baseUrl: f.server.url, userId: f.userId, credentials: { apiKey: f.apiKey } });
    await s.providers.fetchCodes(ACCOUNT);
    return { ...s, f };
  }

  it('uses the next unused code of the ledger and marks it spent once MoonKey accepts it', async () => {
    const t = await connected('next');
    const first = t.f.user.unused[0] as string;
    expect(await t.providers.signInWithRecoveryCode(ACCOUNT)).toEqual({ totpId: t.f.user.totpId, userId: t.f.userId, sessionCreated: false });
    expect(t.f.user.used).toEqual([first]);
    expect(t.ledger.current(ACCOUNT)?.used.get(first)).toBe('spent');
    await t.providers.signInWithRecoveryCode(ACCOUNT);
    expect(t.f.user.used).toEqual([first, t.f.user.used[1]]);
    expect(t.ledger.current(ACCOUNT)?.used.size).toBe(2);
  });

  it('uses the code it is given', async () => {
    const t = await connected('given');
    const chosen = t.f.user.unused[5] as string;
    await t.providers.signInWithRecoveryCode(ACCOUNT, chosen);
    expect(t.f.user.used).toEqual([chosen]);
    expect(t.ledger.current(ACCOUNT)?.used.get(chosen)).toBe('spent');
  });

  it('marks the code "maybe spent" when the answer is lost to a timeout, and says so', async () => {
    const t = await connected('timeout', 150);
    t.f.server.inject({ kind: 'slow', delayMs: 5_000 }, { path: '/v1/auth/totps/recovery' });
    const code = t.f.user.unused[0] as string;
    const error = await expectFailure(t.providers.signInWithRecoveryCode(ACCOUNT), 'PROVIDER_OUTCOME_UNKNOWN', t.f.secrets);
    expect(error.message).toContain('may have been spent');
    expect(t.ledger.current(ACCOUNT)?.used.get(code)).toBe('maybe-spent');
  });

  it('marks the code spent when MoonKey accepted it but its answer broke the schema', async () => {
    const t = await connected('broken-answer');
    t.f.server.inject({ kind: 'schema-break' }, { path: '/v1/auth/totps/recovery' });
    const code = t.f.user.unused[0] as string;
    const error = await expectFailure(t.providers.signInWithRecoveryCode(ACCOUNT), 'PROVIDER_BAD_RESPONSE', t.f.secrets);
    expect(error.message).toContain('MoonKey accepted the recovery code, so it is marked used.');
    expect(t.ledger.current(ACCOUNT)?.used.get(code)).toBe('spent');
  });

  it('leaves the code unused when MoonKey refuses it or was never reached', async () => {
    const t = await connected('refused');
    t.f.server.inject({ kind: 'documented-error', name: 'invalid-recovery-code' });
    await expectFailure(t.providers.signInWithRecoveryCode(ACCOUNT), 'PROVIDER_REJECTED', t.f.secrets);
    t.f.server.inject({ kind: 'rate-limit', retryAfter: '1' }, { times: 4 });
    await expectFailure(t.providers.signInWithRecoveryCode(ACCOUNT), 'PROVIDER_RATE_LIMITED', t.f.secrets);
    expect(t.ledger.current(ACCOUNT)?.used.size).toBe(0);
  });

  it('says so when no unused code is left', async () => {
    const t = await connected('none-left');
    const set = t.ledger.current(ACCOUNT);
    for (const code of set?.codes ?? []) set?.used.set(code, 'spent');
    await expectFailure(t.providers.signInWithRecoveryCode(ACCOUNT), 'PROVIDER_NO_UNUSED_CODE', t.f.secrets);
  });
});

describe('Misakey: deleting the TOTP secret through the service', () => {
  it('deletes it at Misakey and keeps the connection', async () => {
    const s = service('delete');
    const m = await misakeyFixture(s.random, track, { enrolled: true });
    await s.providers.connect(ACCOUNT, { provider: 'misakey', baseUrl: m.server.url, identityId: m.identityId, credentials: { accessToken: m.accessToken, csrfToken: m.csrfToken } });
    await s.providers.deleteProviderTotp(ACCOUNT);
    expect(m.identity.totpSecret).toBeNull();
    expect(await s.providers.describe(ACCOUNT)).not.toBeNull();
    m.identity.mfaMethodTotp = true;
    m.identity.totpSecret = 'JBSWY3DPEHPK3PXP';
    const error = await s.providers.deleteProviderTotp(ACCOUNT).catch((e: unknown) => e);
    expectNoSecrets(error, m.secrets);
  });
});
