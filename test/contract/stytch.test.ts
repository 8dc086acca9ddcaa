import { describe, expect, it } from 'vitest';
import { STYTCH_BASE_URLS, StytchApi } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { stytchSeed } from './servers/stytch-server';
import { stytchFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';

const track = useContractServers();

async function setup(label: string) {
  const random = seededRandom(`stytch-${label}`);
  const fixture = await stytchFixture(random, track);
  const { client, waits } = testClient(random);
  const api = new StytchApi(client, { baseUrl: fixture.server.url, projectId: fixture.projectId, secret: fixture.secret });
  return { ...fixture, api, waits, client };
}

describe('Stytch (seed 002)', () => {
  it('offers the test and the live host', () => {
    expect(STYTCH_BASE_URLS).toEqual({ test: 'https://test.stytch.com', live: 'https://api.stytch.com' });
  });

  it('gets the recovery codes with HTTP basic auth (project id and secret)', async () => {
    const t = await setup('codes');
    const answer = await t.api.getRecoveryCodes(t.userId);
    expect(answer.user_id).toBe(t.userId);
    expect(answer.request_id).toBe('request-id-stytch-1');
    expect(answer.totps).toEqual([{ totp_id: t.user.totpId, verified: true, recovery_codes: t.user.codes }]);
    const [request] = t.server.requests;
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${t.projectId}:${t.secret}`).toString('base64')}`);
    expect(request?.body).toEqual({ user_id: t.userId });
  });

  // Each documented error body of the seed, and the code and sentence it becomes.
  const documented = [
    [400, 'PROVIDER_REJECTED'],
    [404, 'PROVIDER_NOT_FOUND'],
    [429, 'PROVIDER_RATE_LIMITED'],
    [500, 'PROVIDER_SERVER_ERROR'],
  ] as const;
  it.each(documented)('turns the documented %i body into %s with its message and request id', async (status, code) => {
    const t = await setup(`documented-${status}`);
    const body = stytchSeed.errors.get(status);
    expect(body).toBeDefined();
    // 429 is retried 3 times first; every answer is the documented one.
    t.server.inject({ kind: 'documented-error', name: String(body?.error_type) }, { times: 4 });
    const error = await expectFailure(t.api.getRecoveryCodes(t.userId), code, t.secrets);
    expect(error.message).toContain(`“${String(body?.error_message)} (${String(body?.error_type)})”`);
    expect(error.message).toMatch(/\(request id request-id-stytch-\d+\)$/);
    expect(t.waits).toHaveLength(status === 429 ? 3 : 0);
  });

  it('answers the seed’s 404 for a user it does not know', async () => {
    const t = await setup('unknown');
    const error = await expectFailure(t.api.getRecoveryCodes('user-test-nobody'), 'PROVIDER_NOT_FOUND', t.secrets);
    expect(error.message).toContain('User could not be found. (user_not_found)');
  });

  it('refuses a project id with a colon before sending anything', async () => {
    const t = await setup('colon');
    expect(() => new StytchApi(t.client, { baseUrl: t.server.url, projectId: 'a:b', secret: t.secret })).toThrow(/no colon/);
  });
});
