import { describe, expect, it } from 'vitest';
import { ARKLOW_DEFAULT_BASE_URL, ArklowApi } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { arklowOperation } from './servers/arklow-server';
import { arklowFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';
import { validateJson } from './support/json-schema';

const track = useContractServers();

async function setup(label: string) {
  const random = seededRandom(`arklow-${label}`);
  const fixture = await arklowFixture(random, track);
  const { client } = testClient(random);
  const api = new ArklowApi(client, { baseUrl: fixture.server.url, apiKey: fixture.apiKey });
  return { ...fixture, api, client };
}

describe('Arklow (seed 004)', () => {
  it('takes its default base URL from the seed’s production server', () => {
    expect(arklowOperation.serverUrls[0]).toBe(ARKLOW_DEFAULT_BASE_URL);
  });

  it('regenerates the backup codes with the x-arklow-auth key and a numeric-string device_id', async () => {
    const t = await setup('regenerate');
    const first = await t.api.regenerateBackupCodes(t.deviceId);
    expect(first.backup_codes).toEqual(t.device.codes);
    expect(first.device).toMatchObject({ id: t.deviceId, device_type: 'totp', user_id: t.device.userId });
    const second = await t.api.regenerateBackupCodes(t.deviceId);
    expect(second.backup_codes).not.toEqual(first.backup_codes);
    const [request] = t.server.requests;
    expect(request?.headers['x-arklow-auth']).toBe(t.apiKey);
    expect(request?.body).toEqual({ device_id: t.deviceId });
    expect(typeof (request?.body as { device_id: unknown }).device_id).toBe('string');
  });

  it('refuses a device id that is not digits before sending anything', async () => {
    const t = await setup('device-id');
    for (const bad of ['12a', '', ' 12', '-1', '1e5']) {
      await expectFailure(t.api.regenerateBackupCodes(bad), 'PROVIDER_INVALID_CONNECTION', t.secrets);
    }
    expect(t.server.requests).toEqual([]);
  });

  it('the server holds requests to the seed’s pattern too (a non-numeric device_id is a 400)', async () => {
    const t = await setup('server-pattern');
    const response = await fetch(`${t.server.url}/v1/self/mfa/regenerate/totp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-arklow-auth': t.apiKey },
      body: JSON.stringify({ device_id: 12 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as unknown;
    expect(validateJson(body, arklowOperation.responseSchema, arklowOperation.document)).toEqual([]);
  });

  it('reads a 200 envelope with errors and no data as a failure, using errors[].message', async () => {
    const t = await setup('envelope');
    t.server.inject({ kind: 'documented-error', name: 'envelope-error' });
    const error = await expectFailure(t.api.regenerateBackupCodes(t.deviceId), 'PROVIDER_REJECTED', t.secrets);
    expect(error.message).toContain('Arklow said: “MFA is not enabled for this device. (mfa_not_enabled)”');
  });

  it('reads errors[].message of a failed status too', async () => {
    const t = await setup('not-found');
    const error = await expectFailure(t.api.regenerateBackupCodes('999999999999'), 'PROVIDER_NOT_FOUND', t.secrets);
    expect(error.message).toContain('No MFA device with that id. (not_found)');
    t.server.inject({ kind: 'documented-error', name: 'unauthorized' });
    await expectFailure(t.api.regenerateBackupCodes(t.deviceId), 'PROVIDER_UNAUTHORIZED', t.secrets);
  });
});
