import { z } from 'zod';
import { errorPayloadSchema } from './errors';

/**
 * What the window sends and sees of provider connections (issue 11). Credentials go in once, with
 * `providers:connect` or `providers:enroll`, and never come back: no output here has a field for
 * them. The one output with codes is a regenerate or fetch whose save failed (`saved: false`): the
 * codes are shown once so they are not lost.
 */
export const providerIdSchema = z.enum(['moonkey', 'stytch', 'misakey', 'arklow']);
export type ProviderIdName = z.infer<typeof providerIdSchema>;

const field = z.string().max(200);

/** Loose here; main checks every field with the provider's own rules (toConnection) and names the bad ones. */
export const connectionFormSchema = z.object({
  provider: providerIdSchema,
  baseUrl: z.string().max(2048).optional(),
  environment: z.enum(['test', 'live']).optional(),
  userId: field.optional(),
  identityId: field.optional(),
  deviceId: field.optional(),
  credentials: z.record(z.string().max(40), z.string().max(4000)).refine((value) => Object.keys(value).length <= 4, 'at most 4 credential fields'),
});
export type ConnectionForm = z.infer<typeof connectionFormSchema>;

/** A connection as the window may see it: no credentials, ever. */
export const connectionSummarySchema = z.object({
  provider: providerIdSchema,
  baseUrl: z.string(),
  environment: z.enum(['test', 'live', 'custom']).optional(),
  /** The user, identity or device id, whichever the provider uses. */
  subjectId: z.string(),
});
export type ConnectionSummary = z.infer<typeof connectionSummarySchema>;

export const providerStateSchema = z.object({
  connected: z.boolean(),
  /** null when not connected, or when the details are sealed and the password has not been typed. */
  connection: connectionSummarySchema.nullable(),
  /** 'password': credentials sealed with the vault password; 'vault-key': a keychain-only vault. */
  protection: z.enum(['password', 'vault-key']),
});
export type ProviderState = z.infer<typeof providerStateSchema>;

export const codesResultSchema = z.discriminatedUnion('saved', [
  z.object({ saved: z.literal(true), count: z.number().int() }),
  /** The provider made new codes but saving them failed: shown once, with `error`, so they are not lost. */
  z.object({ saved: z.literal(false), codes: z.array(z.string()), error: errorPayloadSchema }),
]);
export type CodesResultView = z.infer<typeof codesResultSchema>;

export const signInResultSchema = z.object({ userId: z.string(), sessionCreated: z.boolean(), unusedLeft: z.number().int() });

export const enrollResultSchema = z.object({
  accountId: z.string(),
  codeCount: z.number().int(),
  resumed: z.boolean(),
  /** Misakey finished but saving its backup codes failed: shown once, with `error`, so they are not lost. */
  unsaved: z.object({ codes: z.array(z.string()), error: errorPayloadSchema }).optional(),
});

/** Progress of a provider call, as an event: a retry wait, or an enrollment stage. */
export const providerProgressSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retry-wait'), provider: providerIdSchema, retry: z.number().int(), maxRetries: z.number().int(), waitMs: z.number(), reason: z.enum(['rate-limited', 'unavailable', 'network']) }),
  z.object({ kind: z.literal('enroll-stage'), stage: z.enum(['started', 'account-added', 'finished', 'stored']) }),
]);
export type ProviderProgress = z.infer<typeof providerProgressSchema>;
