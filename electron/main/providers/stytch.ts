import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { OnRetryWait, ProviderErrorBody, ProviderHttpClient } from './http-client';
import { endpointUrl, parseBaseUrl } from './url-policy';

/** Stytch's two environments live on different hosts. */
export const STYTCH_BASE_URLS = {
  test: 'https://test.stytch.com',
  live: 'https://api.stytch.com',
} as const;
export type StytchEnvironment = keyof typeof STYTCH_BASE_URLS;

export interface StytchTarget {
  baseUrl: string;
  projectId: string;
  secret: string;
}

/** 200 of POST /v1/totps/recovery_codes (seed 002). */
export const stytchRecoveryCodesSchema = z.object({
  status_code: z.number().int(),
  request_id: z.string(),
  user_id: z.string().min(1),
  totps: z.array(z.object({ totp_id: z.string().min(1), verified: z.boolean(), recovery_codes: z.array(z.string()) })),
});
export type StytchRecoveryCodes = z.infer<typeof stytchRecoveryCodesSchema>;

/** The documented error body (400, 404 user_not_found, 429 too_many_requests, 500). */
export const stytchErrorSchema = z.object({
  status_code: z.number().int(),
  request_id: z.string().max(200),
  error_type: z.string().max(200),
  error_message: z.string().max(10_000),
  error_url: z.string().max(2_000).optional(),
});

export function readStytchErrorBody(body: unknown): ProviderErrorBody {
  const parsed = stytchErrorSchema.safeParse(body);
  if (!parsed.success) return {};
  return { message: `${parsed.data.error_message} (${parsed.data.error_type})`, requestId: parsed.data.request_id };
}

/** Stytch TOTP recovery codes, with HTTP basic auth (project id and secret). */
export class StytchApi {
  private readonly base: URL;

  constructor(private readonly client: ProviderHttpClient, private readonly target: StytchTarget) {
    this.base = parseBaseUrl(target.baseUrl);
    if (target.projectId.trim() === '' || target.secret.trim() === '') {
      throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The project id and the secret are both needed.');
    }
    if (target.projectId.includes(':')) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'A project id has no colon.');
  }

  /** POST /v1/totps/recovery_codes: reads the codes of every TOTP of the user; safe to retry. */
  async getRecoveryCodes(userId: string, options: { onRetryWait?: OnRetryWait } = {}): Promise<StytchRecoveryCodes> {
    if (userId.trim() === '' || userId.length > 200) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The user id is missing or too long.');
    const basic = Buffer.from(`${this.target.projectId}:${this.target.secret}`, 'utf8').toString('base64');
    return this.client.send({
      provider: 'stytch',
      method: 'POST',
      url: endpointUrl(this.base, '/v1/totps/recovery_codes'),
      headers: { authorization: `Basic ${basic}` },
      body: { user_id: userId },
      idempotent: true,
      secrets: [this.target.secret, basic],
      responseSchema: stytchRecoveryCodesSchema,
      readErrorBody: readStytchErrorBody,
      onRetryWait: options.onRetryWait,
    });
  }
}
