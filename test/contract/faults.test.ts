import * as OTPAuth from 'otpauth';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  ArklowApi,
  type HttpClientOptions,
  MisakeyApi,
  MoonKeyApi,
  type ProviderError,
  ProviderHttpClient,
  type ProviderId,
  StytchApi,
} from '../../electron/main/providers';
import { seededRandom, type SeededRandom } from '../support/seeded-random';
import type { ContractServer, Fault } from './support/contract-server';
import { makeCodes } from './support/common';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';
import { zxingDecodeQrImage } from './support/zxing-decode';

const track = useContractServers();

// Nothing is logged at all on these failure paths, so nothing secret can be.
let consoleSpies: MockInstance[] = [];
beforeEach(() => {
  consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method));
});
afterEach(() => {
  for (const spy of consoleSpies) {
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  }
});

interface Case {
  provider: ProviderId;
  server: ContractServer;
  path: string;
  /** Only requests with this method take the faults (Misakey's enroll path has a GET and a POST). */
  method?: string;
  /** The call spends something (a recovery code, a one-time code): never resent once it may have arrived. */
  spends?: boolean;
  /** The endpoint documents no body (204): any body is a bad answer. */
  noBody?: boolean;
  /** The code a timeout ends with (MoonKey's sign-in says the outcome is unknown). */
  timeoutCode?: 'PROVIDER_TIMEOUT' | 'PROVIDER_OUTCOME_UNKNOWN';
  secrets: string[];
  /** The credentials the call sends (a subset of `secrets`). */
  credentials: string[];
  /** One idempotent call of the provider (each fault below is injected on its path). */
  call(client: ProviderHttpClient): Promise<unknown>;
  /** The same call with credentials the server does not know. */
  callWithWrongCredentials(client: ProviderHttpClient): Promise<unknown>;
}

const cases: Record<string, (random: SeededRandom) => Promise<Case>> = {
  'moonkey recovery_codes': async (random) => {
    const f = await moonKeyFixture(random, track);
    return {
      provider: 'moonkey',
      server: f.server,
      path: '/v1/auth/totps/recovery_codes',
      secrets: f.secrets,
      credentials: [f.apiKey],
      call: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: f.apiKey }).getRecoveryCodes(f.userId),
      callWithWrongCredentials: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: `${f.apiKey}x` }).getRecoveryCodes(f.userId),
    };
  },
  'moonkey recovery': async (random) => {
    const f = await moonKeyFixture(random, track);
    const codes = [...f.user.unused];
    return {
      provider: 'moonkey',
      server: f.server,
      path: '/v1/auth/totps/recovery',
      spends: true,
      timeoutCode: 'PROVIDER_OUTCOME_UNKNOWN',
      secrets: f.secrets,
      credentials: [f.apiKey, codes[0] as string],
      call: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: f.apiKey }).signInWithRecoveryCode(f.userId, codes[0] as string),
      callWithWrongCredentials: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: `${f.apiKey}x` }).signInWithRecoveryCode(f.userId, codes[0] as string),
    };
  },
  stytch: async (random) => {
    const f = await stytchFixture(random, track);
    return {
      provider: 'stytch',
      server: f.server,
      path: '/v1/totps/recovery_codes',
      secrets: f.secrets,
      credentials: [f.secret, f.secrets[1] as string],
      call: (client) => new StytchApi(client, { baseUrl: f.server.url, projectId: f.projectId, secret: f.secret }).getRecoveryCodes(f.userId),
      callWithWrongCredentials: (client) =>
        new StytchApi(client, { baseUrl: f.server.url, projectId: f.projectId, secret: `${f.secret}x` }).getRecoveryCodes(f.userId),
    };
  },
  'misakey enroll start': async (random) => {
    const f = await misakeyFixture(random, track);
    const api = (accessToken: string, client: ProviderHttpClient) => new MisakeyApi(client, { baseUrl: f.server.url, accessToken, csrfToken: f.csrfToken });
    return {
      provider: 'misakey',
      server: f.server,
      path: `/identities/${f.identityId}/totp/enroll`,
      method: 'GET',
      secrets: f.secrets,
      credentials: [f.accessToken, f.csrfToken],
      call: (client) => api(f.accessToken, client).startEnrollment(f.identityId),
      callWithWrongCredentials: (client) => api(`${f.accessToken}x`, client).startEnrollment(f.identityId),
    };
  },
  'misakey enroll finish': async (random) => {
    const f = await misakeyFixture(random, track);
    const api = (accessToken: string, client: ProviderHttpClient) => new MisakeyApi(client, { baseUrl: f.server.url, accessToken, csrfToken: f.csrfToken });
    // A started flow and its current code: the faults below hit only the POST that finishes it.
    const started = await api(f.accessToken, new ProviderHttpClient()).startEnrollment(f.identityId);
    const uri = (await zxingDecodeQrImage(new Uint8Array(Buffer.from(started.base64_image, 'base64'))))[0] as string;
    const code = (OTPAuth.URI.parse(uri) as OTPAuth.TOTP).generate();
    return {
      provider: 'misakey',
      server: f.server,
      path: `/identities/${f.identityId}/totp/enroll`,
      method: 'POST',
      spends: true,
      secrets: [...f.secrets, new URL(uri).searchParams.get('secret') as string],
      credentials: [f.accessToken, f.csrfToken],
      call: (client) => api(f.accessToken, client).finishEnrollment(f.identityId, started.id, code),
      callWithWrongCredentials: (client) => api(`${f.accessToken}x`, client).finishEnrollment(f.identityId, started.id, code),
    };
  },
  'misakey delete': async (random) => {
    const f = await misakeyFixture(random, track, { enrolled: true });
    const api = (accessToken: string, client: ProviderHttpClient) => new MisakeyApi(client, { baseUrl: f.server.url, accessToken, csrfToken: f.csrfToken });
    return {
      provider: 'misakey',
      server: f.server,
      path: `/identities/${f.identityId}/totp`,
      method: 'DELETE',
      noBody: true,
      secrets: f.secrets,
      credentials: [f.accessToken, f.csrfToken],
      call: (client) => api(f.accessToken, client).deleteTotpSecret(f.identityId),
      callWithWrongCredentials: (client) => api(`${f.accessToken}x`, client).deleteTotpSecret(f.identityId),
    };
  },
  'misakey recovery-codes': async (random) => {
    const f = await misakeyFixture(random, track, { enrolled: true });
    return {
      provider: 'misakey',
      server: f.server,
      path: `/identities/${f.identityId}/totp/recovery-codes`,
      secrets: f.secrets,
      credentials: [f.accessToken, f.csrfToken],
      call: (client) => new MisakeyApi(client, { baseUrl: f.server.url, accessToken: f.accessToken, csrfToken: f.csrfToken }).regenerateRecoveryCodes(f.identityId),
      callWithWrongCredentials: (client) =>
        new MisakeyApi(client, { baseUrl: f.server.url, accessToken: `${f.accessToken}x`, csrfToken: f.csrfToken }).regenerateRecoveryCodes(f.identityId),
    };
  },
  arklow: async (random) => {
    const f = await arklowFixture(random, track);
    // Codes already issued, so a schema-breaking answer that echoes them can be checked for leaks.
    f.device.codes = makeCodes(random.next, 10, [5, 5]);
    return {
      provider: 'arklow',
      server: f.server,
      path: '/v1/self/mfa/regenerate/totp',
      secrets: [...f.secrets, ...f.device.codes],
      credentials: [f.apiKey],
      call: (client) => new ArklowApi(client, { baseUrl: f.server.url, apiKey: f.apiKey }).regenerateBackupCodes(f.deviceId),
      callWithWrongCredentials: (client) => new ArklowApi(client, { baseUrl: f.server.url, apiKey: `${f.apiKey}x` }).regenerateBackupCodes(f.deviceId),
    };
  },
};

