import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { OnRetryWait, ProviderHttpClient } from './http-client';
import { readLooseErrorBody } from './error-bodies';
import { isProviderError, withAddedDetail } from './provider-error';
import { endpointUrl, parseBaseUrl } from './url-policy';

/** From the seeds 000 and 001 (servers[0]). */
export const MOONKEY_DEFAULT_BASE_URL = 'https://api.moonkey.fun';

export interface MoonKeyTarget {
  baseUrl: string;
  /** Secret API key, sk_test_... or sk_live_...; sent as a bearer token. */
  apiKey: string;
}

const nonEmpty = z.string().min(1);

/** 200 of POST /v1/auth/totps/recovery_codes (seed 000). */
export const moonKeyRecoveryCodesSchema = z.object({
  user_id: nonEmpty,
  totps: z
    .array(z.object({ id: nonEmpty, verified: z.boolean(), recovery_codes: z.array(z.string()) }))
    .min(1)
    .refine((totps) => new Set(totps.map((totp) => totp.id)).size === totps.length, 'totps must be unique'),
});
export type MoonKeyRecoveryCodes = z.infer<typeof moonKeyRecoveryCodesSchema>;

const sessionFactorSchema = z.object({
  delivery_channel: nonEmpty,
  type: nonEmpty,
  method: z.looseObject({ method_id: nonEmpty, method_type: nonEmpty, last_verified_at: z.number() }),
});

/** components.schemas.Session of seed 001. */
export const moonKeySessionSchema = z.object({
  id: nonEmpty,
  user_id: nonEmpty,
  session_token: nonEmpty,
  started_at: z.number(),
  expires_at: z.number(),
  last_active_at: z.number(),
  factors: z.array(sessionFactorSchema).min(1),
  // The schema says ip has minLength 1, but the seed's own example answers ip: '' (and so would
  // MoonKey): a sign-in that spent the code must not be reported as a bad answer over that.
  device_fingerprint: z.object({ user_agent: z.string(), ip: z.string() }),
  updated_at: z.number(),
  created_at: z.number(),
});

/** 200 of POST /v1/auth/totps/recovery (seed 001). */
export const moonKeyRecoverySignInSchema = z.object({
  totp_id: nonEmpty,
  user_id: nonEmpty,
  session_token: nonEmpty.optional(),
  session_jwt: nonEmpty.optional(),
  session: moonKeySessionSchema.optional(),
});
export type MoonKeyRecoverySignIn = z.infer<typeof moonKeyRecoverySignInSchema>;

export interface RecoverySignInOptions {
  /** Minutes, 5 to 525600 (seed 001); without it no session is created. */
  sessionExpiresIn?: number;
  onRetryWait?: OnRetryWait;
}

/** MoonKey (formerly Streambird) TOTP recovery-code endpoints. */
export class MoonKeyApi {
  private readonly base: URL;

  constructor(private readonly client: ProviderHttpClient, private readonly target: MoonKeyTarget) {
    this.base = parseBaseUrl(target.baseUrl);
    if (target.apiKey.trim() === '') throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The API key is empty.');
  }

  /** POST /v1/auth/totps/recovery_codes: reads the codes; changes nothing, so it may be retried. */
  async getRecoveryCodes(userId: string, options: { onRetryWait?: OnRetryWait } = {}): Promise<MoonKeyRecoveryCodes> {
    return this.client.send({
      provider: 'moonkey',
      method: 'POST',
      url: endpointUrl(this.base, '/v1/auth/totps/recovery_codes'),
      headers: this.authHeaders(),
      body: { user_id: requireId(userId) },
      idempotent: true,
      secrets: [this.target.apiKey],
      responseSchema: moonKeyRecoveryCodesSchema,
      readErrorBody: readLooseErrorBody,
      onRetryWait: options.onRetryWait,
    });
  }

  /**
   * POST /v1/auth/totps/recovery: signs in with (and so spends) a recovery code. The body follows
   * the schema's `recovery_code`; the seed's example says `totp`, which the schema does not have.
   * Never resent once it may have reached MoonKey; a lost answer becomes PROVIDER_OUTCOME_UNKNOWN.
   */
  async signInWithRecoveryCode(userId: string, recoveryCode: string, options: RecoverySignInOptions = {}): Promise<MoonKeyRecoverySignIn> {
    if (recoveryCode.trim() === '') throw new LatchkeyError('INVALID_INPUT', 'The recovery code is empty.');
    const minutes = options.sessionExpiresIn;
    if (minutes !== undefined && !(Number.isFinite(minutes) && minutes >= 5 && minutes <= 525_600)) {
      throw new LatchkeyError('INVALID_INPUT', 'A session must last between 5 and 525600 minutes.');
    }
    try {
      return await this.client.send({
        provider: 'moonkey',
        method: 'POST',
        url: endpointUrl(this.base, '/v1/auth/totps/recovery'),
        headers: this.authHeaders(),
        body: { user_id: requireId(userId), recovery_code: recoveryCode, ...(minutes === undefined ? {} : { session_expires_in: minutes }) },
        idempotent: false,
        secrets: [this.target.apiKey, recoveryCode],
        responseSchema: moonKeyRecoverySignInSchema,
        readErrorBody: readLooseErrorBody,
        onRetryWait: options.onRetryWait,
      });
    } catch (error) {
      if (isProviderError(error) && error.requestMayHaveArrived) {
        throw withAddedDetail(error, 'The recovery code may have been spent.', 'PROVIDER_OUTCOME_UNKNOWN');
      }
      throw error;
    }
  }

  private authHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.target.apiKey}` };
  }
}

function requireId(id: string): string {
  if (id.trim() === '' || id.length > 200) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The user id is missing or too long.');
  return id;
}
