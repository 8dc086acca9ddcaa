import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import { ARKLOW_DEFAULT_BASE_URL, arklowDeviceIdSchema } from './arklow';
import { MISAKEY_DEFAULT_BASE_URL, misakeyUuidSchema } from './misakey';
import { MOONKEY_DEFAULT_BASE_URL } from './moonkey';
import { STYTCH_BASE_URLS } from './stytch';
import { parseBaseUrl } from './url-policy';
import { connectionSummarySchema, type ConnectionSummary, providerIdSchema } from '../../../shared/providers';

export { providerIdSchema };

const secretText = z.string().trim().min(1).max(1000);
const printableToken = z.string().regex(/^[\x21-\x7e]{1,1000}$/, 'printable characters only, no spaces');
const userIdSchema = z.string().trim().min(1).max(200);

/** https anywhere, plain http only to this computer; checked by the same rule the client applies. */
const baseUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    try {
      parseBaseUrl(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof LatchkeyError ? error.message : 'not a valid address' });
    }
  });

/** The credentials each provider takes, as the CLI reads them from stdin. */
export const moonKeyCredentialsSchema = z.object({ apiKey: printableToken });
export const stytchCredentialsSchema = z.object({ projectId: z.string().regex(/^[^:\s]{1,200}$/, 'no colon or space'), secret: secretText });
export const misakeyCredentialsSchema = z.object({ accessToken: z.string().regex(/^[\x21-\x7e]{1,4000}$/).refine((t) => !/[;,"\\]/.test(t), 'not a cookie value'), csrfToken: printableToken });
export const arklowCredentialsSchema = z.object({ apiKey: printableToken });

/** A stored connection: everything resolved, the base URL always explicit. Lives only in the vault. */
export const providerConnectionSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('moonkey'), baseUrl: baseUrlSchema, userId: userIdSchema, credentials: moonKeyCredentialsSchema }),
  z.object({
    provider: z.literal('stytch'),
    environment: z.enum(['test', 'live', 'custom']),
    baseUrl: baseUrlSchema,
    userId: userIdSchema,
    credentials: stytchCredentialsSchema,
  }),
  z.object({ provider: z.literal('misakey'), baseUrl: baseUrlSchema, identityId: misakeyUuidSchema, credentials: misakeyCredentialsSchema }),
  z.object({ provider: z.literal('arklow'), baseUrl: baseUrlSchema, deviceId: arklowDeviceIdSchema, credentials: arklowCredentialsSchema }),
]);
export type ProviderConnection = z.infer<typeof providerConnectionSchema>;
export type MisakeyConnection = Extract<ProviderConnection, { provider: 'misakey' }>;

/** What a person (or the CLI) enters: the base URL is optional and defaults to the seed's server. */
export const connectionInputSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('moonkey'), baseUrl: baseUrlSchema.optional(), userId: userIdSchema, credentials: moonKeyCredentialsSchema }),
  z.object({
    provider: z.literal('stytch'),
    environment: z.enum(['test', 'live']).optional(),
    baseUrl: baseUrlSchema.optional(),
    userId: userIdSchema,
    credentials: stytchCredentialsSchema,
  }),
  z.object({ provider: z.literal('misakey'), baseUrl: baseUrlSchema.optional(), identityId: misakeyUuidSchema, credentials: misakeyCredentialsSchema }),
  z.object({ provider: z.literal('arklow'), baseUrl: baseUrlSchema.optional(), deviceId: arklowDeviceIdSchema, credentials: arklowCredentialsSchema }),
]);
export type ConnectionInput = z.input<typeof connectionInputSchema>;

/** Validates what was entered and fills in the default server. Field names only in the error, never values. */
export function toConnection(input: unknown): ProviderConnection {
  const parsed = connectionInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.map(String).join('.') || 'provider'))].join(', ');
    throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', `Check: ${fields}.`);
  }
  const value = parsed.data;
  switch (value.provider) {
    case 'moonkey':
      return { ...value, baseUrl: value.baseUrl ?? MOONKEY_DEFAULT_BASE_URL };
    case 'stytch': {
      // An explicit base URL (a self-hosted proxy, a test server) wins over the environment's host.
      const environment = value.baseUrl === undefined ? (value.environment ?? 'test') : 'custom';
      return { ...value, environment, baseUrl: value.baseUrl ?? STYTCH_BASE_URLS[value.environment ?? 'test'] };
    }
    case 'misakey':
      return { ...value, identityId: value.identityId.toLowerCase(), baseUrl: value.baseUrl ?? MISAKEY_DEFAULT_BASE_URL };
    case 'arklow':
      return { ...value, baseUrl: value.baseUrl ?? ARKLOW_DEFAULT_BASE_URL };
  }
}

/** A connection as the window may see it (shared with the IPC contract): no credentials, ever. */
export { connectionSummarySchema, type ConnectionSummary };

export function summarizeConnection(connection: ProviderConnection): ConnectionSummary {
  switch (connection.provider) {
    case 'moonkey':
      return { provider: 'moonkey', baseUrl: connection.baseUrl, subjectId: connection.userId };
    case 'stytch':
      return { provider: 'stytch', baseUrl: connection.baseUrl, environment: connection.environment, subjectId: connection.userId };
    case 'misakey':
      return { provider: 'misakey', baseUrl: connection.baseUrl, subjectId: connection.identityId };
    case 'arklow':
      return { provider: 'arklow', baseUrl: connection.baseUrl, subjectId: connection.deviceId };
  }
}