async function setup(endpoint: string, label: string, options: HttpClientOptions = {}) {
  const random = seededRandom(`faults-${endpoint}-${label}`);
  const testCase = await (cases[endpoint] as (random: SeededRandom) => Promise<Case>)(random);
  const inject = (fault: Fault, times = 1) => testCase.server.inject(fault, { times, path: testCase.path, method: testCase.method });
  /** What the server did with this endpoint's requests: a 2xx as 'ok' (a 204 or a 200), else the status or 'reset'. */
  const outcomes = () =>
    testCase.server.requests
      .filter((request) => request.path === testCase.path && (testCase.method === undefined || request.method === testCase.method))
      .map((request) => (typeof request.outcome === 'number' && request.outcome < 300 ? 'ok' : request.outcome));
  return { ...testCase, inject, outcomes, ...testClient(random, options) };
}

describe.each(Object.keys(cases))('%s: faults through the shared client', (endpoint) => {
  const provider = endpoint.split(' ')[0] as ProviderId;
  it('waits out a 429 with Retry-After, reports each wait, and then succeeds', async () => {
    const t = await setup(endpoint, '429');
    t.inject({ kind: 'rate-limit', retryAfter: '2' }, 2);
    await t.call(t.client);
    expect(t.waits.map((wait) => [wait.retry, wait.waitMs, wait.reason, wait.provider])).toEqual([
      [1, 2000, 'rate-limited', provider],
      [2, 2000, 'rate-limited', provider],
    ]);
    expect(t.sleeps).toEqual([2000, 2000]);
    expect(t.outcomes()).toEqual([429, 429, 'ok']);
  });

  it('gives up after 3 retries with PROVIDER_RATE_LIMITED and the wait asked for', async () => {
    const t = await setup(endpoint, '429-exhausted');
    t.inject({ kind: 'rate-limit', retryAfter: '1' }, 10);
    const error = (await expectFailure(t.call(t.client), 'PROVIDER_RATE_LIMITED', t.secrets)) as ProviderError;
    expect(t.waits).toHaveLength(3);
    expect(t.outcomes()).toHaveLength(4);
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.message).toContain('wait 1 s');
  });

  it('does not sit through a Retry-After of an hour: it says so at once', async () => {
    const t = await setup(endpoint, '429-long');
    t.inject({ kind: 'rate-limit', retryAfter: '3600' });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_RATE_LIMITED', t.secrets);
    expect(t.waits).toEqual([]);
    expect(error.message).toContain('3600 s');
  });

  it('retries a 503 (Retry-After, then jittered backoff without it) and then succeeds', async () => {
    const t = await setup(endpoint, '503');
    t.inject({ kind: 'unavailable', retryAfter: '1' });
    t.inject({ kind: 'unavailable' });
    await t.call(t.client);
    expect(t.waits.map((wait) => wait.reason)).toEqual(['unavailable', 'unavailable']);
    expect(t.waits[0]?.waitMs).toBe(1000);
    // Second retry without Retry-After: backoff of 1000 ms ceiling, jittered into [500, 1000].
    expect(t.waits[1]?.waitMs).toBeGreaterThanOrEqual(500);
    expect(t.waits[1]?.waitMs).toBeLessThanOrEqual(1000);
  });

  it('ends with PROVIDER_UNAVAILABLE when the 503s do not stop', async () => {
    const t = await setup(endpoint, '503-exhausted');
    t.inject({ kind: 'unavailable', retryAfter: '0' }, 10);
    await expectFailure(t.call(t.client), 'PROVIDER_UNAVAILABLE', t.secrets);
    expect(t.outcomes()).toHaveLength(4);
  });

  it('times out on a slow answer with PROVIDER_TIMEOUT and does not retry it', async () => {
    const t = await setup(endpoint, 'slow', { timeoutMs: 150 });
    t.inject({ kind: 'slow', delayMs: 5_000 });
    const error = (await expectFailure(t.call(t.client), t.timeoutCode ?? 'PROVIDER_TIMEOUT', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(true);
    expect(error.message).toContain('0.2 s');
    expect(t.outcomes()).toHaveLength(1);
  });

  it('refuses a body that breaks the schema, without quoting it', async () => {
    const t = await setup(endpoint, 'schema');
    t.inject({ kind: 'schema-break' });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_BAD_RESPONSE', t.secrets);
    expect(error.message).toMatch(t.noBody ? /had a body where none is documented/ : /did not match the documented shape \(.+\)/);
  });

  it('refuses invalid JSON, without quoting it', async () => {
    const t = await setup(endpoint, 'json');
    t.inject({ kind: 'invalid-json' });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_BAD_RESPONSE', [...t.secrets, 'unterminated']);
    expect(error.message).toContain(t.noBody ? 'had a body where none is documented' : 'not JSON');
  });

  it('retries a connection reset when the call is safe to repeat (then succeeds), never when it spends something', async () => {
    const t = await setup(endpoint, 'reset');
    t.inject({ kind: 'reset' });
    if (t.spends) {
      const error = (await expectFailure(t.call(t.client), t.timeoutCode === undefined ? 'PROVIDER_UNREACHABLE' : 'PROVIDER_OUTCOME_UNKNOWN', t.secrets)) as ProviderError;
      expect(error.requestMayHaveArrived).toBe(true);
      expect(t.waits).toEqual([]);
      expect(t.outcomes()).toEqual(['reset']);
      return;
    }
    await t.call(t.client);
    expect(t.waits.map((wait) => wait.reason)).toEqual(['network']);
    expect(t.outcomes()).toEqual(['reset', 'ok']);
  });

  it('ends with PROVIDER_UNREACHABLE when every attempt is reset', async () => {
    const t = await setup(endpoint, 'reset-exhausted');
    t.inject({ kind: 'reset' }, 10);
    const error = (await expectFailure(t.call(t.client), t.spends && t.timeoutCode !== undefined ? 'PROVIDER_OUTCOME_UNKNOWN' : 'PROVIDER_UNREACHABLE', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(true);
    expect(t.outcomes()).toHaveLength(t.spends ? 1 : 4);
  });

  it('reports wrong credentials as PROVIDER_UNAUTHORIZED without repeating them', async () => {
    const t = await setup(endpoint, 'unauthorized');
    const error = await expectFailure(t.callWithWrongCredentials(t.client), 'PROVIDER_UNAUTHORIZED', t.secrets);
    expect(t.outcomes()).toEqual([401]);
    expect(error.message).toMatch(/said: “.+”/);
  });

  it('turns a 500 into PROVIDER_SERVER_ERROR, not retried', async () => {
    const t = await setup(endpoint, '500');
    t.inject({ kind: 'status', status: 500, errorType: 'internal_server_error', message: 'Oops' });
    await expectFailure(t.call(t.client), 'PROVIDER_SERVER_ERROR', t.secrets);
    expect(t.outcomes()).toHaveLength(1);
  });

  it('cuts its own credentials out of an error message that echoes them', async () => {
    const t = await setup(endpoint, 'echo');
    const echoed = t.credentials.join(' and ');
    t.inject({ kind: 'status', status: 400, errorType: 'bad', message: `rejected ${echoed.toUpperCase()} for you` });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_REJECTED', t.secrets);
    expect(error.message).toContain('[hidden]');
  });
});
