import { describe, expect, it } from 'vitest';
import { PROVIDER_TIMEOUT_ENV, providerTimeoutFromEnv } from '../../electron/cli/provider-command';
import { DEFAULT_TIMEOUT_MS } from '../../electron/main/providers';

describe('LATCHKEY_PROVIDER_TIMEOUT_MS', () => {
  it('only shortens the provider timeout, never below 200 ms, and ignores what is not a number', () => {
    const timeout = (value: string | undefined) => providerTimeoutFromEnv({ [PROVIDER_TIMEOUT_ENV]: value });
    expect(timeout(undefined)).toBe(DEFAULT_TIMEOUT_MS);
    expect(timeout('1500')).toBe(1500);
    expect(timeout(' 900 ')).toBe(900);
    expect(timeout('999999999')).toBe(DEFAULT_TIMEOUT_MS);
    expect(timeout('5')).toBe(200);
    expect(timeout('0')).toBe(200);
    for (const junk of ['', '-1', '1e3', '12.5', 'fast', '0x10', '99999999999']) expect(timeout(junk)).toBe(DEFAULT_TIMEOUT_MS);
  });
});
