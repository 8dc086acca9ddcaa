import { describe, expect, it } from 'vitest';
import { codeForStatus, PROVIDER_NAMES, type ProviderId } from '../../electron/main/providers';
import type { ErrorCode } from '../../shared/errors';
import { type CliRun, useCli } from '../support/cli';
import { seededRandom } from '../support/seeded-random';
import type { ContractServer, Fault } from './support/contract-server';
import { cliOn, expectCliFailure, expectNothingSecret, useFileScoped, vaultSnapshot } from './support/cli-vault';
import { arklowFixture, misakeyFixture, moonKeyFixture, stytchFixture } from './support/fixtures';

/**
 * Every endpoint of every provider, through the spawned CLI, against every fault the contract
 * servers can answer: each documented error, 429 with Retry-After (waited out, and exhausted), 503,
 * a slow answer past the timeout, a body that breaks the schema, invalid JSON and a connection reset.
 * Cases of one endpoint run in order over one vault; a failure must leave every vault file as it was
 * unless the case says why it may not.
 */
const runCli = useCli('latchkey-cli-provider-faults');
const scope = useFileScoped();
const PASSWORD = 'provider faults password';
/** Long enough for a loaded machine to answer a healthy call; the slow fault waits far longer. */
const TIMEOUT_MS = 1_000;
const SLOW_MS = 60_000;

type Latchkey = ReturnType<typeof cliOn>;

type Outcome =
  | { ok: true; stdout: RegExp; stderr?: string[] }
  | { ok: false; code: ErrorCode; text?: string[]; notText?: string[]; requestId?: boolean; vault: 'unchanged' | 'changed' };

interface FaultCase {
  label: string;
  fault: Fault;
  times?: number;
  expect: Outcome;
  /** Server state a case needs (Misakey's delete needs a secret to delete). */
  before?: () => void;
}

interface Endpoint {
  provider: ProviderId;
  label: string;
  server: () => ContractServer;
  path: () => string;
  method: string;
  vault: () => string;
  run: (json: boolean) => Promise<CliRun>;
  /** Everything secret so far: credentials, every code the server issued, tokens. */
  secrets: () => string[];
  cases: FaultCase[];
  /** Server state every case needs (Misakey's delete needs a secret to delete). */
  beforeEachCase?: () => void;
}

type Label = 'slow' | 'schema-break' | 'invalid-json' | 'reset' | '429-then-success';

/** The fault table of one endpoint, in an order that leaves the server able to answer the next case. */
function faultCases(provider: ProviderId, server: () => ContractServer, success: RegExp, overrides: Partial<Record<Label, Partial<FaultCase>>> = {}): FaultCase[] {
  const name = PROVIDER_NAMES[provider];
  const documented = Object.entries(server().documentedErrors).map(([errorName, error]): FaultCase => {
    // A documented 429 or 503 is retried; four in a row exhaust the retries.
    const retried = error.status === 429 || error.status === 503;
    return {
      label: `documented error ${errorName} (${error.status})`,
      fault: { kind: 'documented-error', name: errorName, ...(retried ? { retryAfter: '0' } : {}) },
      times: retried ? 4 : 1,
      expect: { ok: false, code: error.status === 200 ? 'PROVIDER_REJECTED' : codeForStatus(error.status), text: [`${name} said: “${error.message}`], requestId: true, vault: 'unchanged' },
    };
  });
  const standard: FaultCase[] = [
    ...documented,
    {
      label: '429 with Retry-After, until the retries run out',
      fault: { kind: 'rate-limit', retryAfter: '1' },
      times: 4,
      expect: {
        ok: false,
        code: 'PROVIDER_RATE_LIMITED',
        text: [1, 2, 3].map((retry) => `latchkey: ${name} is limiting requests; retry ${retry} of 3 in 1 s.`).concat('It asks to wait 1 s.'),
        requestId: true,
        vault: 'unchanged',
      },
    },
    {
      label: '503, until the retries run out',
      fault: { kind: 'unavailable', retryAfter: '0' },
      times: 4,
      expect: { ok: false, code: 'PROVIDER_UNAVAILABLE', text: [`latchkey: ${name} is unavailable; retry 3 of 3 now.`], requestId: true, vault: 'unchanged' },
    },
    { label: 'slow', fault: { kind: 'slow', delayMs: SLOW_MS }, expect: { ok: false, code: 'PROVIDER_TIMEOUT', text: ['No answer after 1 s.'], vault: 'unchanged' } },
    { label: 'schema-break', fault: { kind: 'schema-break' }, expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['did not match the documented shape'], requestId: true, vault: 'unchanged' } },
    { label: 'invalid-json', fault: { kind: 'invalid-json' }, expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['The answer was not JSON.'], requestId: true, vault: 'unchanged' } },
    // Safe to repeat: the reset is retried after a backoff and the call then succeeds.
    { label: 'reset', fault: { kind: 'reset' }, expect: { ok: true, stdout: success, stderr: [`latchkey: ${name} could not be reached; retry 1 of 3 in`] } },
    {
      label: '503-then-success',
      fault: { kind: 'unavailable', retryAfter: '1' },
      expect: { ok: true, stdout: success, stderr: [`latchkey: ${name} is unavailable; retry 1 of 3 in 1 s.`] },
    },
    {
      label: '429-then-success',
      fault: { kind: 'rate-limit', retryAfter: '1' },
      expect: { ok: true, stdout: success, stderr: [`latchkey: ${name} is limiting requests; retry 1 of 3 in 1 s.`] },
    },
  ];
  return standard.map((testCase) => {
    const override = overrides[testCase.label as Label];
    return override === undefined ? testCase : { ...testCase, ...override };
  });
}

