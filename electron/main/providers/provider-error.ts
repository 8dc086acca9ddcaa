import { type ErrorCode, LatchkeyError } from '../../../shared/errors';

export type ProviderId = 'moonkey' | 'stytch' | 'misakey' | 'arklow';

export const PROVIDER_NAMES: Record<ProviderId, string> = {
  moonkey: 'MoonKey',
  stytch: 'Stytch',
  misakey: 'Misakey',
  arklow: 'Arklow',
};

export interface ProviderErrorFacts {
  provider: ProviderId;
  /** HTTP status, when the provider answered at all. */
  status?: number;
  /** The provider's request id, kept so a person can quote it to the provider's support. */
  requestId?: string;
  /** True when the request may have reached the provider before the failure (timeout, reset). */
  requestMayHaveArrived?: boolean;
  /** Seconds the provider asked us to wait (Retry-After), when it said so. */
  retryAfterSeconds?: number;
}

/**
 * A failed provider call. The message is the shared sentence plus a detail built only from the
 * provider's (scrubbed) error text and request id: never a credential, a code or a token.
 */
export class ProviderError extends LatchkeyError {
  readonly provider: ProviderId;
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly requestMayHaveArrived: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** The part of the message after the shared sentence, so a caller can add to it. */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, facts: ProviderErrorFacts, detail?: string) {
    super(code, detail);
    this.detail = detail;
    this.name = 'ProviderError';
    this.provider = facts.provider;
    this.status = facts.status;
    this.requestId = facts.requestId;
    this.requestMayHaveArrived = facts.requestMayHaveArrived ?? false;
    this.retryAfterSeconds = facts.retryAfterSeconds;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

/** The error code for an HTTP status the provider answered with. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'PROVIDER_UNAUTHORIZED';
  if (status === 404) return 'PROVIDER_NOT_FOUND';
  if (status === 429) return 'PROVIDER_RATE_LIMITED';
  if (status === 503) return 'PROVIDER_UNAVAILABLE';
  if (status >= 500) return 'PROVIDER_SERVER_ERROR';
  if (status >= 400) return 'PROVIDER_REJECTED';
  return 'PROVIDER_BAD_RESPONSE';
}

/** The same failure with a sentence added (what it means for the caller's action). */
export function withAddedDetail(error: ProviderError, more: string, code: ErrorCode = error.code): ProviderError {
  return new ProviderError(code, error, error.detail === undefined ? more : `${error.detail} ${more}`);
}

/** A vault save's failure as a LatchkeyError, to report beside codes the provider already issued or spent. */
export function asSaveError(error: unknown): LatchkeyError {
  return error instanceof LatchkeyError ? error : new LatchkeyError('IO_ERROR');
}
