import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  ArklowApi,
  type HttpClientOptions,
  MisakeyApi,
  MoonKeyApi,
  type ProviderError,
  type ProviderHttpClient,
  type ProviderId,
  StytchApi,
} from '../../electron/main/providers';
import { seededRandom, type SeededRandom } from '../support/seeded-random';
import type { ContractServer } from './support/contract-server';
import { makeCodes } from './support/common';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';

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
  server: ContractServer;
  path: string;
  secrets: string[];
  /** The credentials the call sends (a subset of `secrets`). */
  credentials: string[];
  /** One idempotent call of the provider (each fault below is injected on its path). */
  call(client: ProviderHttpClient): Promise<unknown>;
  /** The same call with credentials the server does not know. */
  callWithWrongCredentials(client: ProviderHttpClient): Promise<unknown>;
}

const cases: Record<ProviderId, (random: SeededRandom) => Promise<Case>> = {
  moonkey: async (random) => {
    const f = await moonKeyFixture(random, track);
    return {
      server: f.server,
      path: '/v1/auth/totps/recovery_codes',
      secrets: f.secrets,
      credentials: [f.apiKey],
      call: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: f.apiKey }).getRecoveryCodes(f.userId),
      callWithWrongCredentials: (client) => new MoonKeyApi(client, { baseUrl: f.server.url, apiKey: `${f.apiKey}x` }).getRecoveryCodes(f.userId),
    };
  },
  stytch: async (random) => {
    const f = await stytchFixture(random, track);
    return {
      server: f.server,
      path: '/v1/totps/recovery_codes',
      secrets: f.secrets,
      credentials: [f.secret, f.secrets[1] as string],
      call: (client) => new StytchApi(client, { baseUrl: f.server.url, projectId: f.projectId, secret: f.secret }).getRecoveryCodes(f.userId),
      callWithWrongCredentials: (client) =>
        new StytchApi(client, { baseUrl: f.server.url, projectId: f.projectId, secret: `${f.secret}x` }).getRecoveryCodes(f.userId),
    };
  },
  misakey: async (random) => {
    const f = await misakeyFixture(random, track, { enrolled: true });
    return {
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
      server: f.server,
      path: '/v1/self/mfa/regenerate/totp',
      secrets: [...f.secrets, ...f.device.codes],
      credentials: [f.apiKey],
      call: (client) => new ArklowApi(client, { baseUrl: f.server.url, apiKey: f.apiKey }).regenerateBackupCodes(f.deviceId),
      callWithWrongCredentials: (client) => new ArklowApi(client, { baseUrl: f.server.url, apiKey: `${f.apiKey}x` }).regenerateBackupCodes(f.deviceId),
    };
  },
};

async function setup(provider: ProviderId, label: string, options: HttpClientOptions = {}) {
  const random = seededRandom(`faults-${provider}-${label}`);
  const testCase = await cases[provider](random);
  return { ...testCase, ...testClient(random, options) };
}

