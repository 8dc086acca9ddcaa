import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { OnRetryWait, ProviderHttpClient } from './http-client';
import { readLooseErrorBody } from './error-bodies';
import { endpointUrl, parseBaseUrl } from './url-policy';

/** From seed 003. */
export const MISAKEY_DEFAULT_BASE_URL = 'https://api.misakey.com';

export interface MisakeyTarget {
  baseUrl: string;
  /** Opaque access token, sent as the `accesstoken` cookie with `tokentype=bearer`. */
  accessToken: string;
  /** Sent as X-CSRF-Token on every call. */
  csrfToken: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const misakeyUuidSchema = z.string().regex(UUID, 'not a uuid');

/** A QR image of a TOTP link is a few KB; this is generous and still bounded. */
const MAX_QR_BASE64 = 512 * 1024;

/** 200 of GET /identities/:id/totp/enroll. */
export const misakeyEnrollStartSchema = z.object({
  id: misakeyUuidSchema,
  base64_image: z.string().min(1).max(MAX_QR_BASE64),
});
export type MisakeyEnrollStart = z.infer<typeof misakeyEnrollStartSchema>;

/** 200 of POST /identities/:id/totp/enroll and of POST /identities/:id/totp/recovery-codes. */
export const misakeyRecoveryCodesSchema = z.object({ recovery_codes: z.array(z.string().min(1).max(200)).min(1).max(100) });
export type MisakeyRecoveryCodes = z.infer<typeof misakeyRecoveryCodesSchema>;

interface CallOptions {
  onRetryWait?: OnRetryWait;
}

/** Misakey TOTP enrollment and recovery codes, authenticated by cookie plus CSRF header. */
export class MisakeyApi {
  private readonly base: URL;

  constructor(private readonly client: ProviderHttpClient, private readonly target: MisakeyTarget) {
    this.base = parseBaseUrl(target.baseUrl);
    // Cookie values cannot hold separators; a token with them is not one Misakey issued.
    if (!/^[\x21-\x7e]+$/.test(target.accessToken) || /[;,"\\]/.test(target.accessToken)) {
      throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The access token is empty or has characters a cookie cannot carry.');
    }
    if (!/^[\x21-\x7e]+$/.test(target.csrfToken)) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The CSRF token is empty or not printable.');
  }

  /** GET .../totp/enroll: starts an enrollment; a new start only opens a new flow, so it may be retried. */
  async startEnrollment(identityId: string, options: CallOptions = {}): Promise<MisakeyEnrollStart> {
    return this.send('GET', identityId, '/totp/enroll', undefined, misakeyEnrollStartSchema, true, [], options);
  }

  /** POST .../totp/enroll: finishes with a current code; a one-time step, so never resent after it may have arrived. */
  async finishEnrollment(identityId: string, enrollmentId: string, code: string, options: CallOptions = {}): Promise<MisakeyRecoveryCodes> {
    const id = misakeyUuidSchema.safeParse(enrollmentId);
    if (!id.success) throw new LatchkeyError('INVALID_INPUT', 'The enrollment id is not a uuid.');
    if (!/^\d{6,10}$/.test(code)) throw new LatchkeyError('INVALID_INPUT', 'The code must be 6 to 10 digits.');
    return this.send('POST', identityId, '/totp/enroll', { id: id.data, code }, misakeyRecoveryCodesSchema, false, [code], options);
  }

  /**
   * POST .../totp/recovery-codes: erases the old set and returns a new one. Sending it twice only
   * replaces a set nobody has seen, so it may be retried.
   */
  async regenerateRecoveryCodes(identityId: string, options: CallOptions = {}): Promise<MisakeyRecoveryCodes> {
    return this.send('POST', identityId, '/totp/recovery-codes', undefined, misakeyRecoveryCodesSchema, true, [], options);
  }

  /** DELETE .../totp: 204 No Content. */
  async deleteTotpSecret(identityId: string, options: CallOptions = {}): Promise<void> {
    await this.send('DELETE', identityId, '/totp', undefined, null, true, [], options);
  }

  private send<T>(
    method: 'GET' | 'POST' | 'DELETE',
    identityId: string,
    suffix: string,
    body: unknown,
    responseSchema: z.ZodType<T> | null,
    idempotent: boolean,
    extraSecrets: string[],
    options: CallOptions,
  ): Promise<T> {
    const identity = misakeyUuidSchema.safeParse(identityId);
    if (!identity.success) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The identity id is not a uuid.');
    return this.client.send({
      provider: 'misakey',
      method,
      url: endpointUrl(this.base, `/identities/${identity.data}${suffix}`),
      headers: {
        cookie: `accesstoken=${this.target.accessToken}; tokentype=bearer`,
        'x-csrf-token': this.target.csrfToken,
      },
      body,
      idempotent,
      secrets: [this.target.accessToken, this.target.csrfToken, ...extraSecrets],
      responseSchema,
      readErrorBody: readLooseErrorBody,
      onRetryWait: options.onRetryWait,
    });
  }
}
