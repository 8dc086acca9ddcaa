import { describe, expect, it } from 'vitest';
import { seededRandom } from '../support/seeded-random';
import { useTempDirs } from '../support/temp-dir';
import { misakeyFixture, moonKeyFixture, stytchFixture, useContractServers } from './support/fixtures';
import { type CliRun, useCli } from '../support/cli';

const track = useContractServers();
const tempDir = useTempDirs();
const PASSWORD = 'provider cli password';
const runCli = useCli('latchkey-cli-provider');
const latchkey = (vault: string, args: string[], stdin = '') => runCli([...args, '--vault', vault], { env: { LATCHKEY_PASSWORD: PASSWORD }, stdin });

async function vaultWithAccount(uri: string): Promise<string> {
  const vault = tempDir();
  const init = await latchkey(vault, ['init', '--no-keychain']);
  expect(init.status, init.stderr).toBe(0);
  const add = await latchkey(vault, ['add', '-'], `${uri}\n`);
  expect(add.status, add.stderr).toBe(0);
  return vault;
}

function expectNoSecret(run: CliRun, secrets: readonly string[]): void {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

describe('latchkey provider (spawned CLI against the contract servers)', () => {
  it('connects MoonKey, fetches, verifies with the next code and a given one, regenerates, disconnects', async () => {
    const random = seededRandom('cli-moonkey');
    const f = await moonKeyFixture(random, track);
    const vault = await vaultWithAccount('otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey');
    const connect = await latchkey(vault, ['provider', 'connect', 'MoonKey', '--provider', 'moonkey', '--base-url', f.server.url, '--user-id', f.userId], JSON.stringify({ apiKey: f.apiKey }));
    expect(connect.status, connect.stderr).toBe(0);
    expect(connect.stdout).toContain(`Connected MoonKey – alice to moonkey at ${f.server.url}`);
    expect(connect.stderr).toContain('sealed with the vault password');
    expectNoSecret(connect, [f.apiKey]);

    const codes = [...f.user.unused];
    const fetch = await latchkey(vault, ['provider', 'fetch', 'MoonKey', '--json']);
    expect(fetch.status, fetch.stderr).toBe(0);
    expect(JSON.parse(fetch.stdout)).toMatchObject({ saved: true, count: codes.length });
    expectNoSecret(fetch, [f.apiKey, ...codes]);

    const verify = await latchkey(vault, ['provider', 'verify', 'MoonKey', '--json']);
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stderr).toContain('spends it');
    expect(JSON.parse(verify.stdout)).toMatchObject({ userId: f.userId, unusedLeft: codes.length - 1 });
    expect(f.user.unused).not.toContain(codes[0]);

    const given = codes[3] as string;
    const verifyGiven = await latchkey(vault, ['provider', 'verify', 'MoonKey', given]);
    expect(verifyGiven.status, verifyGiven.stderr).toBe(0);
    expect(verifyGiven.stdout).toContain(`${codes.length - 2} unused left`);
    const list = await latchkey(vault, ['recovery', 'list', 'MoonKey', '--json']);
    const used = (JSON.parse(list.stdout) as { codes: { code: string; used: boolean }[] }[])[0]?.codes.filter((code) => code.used).map((code) => code.code);
    expect(used).toEqual([codes[0], given]);

    // A spent code is refused by MoonKey, and said so.
    const again = await latchkey(vault, ['provider', 'verify', 'MoonKey', given]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^latchkey: PROVIDER_REJECTED: .*MoonKey said/m);
    expectNoSecret(again, [f.apiKey, given]);

    const regenerate = await latchkey(vault, ['provider', 'regenerate', 'MoonKey']);
    expect(regenerate.status).toBe(1);
    expect(regenerate.stderr).toContain('PROVIDER_UNSUPPORTED');

    const disconnect = await latchkey(vault, ['provider', 'disconnect', 'MoonKey']);
    expect(disconnect.status, disconnect.stderr).toBe(0);
    const after = await latchkey(vault, ['provider', 'fetch', 'MoonKey']);
    expect(after.status).toBe(1);
    expect(after.stderr).toContain('PROVIDER_NOT_CONNECTED');
  });

  it('shows each retry wait on stderr, and a documented error as a sentence with its request id', async () => {
    const random = seededRandom('cli-stytch');
    const f = await stytchFixture(random, track);
    const vault = await vaultWithAccount('otpauth://totp/Stytch:bob?secret=JBSWY3DPEHPK3PXP&issuer=Stytch');
    const connect = await latchkey(vault, ['provider', 'connect', 'Stytch', '--provider', 'stytch', '--base-url', f.server.url, '--user-id', f.userId], JSON.stringify({ projectId: f.projectId, secret: f.secret }));
    expect(connect.status, connect.stderr).toBe(0);
    f.server.inject({ kind: 'rate-limit', retryAfter: '1' }, { times: 1 });
    const fetch = await latchkey(vault, ['provider', 'fetch', 'Stytch']);
    expect(fetch.status, fetch.stderr).toBe(0);
    expect(fetch.stderr).toContain('latchkey: Stytch is limiting requests; retry 1 of 3 in 1 s.');
    expect(fetch.stdout).toContain(`Stored ${f.user.codes.length} backup codes`);
    f.server.inject({ kind: 'documented-error', name: 'user_not_found' }, { times: 1 });
    const missing = await latchkey(vault, ['provider', 'fetch', 'Stytch']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^latchkey: PROVIDER_NOT_FOUND: .*request/i);
    expectNoSecret(missing, f.secrets);
  });

  it('enrolls with Misakey and prints the new account id; the codes are in the ledger', async () => {
    const random = seededRandom('cli-misakey');
    const f = await misakeyFixture(random, track);
    const vault = tempDir();
    expect((await latchkey(vault, ['init', '--no-keychain'])).status).toBe(0);
    const enroll = await latchkey(vault, ['provider', 'enroll', '--provider', 'misakey', '--identity-id', f.identityId, '--base-url', f.server.url], JSON.stringify({ accessToken: f.accessToken, csrfToken: f.csrfToken }));
    expect(enroll.status, enroll.stderr).toBe(0);
    const accountId = enroll.stdout.trim();
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(enroll.stderr).toContain(`stored ${f.identity.codes.length} backup codes`);
    // Each stage in words while it runs.
    expect(enroll.stderr).toContain('latchkey: Misakey started the enrollment; its QR code was read.\nlatchkey: The account is added; finishing with its current code…\n');
    expectNoSecret(enroll, [f.accessToken, f.csrfToken, ...f.identity.codes]);
    const list = await latchkey(vault, ['recovery', 'list', 'Misakey', '--json']);
    expect(list.status, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as { source: string; codes: { code: string }[] }[])[0]).toMatchObject({ source: 'provider', codes: f.identity.codes.map((code) => ({ code })) });
    const regenerate = await latchkey(vault, ['provider', 'regenerate', accountId, '--json']);
    expect(regenerate.status, regenerate.stderr).toBe(0);
    expect(JSON.parse(regenerate.stdout)).toMatchObject({ saved: true, count: f.identity.codes.length });
  });

  it('refuses bad usage (exit 2) and bad credentials (exit 1) without echoing them', async () => {
    const vault = await vaultWithAccount('otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow');
    const noProvider = await latchkey(vault, ['provider', 'connect', 'Arklow'], '{"apiKey":"ak_secret_1"}');
    expect(noProvider.status).toBe(2);
    const wrongId = await latchkey(vault, ['provider', 'connect', 'Arklow', '--provider', 'arklow', '--user-id', '7'], '{"apiKey":"ak_secret_1"}');
    expect(wrongId.status).toBe(2);
    expect(wrongId.stderr).toContain('--user-id does not apply to arklow; it takes --device-id.');
    const notJson = await latchkey(vault, ['provider', 'connect', 'Arklow', '--provider', 'arklow', '--device-id', '7'], 'ak_secret_2');
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain('PROVIDER_INVALID_CONNECTION');
    const insecure = await latchkey(vault, ['provider', 'connect', 'Arklow', '--provider', 'arklow', '--device-id', '7', '--base-url', 'http://example.com'], '{"apiKey":"ak_secret_3"}');
    expect(insecure.status).toBe(1);
    expect(insecure.stderr).toContain('Check: baseUrl.');
    for (const run of [noProvider, wrongId, notJson, insecure]) expectNoSecret(run, ['ak_secret_1', 'ak_secret_2', 'ak_secret_3']);
  });
});
