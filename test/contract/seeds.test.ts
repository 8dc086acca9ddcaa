import { describe, expect, it } from 'vitest';
import { moonKeyRecoveryCodesSchema, moonKeyRecoverySignInSchema, stytchRecoveryCodesSchema, stytchErrorSchema, arklowRegenerateSchema } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { arklowOperation } from './servers/arklow-server';
import { moonKeyOperations } from './servers/moonkey-server';
import { stytchSeed } from './servers/stytch-server';
import { arklowFixture, moonKeyFixture, stytchFixture, useContractServers } from './support/fixtures';
import { validateJson } from './support/json-schema';

const track = useContractServers();

async function post(url: string, headers: Record<string, string>, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('the seeds, as the contract servers read them', () => {
  it('finds each OpenAPI operation and its security scheme', () => {
    expect([moonKeyOperations.recoveryCodes, moonKeyOperations.recovery, arklowOperation].map((op) => `${op.method} ${op.path}`)).toEqual([
      'POST /v1/auth/totps/recovery_codes',
      'POST /v1/auth/totps/recovery',
      'POST /v1/self/mfa/regenerate/totp',
    ]);
    expect(moonKeyOperations.recovery.securityScheme).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(arklowOperation.securityScheme).toMatchObject({ type: 'apiKey', name: 'x-arklow-auth', in: 'header' });
    expect(arklowOperation.requestRequired).toBe(true);
  });

  it('seed 000’s response example fits its schema; seed 001’s breaks it in one place, which Latchkey tolerates', () => {
    const codes = moonKeyOperations.recoveryCodes;
    expect(codes.responseExamples.map((example) => validateJson(example, codes.responseSchema, codes.document))).toEqual([[]]);
    const recovery = moonKeyOperations.recovery;
    const [example] = recovery.responseExamples;
    // Session.device_fingerprint.ip has minLength 1, yet the example answers ip: ''.
    expect(validateJson(example, recovery.responseSchema, recovery.document)).toEqual([{ path: '$.session.device_fingerprint.ip', problem: 'shorter than 1' }]);
    expect(moonKeyRecoverySignInSchema.safeParse(example).success).toBe(true);
    expect(moonKeyRecoveryCodesSchema.safeParse(codes.responseExamples[0]).success).toBe(true);
  });

  it('seed 001’s request example says `totp`, which its schema does not accept: the schema wins', () => {
    const op = moonKeyOperations.recovery;
    const [example] = op.requestExamples as Record<string, unknown>[];
    expect(example).toHaveProperty('totp');
    expect(validateJson(example, op.requestSchema ?? {}, op.document)).toEqual([{ path: '$.recovery_code', problem: 'required' }]);
    expect(validateJson({ user_id: 'u', recovery_code: 'abcde-12345' }, op.requestSchema ?? {}, op.document)).toEqual([]);
  });

  it('seed 002’s bodies: one success and the four documented errors, read by Latchkey’s schemas', () => {
    expect(stytchSeed.success.status_code).toBe(200);
    expect(stytchRecoveryCodesSchema.safeParse(stytchSeed.success).success).toBe(true);
    for (const body of stytchSeed.errors.values()) expect(stytchErrorSchema.safeParse(body).success).toBe(true);
    expect([...stytchSeed.errors.keys()]).toEqual([400, 404, 429, 500]);
    expect([...stytchSeed.errors.values()].map((body) => body.error_type)).toEqual(['invalid_public_key_credential', 'user_not_found', 'too_many_requests', 'internal_server_error']);
  });
});

describe('the contract servers hold requests to the seeds and answer in their shapes', () => {
  it('MoonKey answers fit the seeds’ response schemas, and the example’s `totp` body is refused', async () => {
    const f = await moonKeyFixture(seededRandom('seeds-moonkey'), track);
    const auth = { authorization: `Bearer ${f.apiKey}` };
    const codes = await post(`${f.server.url}/v1/auth/totps/recovery_codes`, auth, { user_id: f.userId });
    expect(codes.status).toBe(200);
    expect(validateJson(codes.body, moonKeyOperations.recoveryCodes.responseSchema, moonKeyOperations.recoveryCodes.document)).toEqual([]);
    const asExample = await post(`${f.server.url}/v1/auth/totps/recovery`, auth, { user_id: f.userId, totp: f.user.unused[0], session_expires_in: 100 });
    expect(asExample.status).toBe(400);
    const spend = await post(`${f.server.url}/v1/auth/totps/recovery`, auth, { user_id: f.userId, recovery_code: f.user.unused[0], session_expires_in: 100 });
    expect(spend.status).toBe(200);
    expect(validateJson(spend.body, moonKeyOperations.recovery.responseSchema, moonKeyOperations.recovery.document)).toEqual([]);
    expect(spend.body).toHaveProperty('session.factors');
  });

  it('a schema-breaking answer really breaks the seed’s schema', async () => {
    const f = await moonKeyFixture(seededRandom('seeds-broken'), track);
    f.server.inject({ kind: 'schema-break' });
    const broken = await post(`${f.server.url}/v1/auth/totps/recovery_codes`, { authorization: `Bearer ${f.apiKey}` }, { user_id: f.userId });
    expect(broken.status).toBe(200);
    expect(validateJson(broken.body, moonKeyOperations.recoveryCodes.responseSchema, moonKeyOperations.recoveryCodes.document).length).toBeGreaterThan(0);
  });

  it('Arklow answers fit the seed’s envelope schema', async () => {
    const f = await arklowFixture(seededRandom('seeds-arklow'), track);
    const answer = await post(`${f.server.url}/v1/self/mfa/regenerate/totp`, { 'x-arklow-auth': f.apiKey }, { device_id: f.deviceId });
    expect(answer.status).toBe(200);
    expect(validateJson(answer.body, arklowOperation.responseSchema, arklowOperation.document)).toEqual([]);
    expect(arklowRegenerateSchema.safeParse(answer.body).success).toBe(true);
  });

  it('refuses a wrong method, an unknown path, a missing key and a missing body', async () => {
    const f = await stytchFixture(seededRandom('seeds-refusals'), track);
    const basic = { authorization: `Basic ${Buffer.from(`${f.projectId}:${f.secret}`).toString('base64')}` };
    expect((await fetch(`${f.server.url}/v1/totps/recovery_codes`, { headers: basic })).status).toBe(405);
    expect((await post(`${f.server.url}/v1/totps/nothing`, basic, {})).status).toBe(404);
    expect((await post(`${f.server.url}/v1/totps/recovery_codes`, {}, { user_id: f.userId })).status).toBe(401);
    expect((await post(`${f.server.url}/v1/totps/recovery_codes`, basic, {})).status).toBe(400);
    const ok = await post(`${f.server.url}/v1/totps/recovery_codes`, basic, { user_id: f.userId });
    expect(Object.keys(ok.body as object).sort()).toEqual(Object.keys(stytchSeed.success).sort());
  });

  it('takes faults through its control API too', async () => {
    const f = await stytchFixture(seededRandom('seeds-control'), track);
    const queued = await post(`${f.server.url}/__control/faults`, {}, { fault: { kind: 'rate-limit', retryAfter: '5' }, times: 1 });
    expect(queued).toEqual({ status: 200, body: { queued: 1 } });
    const basic = { authorization: `Basic ${Buffer.from(`${f.projectId}:${f.secret}`).toString('base64')}` };
    const response = await fetch(`${f.server.url}/v1/totps/recovery_codes`, { method: 'POST', headers: { ...basic, 'content-type': 'application/json' }, body: JSON.stringify({ user_id: f.userId }) });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ status_code: 429, error_type: 'too_many_requests' });
    const log = (await (await fetch(`${f.server.url}/__control/requests`)).json()) as unknown;
    expect(log).toEqual([{ method: 'POST', path: '/v1/totps/recovery_codes', outcome: 429 }]);
  });
});