describe.each(Object.keys(cases) as ProviderId[])('%s: faults through the shared client', (provider) => {
  it('waits out a 429 with Retry-After, reports each wait, and then succeeds', async () => {
    const t = await setup(provider, '429');
    t.server.inject({ kind: 'rate-limit', retryAfter: '2' }, { times: 2, path: t.path });
    await t.call(t.client);
    expect(t.waits.map((wait) => [wait.retry, wait.waitMs, wait.reason, wait.provider])).toEqual([
      [1, 2000, 'rate-limited', provider],
      [2, 2000, 'rate-limited', provider],
    ]);
    expect(t.sleeps).toEqual([2000, 2000]);
    expect(t.server.requests.map((request) => request.outcome)).toEqual([429, 429, 200]);
  });

  it('gives up after 3 retries with PROVIDER_RATE_LIMITED and the wait asked for', async () => {
    const t = await setup(provider, '429-exhausted');
    t.server.inject({ kind: 'rate-limit', retryAfter: '1' }, { times: 10, path: t.path });
    const error = (await expectFailure(t.call(t.client), 'PROVIDER_RATE_LIMITED', t.secrets)) as ProviderError;
    expect(t.waits).toHaveLength(3);
    expect(t.server.requests).toHaveLength(4);
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.message).toContain('wait 1 s');
  });

  it('does not sit through a Retry-After of an hour: it says so at once', async () => {
    const t = await setup(provider, '429-long');
    t.server.inject({ kind: 'rate-limit', retryAfter: '3600' }, { path: t.path });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_RATE_LIMITED', t.secrets);
    expect(t.waits).toEqual([]);
    expect(error.message).toContain('3600 s');
  });

  it('retries a 503 (Retry-After, then jittered backoff without it) and then succeeds', async () => {
    const t = await setup(provider, '503');
    t.server.inject({ kind: 'unavailable', retryAfter: '1' }, { path: t.path });
    t.server.inject({ kind: 'unavailable' }, { path: t.path });
    await t.call(t.client);
    expect(t.waits.map((wait) => wait.reason)).toEqual(['unavailable', 'unavailable']);
    expect(t.waits[0]?.waitMs).toBe(1000);
    // Second retry without Retry-After: backoff of 1000 ms ceiling, jittered into [500, 1000].
    expect(t.waits[1]?.waitMs).toBeGreaterThanOrEqual(500);
    expect(t.waits[1]?.waitMs).toBeLessThanOrEqual(1000);
  });

  it('ends with PROVIDER_UNAVAILABLE when the 503s do not stop', async () => {
    const t = await setup(provider, '503-exhausted');
    t.server.inject({ kind: 'unavailable', retryAfter: '0' }, { times: 10, path: t.path });
    await expectFailure(t.call(t.client), 'PROVIDER_UNAVAILABLE', t.secrets);
    expect(t.server.requests).toHaveLength(4);
  });

  it('times out on a slow answer with PROVIDER_TIMEOUT and does not retry it', async () => {
    const t = await setup(provider, 'slow', { timeoutMs: 150 });
    t.server.inject({ kind: 'slow', delayMs: 5_000 }, { path: t.path });
    const error = (await expectFailure(t.call(t.client), 'PROVIDER_TIMEOUT', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(true);
    expect(error.message).toContain('0.2 s');
    expect(t.server.requests).toHaveLength(1);
  });

  it('refuses a body that breaks the schema, without quoting it', async () => {
    const t = await setup(provider, 'schema');
    t.server.inject({ kind: 'schema-break' }, { path: t.path });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_BAD_RESPONSE', t.secrets);
    expect(error.message).toMatch(/did not match the documented shape \(.+\)/);
  });

  it('refuses invalid JSON, without quoting it', async () => {
    const t = await setup(provider, 'json');
    t.server.inject({ kind: 'invalid-json' }, { path: t.path });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_BAD_RESPONSE', [...t.secrets, 'unterminated']);
    expect(error.message).toContain('not JSON');
  });

  it('retries a connection reset (the call is safe to repeat) with backoff, then succeeds', async () => {
    const t = await setup(provider, 'reset');
    t.server.inject({ kind: 'reset' }, { path: t.path });
    await t.call(t.client);
    expect(t.waits.map((wait) => wait.reason)).toEqual(['network']);
    expect(t.server.requests.map((request) => request.outcome)).toEqual(['reset', 200]);
  });

  it('ends with PROVIDER_UNREACHABLE when every attempt is reset', async () => {
    const t = await setup(provider, 'reset-exhausted');
    t.server.inject({ kind: 'reset' }, { times: 10, path: t.path });
    const error = (await expectFailure(t.call(t.client), 'PROVIDER_UNREACHABLE', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(true);
    expect(t.server.requests).toHaveLength(4);
  });

  it('reports wrong credentials as PROVIDER_UNAUTHORIZED without repeating them', async () => {
    const t = await setup(provider, 'unauthorized');
    const error = await expectFailure(t.callWithWrongCredentials(t.client), 'PROVIDER_UNAUTHORIZED', t.secrets);
    expect(t.server.requests.map((request) => request.outcome)).toEqual([401]);
    expect(error.message).toMatch(/said: “.+”/);
  });

  it('turns a 500 into PROVIDER_SERVER_ERROR, not retried', async () => {
    const t = await setup(provider, '500');
    t.server.inject({ kind: 'status', status: 500, errorType: 'internal_server_error', message: 'Oops' }, { path: t.path });
    await expectFailure(t.call(t.client), 'PROVIDER_SERVER_ERROR', t.secrets);
    expect(t.server.requests).toHaveLength(1);
  });

  it('cuts its own credentials out of an error message that echoes them', async () => {
    const t = await setup(provider, 'echo');
    const echoed = t.credentials.join(' and ');
    t.server.inject({ kind: 'status', status: 400, errorType: 'bad', message: `rejected ${echoed.toUpperCase()} for you` }, { path: t.path });
    const error = await expectFailure(t.call(t.client), 'PROVIDER_REJECTED', t.secrets);
    expect(error.message).toContain('[hidden]');
  });
});
