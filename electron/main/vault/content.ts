import { z } from 'zod';
import { algorithmSchema, MAX_DIGITS, MAX_NOTES, MAX_TEXT, otpTypeSchema, STEAM_DIGITS } from '../../../shared/domain';

/** An account as stored inside the encrypted content: the only shape that holds a secret. */
export const storedAccountSchema = z.object({
  id: z.string().uuid(),
  type: otpTypeSchema,
  /** Normalized base32 (RFC 4648, upper case, no padding). */
  secret: z.string().min(1).regex(/^[A-Z2-7]+$/),
  issuer: z.string().max(MAX_TEXT),
  label: z.string().max(MAX_TEXT),
  algorithm: algorithmSchema,
  digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS),
  period: z.number().int().min(1).max(86_400),
  counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  group: z.string().max(MAX_TEXT).nullable(),
  notes: z.string().max(MAX_NOTES),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
});
export type StoredAccount = z.infer<typeof storedAccountSchema>;

export const CONTENT_SCHEMA_VERSION = 1;

/** Unknown top-level fields are kept, so a later addition survives a save by this reader. */
export const vaultContentSchema = z.looseObject({
  schema: z.literal(CONTENT_SCHEMA_VERSION),
  accounts: z.array(storedAccountSchema),
});
export type VaultContent = z.infer<typeof vaultContentSchema>;

export function emptyContent(): VaultContent {
  return { schema: CONTENT_SCHEMA_VERSION, accounts: [] };
}
