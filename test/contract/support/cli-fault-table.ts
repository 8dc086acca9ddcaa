import { expect } from 'vitest';
import { codeForStatus, PROVIDER_NAMES, type ProviderId } from '../../../electron/main/providers';
import type { ErrorCode } from '../../../shared/errors';
import type { CliRun } from '../../support/cli';
import type { ContractServer, Fault } from './contract-server';
import { type cliOn, expectCliFailure, expectNothingSecret, vaultSnapshot } from './cli-vault';

/**
 * The fault table the spawned-CLI tests drive for every endpoint: each documented error, 429 with
 * Retry-After (exhausted, and waited out), 503 (the same), a slow answer, a body that breaks the
 * schema, invalid JSON and a connection reset, each with what the CLI must print and whether the
 * vault may change.
 */
/** Long enough for a loaded machine to answer a healthy call; the slow fault waits far longer. */
export const TIMEOUT_MS = 1_000;
export const SLOW_MS = 60_000;

export type Latchkey = ReturnType<typeof cliOn>;

export type Outcome =
  | { ok: true; stdout: RegExp; stderr?: string[] }
  | { ok: false; code: ErrorCode; text?: string[]; notText?: string[]; requestId?: boolean; vault: 'unchanged' | 'changed' };

export interface FaultCase {
  label: string;
  fault: Fault;
  times?: number;
  expect: Outcome;
  /** Server state a case needs (Misakey's delete needs a secret to delete). */
  before?: () => void;
}

export interface Endpoint {
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

export type Label = 'slow' | 'schema-break' | 'invalid-json' | 'reset' | '429-then-success';

/** The fault table of one endpoint, in an order that leaves the server able to answer the next case. */
export function faultCases(provider: ProviderId, server: () => ContractServer, success: RegExp, overrides: Partial<Record<Label, Partial<FaultCase>>> = {}): FaultCase[] {
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

export async function runCase(endpoint: Endpoint, testCase: FaultCase): Promise<void> {
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
export async function runEndpoint(endpoint: Endpoint): Promise<void> {
  for (const testCase of endpoint.cases) {
    try {
      await runCase(endpoint, testCase);
    } catch (error) {
      if (error instanceof Error) error.message = `${endpoint.label}, ${testCase.label}: ${error.message}`;
      throw error;
    }
  }
}

/** `keychain`: a vault the system keychain alone opens (no password); else the password in the environment. */
export async function vaultWithAccount(latchkey: Latchkey, uri: string, { keychain = false } = {}): Promise<void> {
  const init = await latchkey(keychain ? ['init'] : ['init', '--no-keychain']);
  expect(init.status, init.stderr).toBe(0);
  const add = await latchkey(['add', '-'], `${uri}\n`);
  expect(add.status, add.stderr).toBe(0);
}


/** A regenerate whose answer is lost or unreadable: the old codes may be gone, and the ledger keeps them anyway. */
export const OLD_CODES = 'The old codes may have stopped working';
export const regenerateOverrides: Partial<Record<Label, Partial<FaultCase>>> = {
  slow: { expect: { ok: false, code: 'PROVIDER_TIMEOUT', text: ['No answer after 1 s.', OLD_CODES], vault: 'unchanged' } },
  'schema-break': { expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['did not match the documented shape', OLD_CODES], requestId: true, vault: 'unchanged' } },
  'invalid-json': { expect: { ok: false, code: 'PROVIDER_BAD_RESPONSE', text: ['The answer was not JSON.', OLD_CODES], requestId: true, vault: 'unchanged' } },
};

export function mayHaveDeleted(code: ErrorCode, text: string, requestId: boolean): Partial<FaultCase> {
  return { expect: { ok: false, code, text: [text, 'Misakey may have deleted the TOTP secret.'], requestId, vault: 'unchanged' } };
}
