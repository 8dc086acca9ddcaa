import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/errors';
import { codeForStatus, PROVIDER_NAMES, ProviderError, type ProviderId } from './provider-error';
import { parseBaseUrl } from './url-policy';
import { scrubProviderText } from './scrub';
import { failedBeforeSending, parseJson, parseRetryAfterMs, readCapped } from './http-wire';

export { parseRetryAfterMs } from './http-wire';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 3;
/** A Retry-After longer than this is not waited out: the person is told to come back later. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
/** Answers larger than this are not read: no documented answer comes near it. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
const BACKOFF_BASE_MS = 500;

export type RetryReason = 'rate-limited' | 'unavailable' | 'network';

/** One wait before a retry, reported so the window and the CLI can say why nothing happens. */
export interface RetryWait {
  provider: ProviderId;
  /** 1 for the first retry. */
  retry: number;
  maxRetries: number;
  waitMs: number;
  reason: RetryReason;
}

export type OnRetryWait = (wait: RetryWait) => void;

export interface HttpClientOptions {
  timeoutMs?: number;
  maxRetries?: number;
  maxRetryAfterMs?: number;
  maxResponseBytes?: number;
  /** Injected so tests wait in virtual time. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  now?: () => number;
  fetch?: typeof fetch;
  onRetryWait?: OnRetryWait;
}

/** What a provider says about a failure, read from its error body. */
export interface ProviderErrorBody {
  message?: string;
  requestId?: string;
}

export interface ProviderRequest<T> {
  provider: ProviderId;
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: unknown;
  /**
   * True when sending the request twice does no harm. A request that spends something (a recovery
   * code) or uses a one-time code is never sent again once it may have reached the provider.
   */
  idempotent: boolean;
  /** Every credential, code or token the request carries: scrubbed out of any error text. */
  secrets: readonly string[];
  /** Schema of the success body; null when the success has no body (204). */
  responseSchema: z.ZodType<T> | null;
  readErrorBody: (body: unknown) => ProviderErrorBody;
  /**
   * For APIs that report some failures inside a 200 body (Arklow's envelope): what the provider
   * said when the body is such a failure, else null. It becomes PROVIDER_REJECTED with the request id.
   */
  readFailureInSuccess?: (body: T) => ProviderErrorBody | null;
  onRetryWait?: OnRetryWait;
}

interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

type Attempt = { kind: 'answer'; answer: RawAnswer } | { kind: 'failure'; error: ProviderError; retryable: boolean };

/**
 * The one HTTP client every provider module uses: HTTPS only (plain http to loopback), a timeout,
 * bounded retries on 429/503 honouring Retry-After, jittered backoff for network failures where
 * safe, size-capped bodies checked with zod, and errors that never carry a secret.
 */
export class ProviderHttpClient {
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxResponseBytes: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;
  private readonly onRetryWait: OnRetryWait | undefined;

  constructor(options: HttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
    this.onRetryWait = options.onRetryWait;
  }

  async send<T>(request: ProviderRequest<T>): Promise<T> {
    parseBaseUrl(request.url.href); // the scheme rule holds for every request, not only for stored connections
    for (let retry = 0; ; retry++) {
      const attempt = await this.attempt(request);
      const waitPlan = this.planRetry(request, attempt, retry);
      if (waitPlan === null) return this.finish(request, attempt);
      const wait: RetryWait = { provider: request.provider, retry: retry + 1, maxRetries: this.maxRetries, ...waitPlan };
      this.onRetryWait?.(wait);
      request.onRetryWait?.(wait);
      await this.sleep(wait.waitMs);
    }
  }