async function runCase(endpoint: Endpoint, testCase: FaultCase): Promise<void> {
  endpoint.beforeEachCase?.();
  testCase.before?.();
  const server = endpoint.server();
  server.clearFaults();
  server.inject(testCase.fault, { times: testCase.times ?? 1, path: endpoint.path(), method: endpoint.method });
  const before = vaultSnapshot(endpoint.vault());
  const expected = testCase.expect;
  const run = await endpoint.run(!expected.ok);
  expectNothingSecret(run, [...endpoint.secrets(), 'unterminated']);
  if (expected.ok) {
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(expected.stdout);
    for (const text of expected.stderr ?? []) expect(run.stderr).toContain(text);
    return;
  }
  const error = expectCliFailure(run, expected.code);
  expect(error.provider).toBe(endpoint.provider);
  for (const text of expected.text ?? []) expect(run.stderr).toContain(text);
  for (const text of expected.notText ?? []) expect(run.stderr).not.toContain(text);
  if (expected.requestId) {
    expect(error.requestId).toMatch(new RegExp(`^request-id-${endpoint.provider}-\\d+$`));
    expect(run.stderr).toContain(`(request id ${error.requestId})`);
  }
  if (expected.vault === 'unchanged') expect(vaultSnapshot(endpoint.vault())).toEqual(before);
  else expect(vaultSnapshot(endpoint.vault())).not.toEqual(before);
  // The fault was used up by this command: nothing is left to leak into the next case.
  expect(server.requests.length).toBeGreaterThan(0);
}

/** Runs the endpoint's cases in order; a failure names the case. */
async function runEndpoint(endpoint: Endpoint): Promise<void> {
  for (const testCase of endpoint.cases) {
    try {
      await runCase(endpoint, testCase);
    } catch (error) {
      if (error instanceof Error) error.message = `${endpoint.label}, ${testCase.label}: ${error.message}`;
      throw error;
    }
  }
}

async function vaultWithAccount(latchkey: Latchkey, uri: string): Promise<void> {
  const init = await latchkey(['init', '--no-keychain']);
  expect(init.status, init.stderr).toBe(0);
  const add = await latchkey(['add', '-'], `${uri}\n`);
  expect(add.status, add.stderr).toBe(0);
}


const STORED = /^Stored \d+ backup codes from the provider for .+ as the current set\.\n$/;

describe('latchkey provider, every endpoint against every fault (spawned CLI)', () => {
  it('MoonKey: recovery_codes (fetch) and recovery (verify, which spends a code)', async () => {
    const f = await moonKeyFixture(seededRandom('cli-faults-moonkey'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, PASSWORD, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/MoonKey:alice?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey');
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
    const latchkey = cliOn(runCli, vault, PASSWORD, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/Stytch:bob?secret=JBSWY3DPEHPK3PXP&issuer=Stytch');
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
    const latchkey = cliOn(runCli, vault, PASSWORD, TIMEOUT_MS);
    expect((await latchkey(['init', '--no-keychain'])).status).toBe(0);
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
    const latchkey = cliOn(runCli, vault, PASSWORD, TIMEOUT_MS);
    await vaultWithAccount(latchkey, 'otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow');
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

/** A regenerate whose answer is lost or unreadable: the old codes may be gone, and the ledger keeps them anyway. */
const OLD_CODES = 'The old codes may have stopped working';
const regenerateOverrides: Partial<Record<Label, Partial<FaultCase>>> = {
  slow: { expect: { ok: false, code: 'PROVIDER_TIMEOUT', text: ['No answer after 1 s.', OLD_CODES], vault: 'unchanged' } },
  'schema-break': { expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['did not match the documented shape', OLD_CODES], requestId: true, vault: 'unchanged' } },
  'invalid-json': { expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['The answer was not JSON.', OLD_CODES], requestId: true, vault: 'unchanged' } },
};

function mayHaveDeleted(code: ErrorCode, text: string, requestId: boolean): Partial<FaultCase> {
  return { expect: { ok: false, code, text: [text, 'Misakey may have deleted the TOTP secret.'], requestId, vault: 'unchanged' } };
}
