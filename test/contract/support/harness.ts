import { expect } from 'vitest';
import { type HttpClientOptions, ProviderHttpClient, type RetryWait } from '../../../electron/main/providers';
import { isLatchkeyError, type LatchkeyError, type ErrorCode } from '../../../shared/errors';
import type { SeededRandom } from '../../support/seeded-random';

/**
 * A client whose waits are recorded and take no time (the sleep is injected), with a short
 * timeout so timeout tests take a fraction of a second.
 */
export function testClient(random: SeededRandom, overrides: HttpClientOptions = {}) {
  const waits: RetryWait[] = [];
  const sleeps: number[] = [];
  const client = new ProviderHttpClient({
    timeoutMs: 1_500,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: random.next,
    onRetryWait: (wait) => waits.push(wait),
    ...overrides,
  });
  return { client, waits, sleeps };
}

/** Every text an error shows or carries: message, stack, its string form, the IPC payload, causes. */
export function errorTexts(error: unknown): string {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      texts.push(current.message, current.stack ?? '', String(current));
      if (isLatchkeyError(current)) texts.push(JSON.stringify(current.toPayload()));
      texts.push(JSON.stringify(current, Object.getOwnPropertyNames(current)));
      current = current.cause;
    } else {
      texts.push(String(current));
      current = undefined;
    }
  }
  return texts.join('\n');
}

/** Fails when any secret (credential, code, token) appears in the error's texts, in any letter case. */
export function expectNoSecrets(error: unknown, secrets: readonly string[]): void {
  const text = errorTexts(error).toLowerCase();
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(3);
    expect(text.includes(secret.toLowerCase()), `a secret appears in: ${errorTexts(error).split('\n')[0]}`).toBe(false);
  }
}

/** Awaits a rejection with a Latchkey error of `code` that carries none of `secrets`. */
export async function expectFailure(promise: Promise<unknown>, code: ErrorCode, secrets: readonly string[]): Promise<LatchkeyError> {
  let caught: unknown = null;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}, but the call succeeded`).not.toBeNull();
  expect(isLatchkeyError(caught) ? caught.code : String(caught)).toBe(code);
  expectNoSecrets(caught, secrets);
  return caught as LatchkeyError;
}