  /** Null when the attempt is final; else how long to wait and why. */
  private planRetry<T>(request: ProviderRequest<T>, attempt: Attempt, retriesDone: number): { waitMs: number; reason: RetryReason } | null {
    if (retriesDone >= this.maxRetries) return null;
    if (attempt.kind === 'failure') {
      return attempt.retryable ? { waitMs: this.backoffMs(retriesDone), reason: 'network' } : null;
    }
    const { status, headers } = attempt.answer;
    // 429 and 503 mean the provider did not act on the request, so even a spend may be sent again.
    if (status !== 429 && status !== 503) return null;
    const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), this.now());
    if (retryAfterMs !== null && retryAfterMs > this.maxRetryAfterMs) return null;
    return { waitMs: retryAfterMs ?? this.backoffMs(retriesDone), reason: status === 429 ? 'rate-limited' : 'unavailable' };
  }

  /** Exponential backoff with jitter, so many clients do not come back at the same instant. */
  private backoffMs(retriesDone: number): number {
    const ceiling = BACKOFF_BASE_MS * 2 ** retriesDone;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  private async attempt<T>(request: ProviderRequest<T>): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const facts = { provider: request.provider };
    try {
      const response = await this.fetchImpl(request.url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...request.headers,
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        // A redirect could carry the credentials elsewhere: none is followed.
        redirect: 'manual',
        signal: controller.signal,
      });
      const text = await readCapped(response, this.maxResponseBytes);
      if (text === null) {
        return { kind: 'failure', retryable: false, error: new ProviderError('PROVIDER_BAD_RESPONSE', facts, 'The answer was too large.') };
      }
      return { kind: 'answer', answer: { status: response.status, headers: response.headers, text } };
    } catch (error) {
      // A timeout is not retried even when the call is safe to repeat: the person has already
      // waited the whole timeout, and three more would keep the window busy for 40 s.
      if (timedOut) {
        const seconds = Math.round(this.timeoutMs / 100) / 10;
        const failure = new ProviderError('PROVIDER_TIMEOUT', { ...facts, requestMayHaveArrived: true }, `No answer after ${seconds} s.`);
        return { kind: 'failure', retryable: false, error: failure };
      }
      const neverSent = failedBeforeSending(error);
      const mayHaveArrived = !neverSent;
      const failure = new ProviderError(
        'PROVIDER_UNREACHABLE',
        { ...facts, requestMayHaveArrived: mayHaveArrived },
        mayHaveArrived ? 'The connection was cut before the answer arrived.' : 'The connection could not be opened.',
      );
      return { kind: 'failure', retryable: neverSent || request.idempotent, error: failure };
    } finally {
      clearTimeout(timer);
    }
  }

  private finish<T>(request: ProviderRequest<T>, attempt: Attempt): T {
    if (attempt.kind === 'failure') throw attempt.error;
    const { status, headers, text } = attempt.answer;
    const requestIdHeader = headers.get('x-request-id') ?? headers.get('request-id') ?? undefined;
    if (status >= 300 && status < 400) {
      throw new ProviderError('PROVIDER_BAD_RESPONSE', { provider: request.provider, status }, `It answered with a redirect (HTTP ${status}), which Latchkey does not follow.`);
    }
    if (status >= 400) throw this.errorFromAnswer(request, status, headers, text, requestIdHeader);
    if (request.responseSchema === null) {
      // The seed documents no body (204): one that comes anyway is not the documented answer.
      if (text.trim() === '') return undefined as T;
      throw badResponse(request.provider, status, requestIdHeader, 'The answer had a body where none is documented.');
    }
    const body = parseJson(text);
    const parsed = body === undefined ? null : request.responseSchema.safeParse(body);
    if (parsed === null || !parsed.success) {
      const what = parsed === null ? 'The answer was not JSON.' : `The answer did not match the documented shape (${issuePaths(parsed.error)}).`;
      throw badResponse(request.provider, status, requestIdHeader, what);
    }
    const failure = request.readFailureInSuccess?.(parsed.data) ?? null;
    if (failure !== null) throw this.errorFromSaid(request, status, headers, failure, requestIdHeader, 'PROVIDER_REJECTED');
    return parsed.data;
  }

  private errorFromAnswer<T>(request: ProviderRequest<T>, status: number, headers: Headers, text: string, requestIdHeader: string | undefined): ProviderError {
    const body = parseJson(text);
    let said: ProviderErrorBody = {};
    try {
      said = body === undefined ? {} : request.readErrorBody(body);
    } catch {
      said = {};
    }
    return this.errorFromSaid(request, status, headers, said, requestIdHeader, codeForStatus(status));
  }

  private errorFromSaid<T>(request: ProviderRequest<T>, status: number, headers: Headers, said: ProviderErrorBody, requestIdHeader: string | undefined, code: ErrorCode): ProviderError {
    const requestId = scrubId(said.requestId ?? requestIdHeader);
    const retryAfterMs = parseRetryAfterMs(headers.get('retry-after'), this.now());
    const retryAfterSeconds = retryAfterMs === null ? undefined : Math.ceil(retryAfterMs / 1000);
    const parts: string[] = [];
    const message = said.message === undefined ? '' : scrubProviderText(said.message, request.secrets);
    parts.push(message === '' ? `${PROVIDER_NAMES[request.provider]} answered HTTP ${status}.` : `${PROVIDER_NAMES[request.provider]} said: “${message}”`);
    if (retryAfterSeconds !== undefined && (status === 429 || status === 503)) parts.push(`It asks to wait ${retryAfterSeconds} s.`);
    if (requestId !== undefined) parts.push(`(request id ${requestId})`);
    return new ProviderError(code, { provider: request.provider, status, requestId, retryAfterSeconds }, parts.join(' '));
  }
}

/** An answer that could not be used; its request id is said, so the provider's support can find it. */
function badResponse(provider: ProviderId, status: number, requestIdHeader: string | undefined, what: string): ProviderError {
  const requestId = scrubId(requestIdHeader);
  return new ProviderError('PROVIDER_BAD_RESPONSE', { provider, status, requestId }, requestId === undefined ? what : `${what} (request id ${requestId})`);
}

/** Where the answer broke the schema, by field path only: values may be codes. */
function issuePaths(error: z.ZodError): string {
  const paths = error.issues.slice(0, 5).map((issue) => (issue.path.length === 0 ? 'the whole answer' : issue.path.map(String).join('.')));
  return [...new Set(paths)].join(', ');
}

/** Request ids are shown to people; anything but a plain id is dropped. */
function scrubId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  return /^[A-Za-z0-9._:-]{1,100}$/.test(id) ? id : undefined;
}
