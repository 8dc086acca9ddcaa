import { describe, expect, it } from 'vitest';
import { MOONKEY_DEFAULT_BASE_URL, MoonKeyApi, type ProviderError } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { moonKeyOperations } from './servers/moonkey-server';
import { moonKeyFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';

const track = useContractServers();

async function setup(label: string, timeoutMs?: number) {
  const random = seededRandom(`moonkey-${label}`);
  const fixture = await moonKeyFixture(random, track);
  const { client, waits } = testClient(random, timeoutMs === undefined ? {} : { timeoutMs });
  const api = new MoonKeyApi(client, { baseUrl: fixture.server.url, apiKey: fixture.apiKey });
  return { ...fixture, api, waits, random };
}

describe('MoonKey (seeds 000 and 001)', () => {
  it('takes its default base URL from the seeds', () => {
    expect(moonKeyOperations.recoveryCodes.serverUrls).toEqual([MOONKEY_DEFAULT_BASE_URL]);
    expect(moonKeyOperations.recovery.serverUrls).toEqual([MOONKEY_DEFAULT_BASE_URL]);
  });

  it('gets the recovery codes of a user, with the bearer key and the documented body', async () => {
    const t = await setup('codes');
    const answer = await t.api.getRecoveryCodes(t.userId);
    expect(answer).toEqual({ user_id: t.userId, totps: [{ id: t.user.totpId, verified: true, recovery_codes: t.user.unused }] });
    const [request] = t.server.requests;
    expect(request?.headers.authorization).toBe(`Bearer ${t.apiKey}`);
    expect(request?.body).toEqual({ user_id: t.userId });
  });

  it('signs in with a recovery code sent as recovery_code (the schema), not totp (the example)', async () => {
    const t = await setup('recovery');
    const code = t.user.unused[3] as string;
    const answer = await t.api.signInWithRecoveryCode(t.userId, code);
    expect(answer).toEqual({ totp_id: t.user.totpId, user_id: t.userId });
    expect(t.server.requests[0]?.body).toEqual({ user_id: t.userId, recovery_code: code });
    expect(t.user.used).toEqual([code]);
  });

  it('asks for a session when told to, and reads the documented Session', async () => {
    const t = await setup('session');
    const answer = await t.api.signInWithRecoveryCode(t.userId, t.user.unused[0] as string, { sessionExpiresIn: 60 });
    expect(answer.session?.user_id).toBe(t.userId);
    expect(answer.session?.expires_at).toBe((answer.session?.started_at ?? 0) + 3600);
    expect(answer.session_token).toBe(answer.session?.session_token);
    expect(t.server.requests[0]?.body).toMatchObject({ session_expires_in: 60 });
  });

  it('refuses a session length outside 5 to 525600 minutes before calling', async () => {
    const t = await setup('session-range');
    await expectFailure(t.api.signInWithRecoveryCode(t.userId, t.user.unused[0] as string, { sessionExpiresIn: 4 }), 'INVALID_INPUT', t.secrets);
    await expectFailure(t.api.signInWithRecoveryCode(t.userId, t.user.unused[0] as string, { sessionExpiresIn: 525_601 }), 'INVALID_INPUT', t.secrets);
    expect(t.server.requests).toEqual([]);
  });

  it('reports a spent code as PROVIDER_REJECTED with the request id and without the code', async () => {
    const t = await setup('spent');
    const code = t.user.unused[0] as string;
    await t.api.signInWithRecoveryCode(t.userId, code);
    const error = await expectFailure(t.api.signInWithRecoveryCode(t.userId, code), 'PROVIDER_REJECTED', [...t.secrets, code]);
    expect(error.message).toContain('not valid or has been used');
    expect(error.message).toContain('(request id request-id-moonkey-2)');
  });

  it('reports an unknown user as PROVIDER_NOT_FOUND on both endpoints', async () => {
    const t = await setup('unknown');
    await expectFailure(t.api.getRecoveryCodes('user_nobody'), 'PROVIDER_NOT_FOUND', t.secrets);
    await expectFailure(t.api.signInWithRecoveryCode('user_nobody', t.user.unused[0] as string), 'PROVIDER_NOT_FOUND', t.secrets);
  });

  it('answers each of its errors when told to', async () => {
    const t = await setup('documented');
    const expected = { unauthorized: 'PROVIDER_UNAUTHORIZED', 'user-not-found': 'PROVIDER_NOT_FOUND', 'invalid-recovery-code': 'PROVIDER_REJECTED' } as const;
    for (const [name, code] of Object.entries(expected)) {
      t.server.inject({ kind: 'documented-error', name });
      await expectFailure(t.api.getRecoveryCodes(t.userId), code, t.secrets);
    }
  });

  it('never resends a spend after a reset: PROVIDER_OUTCOME_UNKNOWN, one request', async () => {
    const t = await setup('spend-reset');
    t.server.inject({ kind: 'reset' }, { path: '/v1/auth/totps/recovery' });
    const code = t.user.unused[0] as string;
    const error = (await expectFailure(t.api.signInWithRecoveryCode(t.userId, code), 'PROVIDER_OUTCOME_UNKNOWN', t.secrets)) as ProviderError;
    expect(error.message).toContain('may have been spent');
    expect(error.requestMayHaveArrived).toBe(true);
    expect(t.server.requests).toHaveLength(1);
    expect(t.waits).toEqual([]);
  });

  it('never resends a spend after a timeout: PROVIDER_OUTCOME_UNKNOWN', async () => {
    const t = await setup('spend-timeout', 150);
    t.server.inject({ kind: 'slow', delayMs: 5_000 }, { path: '/v1/auth/totps/recovery' });
    await expectFailure(t.api.signInWithRecoveryCode(t.userId, t.user.unused[0] as string), 'PROVIDER_OUTCOME_UNKNOWN', t.secrets);
    expect(t.server.requests).toHaveLength(1);
  });

  it('does resend a spend after a 429: MoonKey did not act on it', async () => {
    const t = await setup('spend-429');
    t.server.inject({ kind: 'rate-limit', retryAfter: '1' }, { path: '/v1/auth/totps/recovery' });
    const code = t.user.unused[0] as string;
    await t.api.signInWithRecoveryCode(t.userId, code);
    expect(t.waits.map((wait) => wait.reason)).toEqual(['rate-limited']);
    expect(t.user.used).toEqual([code]);
  });

  it('resends a spend that never left: the connection was refused', async () => {
    const t = await setup('spend-refused');
    const closedUrl = t.server.url;
    await t.server.stop();
    const { client, waits } = testClient(t.random);
    const api = new MoonKeyApi(client, { baseUrl: closedUrl, apiKey: t.apiKey });
    const error = (await expectFailure(api.signInWithRecoveryCode(t.userId, t.user.unused[0] as string), 'PROVIDER_UNREACHABLE', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(false);
    expect(waits.map((wait) => wait.reason)).toEqual(['network', 'network', 'network']);
  });
});
