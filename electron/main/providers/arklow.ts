import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { OnRetryWait, ProviderErrorBody, ProviderHttpClient } from './http-client';
import { ProviderError } from './provider-error';
import { endpointUrl, parseBaseUrl } from './url-policy';

/** From seed 004 (servers[0]; servers[1] is Arklow's local development server). */
export const ARKLOW_DEFAULT_BASE_URL = 'https://api.arklow.io';

export interface ArklowTarget {
  baseUrl: string;
  /** Sent in the x-arklow-auth header. */
  apiKey: string;
}

export const arklowDeviceIdSchema = z.string().regex(/^[0-9]+$/, 'a device id is digits only').max(30);

const dateTime = z.iso.datetime({ offset: true });
const errorsSchema = z.array(z.object({ code: z.string().max(200), message: z.string().max(10_000) })).nullable();

/** The {data, errors} envelope of POST /v1/self/mfa/regenerate/totp (seed 004). */
export const arklowRegenerateSchema = z.object({
  data: z
    .object({
      device: z.object({
        id: z.string(),
        user_id: z.string(),
        name: z.string().min(1).max(64),
        device_type: z.literal('totp'),
        confirmed_at: dateTime.nullable(),
        last_used_at: dateTime.nullable(),
        updated_at: dateTime,
        deleted_at: dateTime.nullable(),
      }),
      backup_codes: z.array(z.string()),
      session_mfa_not_after: dateTime,
    })
    .nullable(),
  errors: errorsSchema,
});
export type ArklowRegenerate = z.infer<typeof arklowRegenerateSchema>;
export type ArklowBackupCodes = NonNullable<ArklowRegenerate['data']>;

const errorEnvelopeSchema = z.object({ errors: errorsSchema });

export function readArklowErrorBody(body: unknown): ProviderErrorBody {
  const parsed = errorEnvelopeSchema.safeParse(body);
  const first = parsed.success ? parsed.data.errors?.[0] : undefined;
  return first === undefined ? {} : { message: `${first.message} (${first.code})` };
}

/** Arklow MFA backup codes. */
export class ArklowApi {
  private readonly base: URL;

  constructor(private readonly client: ProviderHttpClient, private readonly target: ArklowTarget) {
    this.base = parseBaseUrl(target.baseUrl);
    if (!/^[\x21-\x7e]+$/.test(target.apiKey)) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The API key is empty or not printable.');
  }

  /**
   * POST /v1/self/mfa/regenerate/totp: a new set of backup codes for the device; the old set stops
   * working. A 200 whose envelope has errors and no data is a failure too.
   */
  async regenerateBackupCodes(deviceId: string, options: { onRetryWait?: OnRetryWait } = {}): Promise<ArklowBackupCodes> {
    const device = arklowDeviceIdSchema.safeParse(deviceId);
    if (!device.success) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The device id must be digits only.');
    const envelope = await this.client.send({
      provider: 'arklow',
      method: 'POST',
      url: endpointUrl(this.base, '/v1/self/mfa/regenerate/totp'),
      headers: { 'x-arklow-auth': this.target.apiKey },
      body: { device_id: device.data },
      idempotent: true,
      secrets: [this.target.apiKey],
      responseSchema: arklowRegenerateSchema,
      readErrorBody: readArklowErrorBody,
      // A 200 whose envelope has errors and no data: the client words it with the request id.
      readFailureInSuccess: (answer) => (answer.data === null && (answer.errors?.length ?? 0) > 0 ? readArklowErrorBody(answer) : null),
      onRetryWait: options.onRetryWait,
    });
    if (envelope.data !== null) return envelope.data;
    throw new ProviderError('PROVIDER_BAD_RESPONSE', { provider: 'arklow', status: 200 }, 'The answer had neither codes nor errors.');
  }
}
