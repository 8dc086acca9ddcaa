import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors';
import { useCli } from '../support/cli';
import { seededRandom } from '../support/seeded-random';
import { cliOn, expectCliFailure, useFileScoped } from './support/cli-vault';
import { type FaultCase, faultCases, mayHaveDeleted, regenerateOverrides, runEndpoint, TIMEOUT_MS, vaultWithAccount } from './support/cli-fault-table';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture } from './support/fixtures';

/**
 * Every endpoint of every provider, through the spawned CLI, against every fault the contract
 * servers can answer: each documented error, 429 with Retry-After (waited out, and exhausted), 503,
 * a slow answer past the timeout, a body that breaks the schema, invalid JSON and a connection reset.
 * Cases of one endpoint run in order over one vault; a failure must leave every vault file as it was
 * unless the case says why it may not. The vaults open through the system keychain: the faults are
 * the providers', and a password would add two Argon2id derivations to each of some hundred runs
 * (credentials sealed by the password are covered in cli-provider.test.ts and vault-stores.test.ts).
 */
const runCli = useCli('latchkey-cli-provider-faults');
const scope = useFileScoped();
const STORED = /^Stored \d+ backup codes from the provider for .+ as the current set\.\n$/;

describe('latchkey provider, every endpoint against every fault (spawned CLI)', () => {
  it('MoonKey: recovery_codes (fetch) and recovery (verify, which spends a code)', async () => {
    const f = await moonKeyFixture(seededRandom('cli-faults-moonkey'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, null, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey', { keychain: true });
    const connect = await latchkey(['provider', 'connect', 'MoonKey', '--provider', 'moonkey', '--base-url', f.server.url, '--user-id', f.userId], JSON.stringify({ apiKey: f.apiKey }));
    expect(connect.status, connect.stderr).toBe(0);
    const allCodes = [...f.user.unused];
    const secrets = () => [f.apiKey, ...allCodes];
    const json = (on: boolean) => (on ? ['--json'] : []);
    await runEndpoint({
      provider: 'moonkey',
      label: 'recovery_codes',
      server: () => f.server,
      path: () => '/v1/auth/totps/recovery_codes',
      method: 'POST',
      vault: () => vault,
      run: (on) => latchkey(['provider', 'fetch', 'MoonKey', ...json(on)]),
      secrets,
      cases: faultCases('moonkey', () => f.server, STORED),
    });
    // A lost answer to a sign-in may have spent the code: it is marked used, and said to be maybe spent, not accepted.
    const maybeSpent: Partial<FaultCase> = {
      expect: { ok: false, code: 'PROVIDER_OUTCOME_UNKNOWN', text: ['The recovery code may have been spent.', 'Latchkey marked it used'], notText: ['accepted'], vault: 'changed' },
    };
    const acceptedUnreadable = (text: string): Partial<FaultCase> => ({
      expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: [text, 'MoonKey accepted the recovery code, so it is marked used.'], requestId: true, vault: 'changed' },
    });
    const accepted = /^The provider accepted the code \(user .+\)\. Marked used; \d+ unused left\.\n$/;
    await runEndpoint({
      provider: 'moonkey',
      label: 'recovery',
      server: () => f.server,
      path: () => '/v1/auth/totps/recovery',
      method: 'POST',
      vault: () => vault,
      run: (on) => latchkey(['provider', 'verify', 'MoonKey', ...json(on)]),
      secrets,
      cases: faultCases('moonkey', () => f.server, accepted, {
        slow: maybeSpent,
        reset: maybeSpent,
        'schema-break': acceptedUnreadable('did not match the documented shape'),
        'invalid-json': acceptedUnreadable('The answer was not JSON.'),
      }),
    });
    // Four codes were marked used: the slow one, the two unreadable acceptances, the reset one; and two accepted.
    const list = await latchkey(['recovery', 'list', 'MoonKey', '--json']);
    const used = (JSON.parse(list.stdout) as { current: boolean; codes: { used: boolean }[] }[]).find((set) => set.current)?.codes.filter((code) => code.used);
    expect(used).toHaveLength(6);
  }, 180_000);

  it('Stytch: recovery_codes (fetch), with its four documented error bodies', async () => {
    const f = await stytchFixture(seededRandom('cli-faults-stytch'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, null, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/Stytch:bob?secret=JBSWY3DPEHPK3PXP&issuer=Stytch', { keychain: true });
    const connect = await latchkey(['provider', 'connect', 'Stytch', '--provider', 'stytch', '--base-url', f.server.url, '--user-id', f.userId], JSON.stringify({ projectId: f.projectId, secret: f.secret }));
    expect(connect.status, connect.stderr).toBe(0);
    expect(Object.keys(f.server.documentedErrors)).toHaveLength(4);
    await runEndpoint({
      provider: 'stytch',
      label: 'recovery_codes',
      server: () => f.server,
      path: () => '/v1/totps/recovery_codes',
      method: 'POST',
      vault: () => vault,
      run: (on) => latchkey(['provider', 'fetch', 'Stytch', ...(on ? ['--json'] : [])]),
      secrets: () => f.secrets,
      cases: faultCases('stytch', () => f.server, STORED),
    });
  }, 180_000);

  it('Misakey: enroll start (GET) and finish (POST), recovery-codes (regenerate), delete the TOTP secret', async () => {
    const f = await misakeyFixture(seededRandom('cli-faults-misakey'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, null, TIMEOUT_MS);
    expect((await latchkey(['init'])).status).toBe(0);
    const seen = new Set([f.accessToken, f.csrfToken]);
    const secrets = () => {
      for (const code of f.identity.codes) seen.add(code);
      if (f.identity.totpSecret !== null) seen.add(f.identity.totpSecret);
      return [...seen];
    };
    const credentials = JSON.stringify({ accessToken: f.accessToken, csrfToken: f.csrfToken });
    const json = (on: boolean) => (on ? ['--json'] : []);
    let account = '';
    const enroll = async (on: boolean) => {
      const run = await latchkey(['provider', 'enroll', '--provider', 'misakey', '--identity-id', f.identityId, '--base-url', f.server.url, ...json(on)], credentials);
      if (run.status === 0) account = run.stdout.trim();
      return run;
    };
    const enrollPath = () => `/identities/${f.identityId}/totp/enroll`;
    const accountId = /^[0-9a-f-]{36}\n$/;
    const common = { provider: 'misakey' as const, server: () => f.server, vault: () => vault, secrets };
    await runEndpoint({ ...common, label: 'enroll start', path: enrollPath, method: 'GET', run: enroll, cases: faultCases('misakey', () => f.server, accountId) });

    // A finish that fails leaves the enrollment started (and the account added); each run below continues it.
    const leaveStarted = async () => {
      f.server.inject({ kind: 'documented-error', name: 'unauthorized' }, { path: enrollPath(), method: 'POST' });
      expectCliFailure(await enroll(true), 'PROVIDER_UNAUTHORIZED');
    };
    const finishLost = (code: ErrorCode, text: string): Partial<FaultCase> => ({ expect: { ok: false, code, text: [text, 'run it again'], vault: 'changed' } });
    const finishCases = faultCases('misakey', () => f.server, accountId, {
      slow: finishLost('PROVIDER_OUTCOME_UNKNOWN', 'No answer after 1 s.'),
      'schema-break': finishLost('PROVIDER_BAD_RESPONSE', 'did not match the documented shape'),
      'invalid-json': finishLost('PROVIDER_BAD_RESPONSE', 'The answer was not JSON.'),
      reset: finishLost('PROVIDER_OUTCOME_UNKNOWN', 'The connection was cut before the answer arrived.'),
    });
    // A flow Misakey no longer knows (and never finished) cannot be continued: it is forgotten, and said so.
    const notFound = finishCases.find((testCase) => testCase.label.startsWith('documented error not-found')) as FaultCase;
    const finish = { ...common, label: 'enroll finish', path: enrollPath, method: 'POST', run: enroll };
    await leaveStarted();
    await runEndpoint({ ...finish, cases: [{ ...notFound, expect: { ok: false, code: 'PROVIDER_NOT_FOUND', text: ['enrollment flow not found', 'enroll again to start over'], requestId: true, vault: 'changed' } }] });
    await leaveStarted();
    await runEndpoint({ ...finish, cases: finishCases.filter((testCase) => testCase !== notFound) });
    // `recovery list` takes a name, not an id: the sets of every account, this one's picked out.
    const list = await latchkey(['recovery', 'list', '--json']);
    expect(list.status, list.stderr).toBe(0);
    const sets = JSON.parse(list.stdout) as { accountId: string; current: boolean; codes: { code: string }[] }[];
    expect(sets.find((set) => set.accountId === account && set.current)?.codes.map((code) => code.code)).toEqual(f.identity.codes);

    await runEndpoint({
      ...common,
      label: 'recovery-codes',
      path: () => `/identities/${f.identityId}/totp/recovery-codes`,
      method: 'POST',
      run: (on) => latchkey(['provider', 'regenerate', account, ...json(on)]),
      cases: faultCases('misakey', () => f.server, STORED, regenerateOverrides),
    });
    await runEndpoint({
      ...common,
      label: 'delete',
      path: () => `/identities/${f.identityId}/totp`,
      method: 'DELETE',
      run: (on) => latchkey(['provider', 'delete-totp', account, ...json(on)]),
      // A success deletes the secret; the next case needs one to delete again.
      beforeEachCase: () => {
        f.identity.totpSecret ??= 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
      },
      cases: faultCases('misakey', () => f.server, /^The provider deleted the TOTP secret of .+\n$/, {
        slow: mayHaveDeleted('PROVIDER_TIMEOUT', 'No answer after 1 s.', false),
        'schema-break': mayHaveDeleted('PROVIDER_BAD_RESPONSE', 'The answer had a body where none is documented.', true),
        'invalid-json': mayHaveDeleted('PROVIDER_BAD_RESPONSE', 'The answer had a body where none is documented.', true),
      }),
    });
  }, 300_000);

  it('Arklow: regenerate, including an error inside a 200 envelope', async () => {
    const f = await arklowFixture(seededRandom('cli-faults-arklow'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, null, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow', { keychain: true });
    const connect = await latchkey(['provider', 'connect', 'Arklow', '--provider', 'arklow', '--base-url', f.server.url, '--device-id', f.deviceId], JSON.stringify({ apiKey: f.apiKey }));
    expect(connect.status, connect.stderr).toBe(0);
    expect((await latchkey(['provider', 'regenerate', 'Arklow'])).status).toBe(0);
    const seen = new Set([f.apiKey]);
    await runEndpoint({
      provider: 'arklow',
      label: 'regenerate',
      server: () => f.server,
      path: () => '/v1/self/mfa/regenerate/totp',
      method: 'POST',
      vault: () => vault,
      run: (on) => latchkey(['provider', 'regenerate', 'Arklow', ...(on ? ['--json'] : [])]),
      secrets: () => {
        for (const code of f.device.codes) seen.add(code);
        return [...seen];
      },
      cases: faultCases('arklow', () => f.server, STORED, regenerateOverrides),
    });
  }, 180_000);
});

