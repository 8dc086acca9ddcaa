import { afterEach, describe, expect, it } from 'vitest';
import { createMainServices, dispatch, type MainServices } from '../../electron/main/ipc';
import type { IpcEvent, IpcResult } from '../../shared/ipc';
import { seededRandom } from '../support/seeded-random';
import { MemoryClipboard } from '../support/memory-clipboard';
import { useTempDirs } from '../support/temp-dir';
import { TEST_PASSWORD_COST, testKeychain } from '../support/vault';
import { arklowFixture, misakeyFixture, moonKeyFixture, useContractServers } from './support/fixtures';

const track = useContractServers();
const tempDir = useTempDirs();
const PASSWORD = 'ipc provider password';
const opened: MainServices[] = [];
afterEach(() => {
  for (const services of opened.splice(0)) services.vault.lock();
});

/** The IPC handler table over a real vault, as the window and the e2e bridge use it. */
async function setup() {
  const dataDir = tempDir();
  const services = await createMainServices({
    vaultDir: `${dataDir}/vault`,
    settingsDir: dataDir,
    keychain: testKeychain(),
    clipboard: new MemoryClipboard(),
    passwordCost: TEST_PASSWORD_COST,
    providerHttp: { timeoutMs: 1_500 },
  });
  opened.push(services);
  const events: IpcEvent[] = [];
  services.onEvent((event) => events.push(event));
  const call = (channel: string, input?: unknown): Promise<IpcResult> => dispatch(services.handlers, channel, input);
  expect((await call('vault:create', { password: PASSWORD, useKeychain: false })).ok).toBe(true);
  return { services, events, call };
}

async function ok<T>(result: Promise<IpcResult>): Promise<T> {
  const answer = await result;
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

describe('provider IPC channels over a real vault', () => {
  it('connects, shows the connection without credentials, fetches, signs in, disconnects', async () => {
    const t = await setup();
    const f = await moonKeyFixture(seededRandom('ipc-moonkey'), track);
    const account = await ok<{ id: string }>(t.call('accounts:addUri', { uri: 'otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey' }));
    const summary = await ok(t.call('providers:connect', { accountId: account.id, connection: { provider: 'moonkey', baseUrl: f.server.url, userId: f.userId, credentials: { apiKey: f.apiKey } } }));
    expect(summary).toEqual({ provider: 'moonkey', baseUrl: f.server.url, subjectId: f.userId });
    const state = await ok(t.call('providers:state', { accountId: account.id }));
    expect(state).toEqual({ connected: true, connection: summary, protection: 'password' });
    expect(JSON.stringify(state)).not.toContain(f.apiKey);
    expect(await ok(t.call('providers:test', { accountId: account.id }))).toEqual({ codeCount: f.user.unused.length });
    expect(await ok(t.call('providers:fetch', { accountId: account.id }))).toEqual({ saved: true, count: f.user.unused.length });
    const signIn = await ok(t.call('providers:signIn', { accountId: account.id }));
    expect(signIn).toEqual({ userId: f.userId, sessionCreated: expect.any(Boolean), unusedLeft: f.user.unused.length });
    expect(await ok(t.call('providers:disconnect', { accountId: account.id }))).toBeNull();
    expect(await ok(t.call('providers:state', { accountId: account.id }))).toMatchObject({ connected: false, connection: null });
  });

  it('reports retry waits as events, and errors as payloads without secrets', async () => {
    const t = await setup();
    const f = await arklowFixture(seededRandom('ipc-arklow'), track);
    const account = await ok<{ id: string }>(t.call('accounts:addUri', { uri: 'otpauth://totp/Arklow:bob?secret=JBSWY3DPEHPK3PXP&issuer=Arklow' }));
    await ok(t.call('providers:connect', { accountId: account.id, connection: { provider: 'arklow', baseUrl: f.server.url, deviceId: f.deviceId, credentials: { apiKey: f.apiKey } } }));
    f.server.inject({ kind: 'unavailable', retryAfter: '0' }, { times: 1 });
    expect(await ok(t.call('providers:regenerate', { accountId: account.id }))).toMatchObject({ saved: true });
    expect(t.events).toContainEqual({ type: 'providerProgress', progress: { kind: 'retry-wait', provider: 'arklow', retry: 1, maxRetries: 3, waitMs: 0, reason: 'unavailable' } });
    f.server.inject({ kind: 'status', status: 401 }, { times: 1 });
    const refused = await t.call('providers:regenerate', { accountId: account.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PROVIDER_UNAUTHORIZED' } });
    expect(JSON.stringify(refused)).not.toContain(f.apiKey);
    const bad = await t.call('providers:connect', { accountId: account.id, connection: { provider: 'arklow', deviceId: 'abc', credentials: { apiKey: 'ak_never_shown' } } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'PROVIDER_INVALID_CONNECTION' } });
    expect(JSON.stringify(bad)).not.toContain('ak_never_shown');
  });

  it('enrolls with Misakey, with each stage as an event', async () => {
    const t = await setup();
    const f = await misakeyFixture(seededRandom('ipc-misakey'), track);
    const result = await ok<{ accountId: string; codeCount: number }>(
      t.call('providers:enroll', { connection: { provider: 'misakey', baseUrl: f.server.url, identityId: f.identityId, credentials: { accessToken: f.accessToken, csrfToken: f.csrfToken } } }),
    );
    expect(result.codeCount).toBe(f.identity.codes.length);
    const stages = t.events.flatMap((event) => (event.type === 'providerProgress' && event.progress.kind === 'enroll-stage' ? [event.progress.stage] : []));
    expect(stages).toEqual(['started', 'account-added', 'finished', 'stored']);
    expect(await ok(t.call('providers:state', { accountId: result.accountId }))).toMatchObject({ connected: true, connection: { provider: 'misakey', subjectId: f.identityId } });
  });
});
