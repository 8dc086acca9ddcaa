import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_TIMEOUT_MS,
  isLoopbackHost,
  MisakeyApi,
  MoonKeyApi,
  parseBaseUrl,
  parseRetryAfterMs,
  ProviderHttpClient,
} from '../../electron/main/providers';
import { scrubProviderText } from '../../electron/main/providers/scrub';
import fc from 'fast-check';
import { seededRandom, testSeed } from '../support/seeded-random';
import { moonKeyFixture, useContractServers } from './support/fixtures';
import { expectFailure, testClient } from './support/harness';

const track = useContractServers();
const rawServers: Server[] = [];
afterEach(async () => {
  await Promise.all(rawServers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function rawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

describe('addresses: https only, plain http only to this computer', () => {
  it.each(['127.0.0.1', '127.8.9.10', 'localhost', '[::1]', '::1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['10.0.0.1', '192.168.1.2', 'example.com', '127.0.0.1.nip.io', 'localhost.evil.com', '::', '0.0.0.0', '[::2]'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it('accepts https anywhere and http to loopback', () => {
    expect(parseBaseUrl('https://api.moonkey.fun').host).toBe('api.moonkey.fun');
    expect(parseBaseUrl('http://127.0.0.1:3123/prefix').pathname).toBe('/prefix');
    expect(parseBaseUrl('http://[::1]:8080').hostname).toBe('[::1]');
  });

  it.each([
    ['http://api.moonkey.fun', 'PROVIDER_INSECURE_URL'],
    ['http://10.1.2.3:8080', 'PROVIDER_INSECURE_URL'],
    ['ftp://127.0.0.1', 'PROVIDER_INSECURE_URL'],
    ['file:///etc/passwd', 'PROVIDER_INSECURE_URL'],
    ['not a url', 'PROVIDER_INVALID_CONNECTION'],
    ['https://api.example.com/?next=evil', 'PROVIDER_INVALID_CONNECTION'],
  ])('refuses %s with %s', (url, code) => {
    expect(() => parseBaseUrl(url)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses a password in the address without repeating it', () => {
    let caught: unknown;
    try {
      parseBaseUrl('https://admin:hunter2-secret@api.example.com');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'PROVIDER_INVALID_CONNECTION' });
    expect(String((caught as Error).message)).not.toContain('hunter2-secret');
  });

  it('sends nothing to a plain-http address that is not loopback', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const client = new ProviderHttpClient({ fetch: fetchSpy });
    expect(() => new MoonKeyApi(client, { baseUrl: 'http://203.0.113.5', apiKey: 'sk_test_abcdef' })).toThrow(expect.objectContaining({ code: 'PROVIDER_INSECURE_URL' }));
    await expect(
      client.send({
        provider: 'moonkey',
        method: 'POST',
        url: new URL('http://203.0.113.5/v1/auth/totps/recovery_codes'),
        headers: {},
        idempotent: true,
        secrets: [],
        responseSchema: null,
        readErrorBody: () => ({}),
      }),
    ).rejects.toMatchObject({ code: 'PROVIDER_INSECURE_URL' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('keeps a self-hosted path prefix in front of the endpoint', async () => {
    const random = seededRandom('prefix');
    const { client } = testClient(random);
    const seen: string[] = [];
    const server = await rawServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(204).end();
    });
    await new MisakeyApi(client, { baseUrl: `${server.url}/misakey/`, accessToken: 'tok123', csrfToken: 'csrf123' }).deleteTotpSecret('00000000-0000-4000-8000-000000000000');
    expect(seen).toEqual(['/misakey/identities/00000000-0000-4000-8000-000000000000/totp']);
  });
});

describe('the shared client', () => {
  it('has a 10 s timeout by default', async () => {
    expect(DEFAULT_TIMEOUT_MS).toBe(10_000);
    vi.useFakeTimers();
    try {
      let aborted = false;
      const hangingFetch: typeof fetch = (_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      const client = new ProviderHttpClient({ fetch: hangingFetch });
      const call = new MoonKeyApi(client, { baseUrl: 'https://api.moonkey.fun', apiKey: 'sk_test_timeout' }).getRecoveryCodes('user_x');
      const settled = call.catch((error: unknown) => error);
      await vi.advanceTimersByTimeAsync(9_999);
      expect(aborted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(aborted).toBe(true);
      expect(await settled).toMatchObject({ code: 'PROVIDER_TIMEOUT', message: expect.stringContaining('No answer after 10 s.') });
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not follow a redirect (it could carry the key elsewhere)', async () => {
    const random = seededRandom('redirect');
    const target = await rawServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const redirecting = await rawServer((_req, res) => res.writeHead(307, { location: `${target.url}/v1/auth/totps/recovery_codes` }).end());
    const { client } = testClient(random);
    const error = await expectFailure(new MoonKeyApi(client, { baseUrl: redirecting.url, apiKey: 'sk_test_redirect' }).getRecoveryCodes('user_x'), 'PROVIDER_BAD_RESPONSE', ['sk_test_redirect']);
    expect(error.message).toContain('redirect (HTTP 307)');
    expect(target.hits()).toBe(0);
  });

  it('stops reading an answer larger than its cap', async () => {
    const random = seededRandom('large');
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Streamed without a length, so the cap must hold while reading.
      for (let i = 0; i < 64; i++) res.write('x'.repeat(1024));
      res.end();
    });
    const { client } = testClient(random, { maxResponseBytes: 16 * 1024 });
    const error = await expectFailure(new MoonKeyApi(client, { baseUrl: server.url, apiKey: 'sk_test_large' }).getRecoveryCodes('user_x'), 'PROVIDER_BAD_RESPONSE', ['sk_test_large']);
    expect(error.message).toContain('too large');
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const random = seededRandom('retry-date');
    const fixture = await moonKeyFixture(random, track);
    const now = Date.parse('2026-01-01T00:00:00Z');
    const { client, waits } = testClient(random, { now: () => now });
    fixture.server.inject({ kind: 'rate-limit', retryAfter: new Date(now + 7_000).toUTCString() });
    await new MoonKeyApi(client, { baseUrl: fixture.server.url, apiKey: fixture.apiKey }).getRecoveryCodes(fixture.userId);
    expect(waits.map((wait) => wait.waitMs)).toEqual([7_000]);
  });

  it('reports waits to the per-call callback as well as the client’s', async () => {
    const random = seededRandom('per-call');
    const fixture = await moonKeyFixture(random, track);
    const { client, waits } = testClient(random);
    const perCall: number[] = [];
    fixture.server.inject({ kind: 'unavailable', retryAfter: '3' });
    await new MoonKeyApi(client, { baseUrl: fixture.server.url, apiKey: fixture.apiKey }).getRecoveryCodes(fixture.userId, { onRetryWait: (wait) => perCall.push(wait.waitMs) });
    expect(perCall).toEqual([3_000]);
    expect(waits.map((wait) => wait.waitMs)).toEqual([3_000]);
  });

  it('reads Retry-After as seconds or a date, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs('-5', now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });

  it('drops a request id that is not a plain id', async () => {
    const random = seededRandom('request-id');
    const server = await rawServer((_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error_message: 'nope', request_id: 'id\u001b[31m with spaces' })),
    );
    const { client } = testClient(random);
    const error = await expectFailure(new MoonKeyApi(client, { baseUrl: server.url, apiKey: 'sk_test_rid' }).getRecoveryCodes('user_x'), 'PROVIDER_REJECTED', ['sk_test_rid']);
    expect(error.message).not.toContain('request id');
    expect(error.message).toContain('“nope”');
  });
});

describe('provider text scrubbing', () => {
  it('cuts secrets in any letter case, drops control characters and caps the length', () => {
    expect(scrubProviderText('key SK_TEST_ABCD rejected', ['sk_test_abcd'])).toBe('key [hidden] rejected');
    expect(scrubProviderText('a\u0000b\u001b[2Jc\u202etxt', [])).toBe('a b [2Jc txt');
    expect(scrubProviderText('x'.repeat(1000), [])).toHaveLength(300);
    // Too short to scrub without mangling the sentence; such values are never credentials.
    expect(scrubProviderText('abc', ['abc'])).toBe('abc');
    // A secret that is part of the marker would come back with it: nothing of the text is shown.
    expect(scrubProviderText('bad key hidden here', ['hidden'])).toBe('');
    expect(scrubProviderText('bad key xyzw here', ['xyzw', 'dden]'])).toBe('');
  });
});

describe('provider text scrubbing, for any text and secrets', () => {
  it('never lets a secret of 4 or more characters through', () => {
    const markerPieces = ['[hid', 'hidd', 'idde', 'dden', 'den]', 'hidden', '[hidden]'];
    const secretArb = fc.oneof(fc.string({ minLength: 4, maxLength: 24, unit: fc.constantFrom(...'abcdehinx[]-_0189 '.split('')) }), fc.constantFrom(...markerPieces));
    fc.assert(
      fc.property(fc.array(secretArb, { minLength: 1, maxLength: 3 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }), fc.boolean(), (secrets, pieces, upper) => {
        // The provider echoes the secrets between arbitrary pieces, maybe upper-cased.
        const text = pieces.flatMap((piece, index) => [piece, secrets[index % secrets.length] as string]).join('');
        const out = scrubProviderText(upper ? text.toUpperCase() : text, secrets).toLowerCase();
        for (const secret of secrets) expect(out.includes(secret.toLowerCase())).toBe(false);
      }),
      { seed: testSeed(), numRuns: 500 },
    );
  });
});
