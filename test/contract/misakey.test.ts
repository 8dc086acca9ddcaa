import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { MISAKEY_DEFAULT_BASE_URL, MisakeyApi, type ProviderError } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { decodeQrPngDataUrl } from '../support/qr';
import { misakeySeedRoutes } from './servers/misakey-server';
import { misakeyFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';

const track = useContractServers();

async function setup(label: string, options: { enrolled?: boolean } = {}) {
  const random = seededRandom(`misakey-${label}`);
  const fixture = await misakeyFixture(random, track, options);
  const { client, waits } = testClient(random);
  const api = new MisakeyApi(client, { baseUrl: fixture.server.url, accessToken: fixture.accessToken, csrfToken: fixture.csrfToken });
  return { ...fixture, api, client, waits };
}

/** The current code of the link in a base64 PNG, read and computed independently of Latchkey. */
async function currentCodeOf(base64Image: string): Promise<{ uri: string; code: string }> {
  const uri = await decodeQrPngDataUrl(`data:image/png;base64,${base64Image}`);
  const totp = OTPAuth.URI.parse(uri);
  if (!(totp instanceof OTPAuth.TOTP)) throw new Error('not a TOTP link');
  return { uri, code: totp.generate() };
}

describe('Misakey (seed 003)', () => {
  it('takes its routes and default host from the seed', () => {
    expect(misakeySeedRoutes.map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /identities/:id/totp/enroll',
      'POST /identities/:id/totp/enroll',
      'POST /identities/:id/totp/recovery-codes',
      'DELETE /identities/:id/totp',
    ]);
    expect(new Set(misakeySeedRoutes.map((route) => route.serverUrl))).toEqual(new Set([MISAKEY_DEFAULT_BASE_URL]));
  });

  it('starts an enrollment (cookie with tokentype, CSRF header) and gets a QR image of a TOTP link', async () => {
    const t = await setup('start');
    const started = await t.api.startEnrollment(t.identityId);
    expect(started.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await currentCodeOf(started.base64_image)).uri).toMatch(/^otpauth:\/\/totp\/Misakey:/);
    const [request] = t.server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.headers.cookie).toBe(`accesstoken=${t.accessToken}; tokentype=bearer`);
    expect(request?.headers['x-csrf-token']).toBe(t.csrfToken);
  });

  it('finishes the enrollment with a current code and gets the recovery codes', async () => {
    const t = await setup('finish');
    const started = await t.api.startEnrollment(t.identityId);
    const { code } = await currentCodeOf(started.base64_image);
    const finished = await t.api.finishEnrollment(t.identityId, started.id, code);
    expect(finished.recovery_codes).toEqual(t.identity.codes);
    expect(finished.recovery_codes).toHaveLength(10);
    expect(t.server.requests[1]?.body).toEqual({ id: started.id, code });
  });

  it('reports a wrong code as PROVIDER_REJECTED, without the code, and does not resend it', async () => {
    const t = await setup('wrong-code');
    const started = await t.api.startEnrollment(t.identityId);
    const { code } = await currentCodeOf(started.base64_image);
    const wrong = String((Number(code) + 500_000) % 1_000_000).padStart(6, '0');
    await expectFailure(t.api.finishEnrollment(t.identityId, started.id, wrong), 'PROVIDER_REJECTED', [...t.secrets, wrong]);
    expect(t.server.requests).toHaveLength(2);
  });

  it('never resends a finish after a reset (the one-time code may have been used)', async () => {
    const t = await setup('finish-reset');
    const started = await t.api.startEnrollment(t.identityId);
    t.server.inject({ kind: 'reset' }, { path: `/identities/${t.identityId}/totp/enroll` });
    const error = (await expectFailure(t.api.finishEnrollment(t.identityId, started.id, (await currentCodeOf(started.base64_image)).code), 'PROVIDER_UNREACHABLE', t.secrets)) as ProviderError;
    expect(error.requestMayHaveArrived).toBe(true);
    expect(t.server.requests).toHaveLength(2);
    expect(t.waits).toEqual([]);
  });

  it('answers an unknown enrollment id with PROVIDER_NOT_FOUND', async () => {
    const t = await setup('unknown-flow');
    await expectFailure(t.api.finishEnrollment(t.identityId, '00000000-0000-4000-8000-000000000000', '123456'), 'PROVIDER_NOT_FOUND', t.secrets);
  });

  it('regenerates the recovery codes: a new set replaces the old', async () => {
    const t = await setup('regenerate', { enrolled: true });
    const before = [...t.identity.codes];
    const answer = await t.api.regenerateRecoveryCodes(t.identityId);
    expect(answer.recovery_codes).toEqual(t.identity.codes);
    expect(answer.recovery_codes).not.toEqual(before);
    expect(t.server.requests[0]?.body).toBeUndefined();
  });

  it('refuses to regenerate without an enrolled secret (409 becomes PROVIDER_REJECTED)', async () => {
    const t = await setup('regenerate-none');
    const error = await expectFailure(t.api.regenerateRecoveryCodes(t.identityId), 'PROVIDER_REJECTED', t.secrets);
    expect(error.message).toContain('Misakey said: “no totp secret is enrolled”');
  });

  it('deletes the TOTP secret (204 No Content)', async () => {
    const t = await setup('delete', { enrolled: true });
    await expect(t.api.deleteTotpSecret(t.identityId)).resolves.toBeUndefined();
    expect(t.identity.totpSecret).toBeNull();
    expect(t.server.requests.map((request) => [request.method, request.outcome])).toEqual([['DELETE', 204]]);
  });

  it('cannot delete while the identity’s mfa_method is totp', async () => {
    const t = await setup('delete-mfa', { enrolled: true });
    t.identity.mfaMethodTotp = true;
    await expectFailure(t.api.deleteTotpSecret(t.identityId), 'PROVIDER_REJECTED', t.secrets);
    expect(t.identity.totpSecret).not.toBeNull();
  });

  it('answers each of its errors when told to', async () => {
    const t = await setup('documented', { enrolled: true });
    const expected = { unauthorized: 'PROVIDER_UNAUTHORIZED', forbidden: 'PROVIDER_UNAUTHORIZED', 'not-found': 'PROVIDER_NOT_FOUND', conflict: 'PROVIDER_REJECTED' } as const;
    for (const [name, code] of Object.entries(expected)) {
      t.server.inject({ kind: 'documented-error', name });
      await expectFailure(t.api.regenerateRecoveryCodes(t.identityId), code, t.secrets);
    }
  });

  it('a token whose identity is another one is refused', async () => {
    const t = await setup('other-identity');
    const other = '11111111-1111-4111-8111-111111111111';
    t.identities.set(other, { accessToken: 'mat_other_identity_token', mfaMethodTotp: false, totpSecret: null, codes: [] });
    const error = await expectFailure(t.api.startEnrollment(other), 'PROVIDER_UNAUTHORIZED', t.secrets);
    expect(error.message).toContain('mid claim');
  });

  it('the server holds the seed’s cookie and CSRF rules', async () => {
    const t = await setup('server-auth', { enrolled: true });
    const base = `${t.server.url}/identities/${t.identityId}/totp`;
    const noCsrf = await fetch(`${base}/enroll`, { headers: { cookie: `accesstoken=${t.accessToken}` } });
    expect(noCsrf.status).toBe(403);
    const noTokenTypeOnDelete = await fetch(base, { method: 'DELETE', headers: { cookie: `accesstoken=${t.accessToken}`, 'x-csrf-token': t.csrfToken } });
    expect(noTokenTypeOnDelete.status).toBe(401);
    const optionalTokenTypeOnEnroll = await fetch(`${base}/enroll`, { headers: { cookie: `accesstoken=${t.accessToken}`, 'x-csrf-token': t.csrfToken } });
    expect(optionalTokenTypeOnEnroll.status).toBe(200);
  });

  it('refuses an identity id that is not a uuid before sending anything', async () => {
    const t = await setup('bad-id');
    await expect(async () => t.api.regenerateRecoveryCodes('../../admin')).rejects.toMatchObject({ code: 'PROVIDER_INVALID_CONNECTION' });
    expect(t.server.requests).toEqual([]);
  });
});
