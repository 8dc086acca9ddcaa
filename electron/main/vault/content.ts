import { z } from 'zod';
import { algorithmSchema, MAX_DIGITS, MAX_NOTES, MAX_TEXT, otpTypeSchema, STEAM_DIGITS } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { kdfParamsSchema } from './format';

/**
 * The decrypted vault content, as docs/vault-format.md ("Content") specifies. Schema 2 is written;
 * schema 1 (before backup codes) is read and upgraded in memory on open.
 */

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/** The fields of an account in every schema. */
const accountFields = {
  id: z.string().uuid(),
  type: otpTypeSchema,
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
};

/** Normalized base32 (RFC 4648, upper case, no padding). */
const secretSchema = z.string().min(1).regex(/^[A-Z2-7]+$/);

/** An account as stored inside the encrypted content: the only shape that holds a secret. */
export const storedAccountSchema = z.object({
  ...accountFields,
  /** null: an entry with backup codes and no OTP secret (its login codes live elsewhere). */
  secret: secretSchema.nullable(),
});
export type StoredAccount = z.infer<typeof storedAccountSchema>;

export const MAX_CODES_PER_SET = 100;
export const MAX_CODE_LENGTH = 64;
/** Far more than anyone keeps; a bound on what a damaged or hostile file can make us hold. */
export const MAX_RECOVERY_SETS = 10_000;

export const recoverySourceSchema = z.enum(['pasted', 'file', 'provider']);
export type RecoverySource = z.infer<typeof recoverySourceSchema>;
export const codeUseSchema = z.enum(['copied', 'marked', 'provider']);
export type CodeUse = z.infer<typeof codeUseSchema>;

export const recoveryCodeTextSchema = z.string().min(1).max(MAX_CODE_LENGTH);

/** How one code was spent; null in `usage` when it was not. */
export const codeUsageSchema = z.object({ usedAt: z.number().int(), how: codeUseSchema }).nullable();
export type CodeUsage = z.infer<typeof codeUsageSchema>;

export const storedRecoverySetSchema = z
  .object({
    id: z.string().uuid(),
    accountId: z.string().uuid(),
    source: recoverySourceSchema,
    createdAt: z.number().int(),
    /** null while the set is the account's current one. */
    supersededAt: z.number().int().nullable(),
    count: z.number().int().min(1).max(MAX_CODES_PER_SET),
    /** Plain without a password slot; sealed to the seal's public key with one. */
    codes: z.union([
      z.object({ plain: z.array(recoveryCodeTextSchema).min(1).max(MAX_CODES_PER_SET) }),
      z.object({ sealed: base64.max(64 * 1024) }),
    ]),
    usage: z.array(codeUsageSchema).max(MAX_CODES_PER_SET),
  })
  .refine((set) => set.usage.length === set.count, { message: 'usage must have one entry per code' })
  .refine((set) => !('plain' in set.codes) || set.codes.plain.length === set.count, { message: 'count must match the codes' });
export type StoredRecoverySet = z.infer<typeof storedRecoverySetSchema>;

/** The password seal: an X25519 key pair whose secret key only the password unwraps. */
export const recoverySealSchema = z.object({
  publicKey: base64,
  kdf: kdfParamsSchema,
  nonce: base64,
  wrappedSecretKey: base64,
});
export type RecoverySeal = z.infer<typeof recoverySealSchema>;

export const recoveryContentSchema = z.object({
  seal: recoverySealSchema.nullable(),
  sets: z.array(storedRecoverySetSchema).max(MAX_RECOVERY_SETS),
});
export type RecoveryContent = z.infer<typeof recoveryContentSchema>;

/**
 * Provider connections and started Misakey enrollments (issue 11), one JSON text each: plain under
 * the vault key alone, or sealed to the recovery seal's public key like backup codes (see
 * docs/vault-format.md "Providers"). The providers module parses the JSON with its own schemas.
 */
const providerEntryDataSchema = z.union([z.object({ plain: z.string().max(64 * 1024) }), z.object({ sealed: base64.max(96 * 1024) })]);
export type ProviderEntryData = z.infer<typeof providerEntryDataSchema>;
export const MAX_PROVIDER_ENTRIES = 10_000;
export const providersContentSchema = z.object({
  connections: z.array(z.object({ accountId: z.string().min(1).max(200), data: providerEntryDataSchema })).max(MAX_PROVIDER_ENTRIES),
  enrollments: z.array(z.object({ identityId: z.string().min(1).max(200), data: providerEntryDataSchema })).max(MAX_PROVIDER_ENTRIES),
});
export type ProvidersContent = z.infer<typeof providersContentSchema>;

export const CONTENT_SCHEMA_VERSION = 2;

/** Unknown top-level fields are kept, so a later addition survives a save by this reader. */
export const vaultContentSchema = z.looseObject({
  schema: z.literal(CONTENT_SCHEMA_VERSION),
  accounts: z.array(storedAccountSchema),
  recovery: recoveryContentSchema,
  /** Optional: absent until the first provider connection (older readers keep it as an unknown field). */
  providers: providersContentSchema.optional(),
});
export type VaultContent = z.infer<typeof vaultContentSchema>;

/** Schema 1: every account has a secret, and there are no backup codes. */
const contentV1Schema = z.looseObject({
  schema: z.literal(1),
  accounts: z.array(z.object({ ...accountFields, secret: secretSchema })),
});

export function emptyContent(): VaultContent {
  return { schema: CONTENT_SCHEMA_VERSION, accounts: [], recovery: emptyRecovery() };
}

function emptyRecovery(): RecoveryContent {
  return { seal: null, sets: [] };
}

/**
 * Reads decrypted content of any known schema into the current shape. Schema 1 gains an empty
 * recovery section and nothing else changes; it is written as schema 2 on the next save.
 */
export function parseContent(json: unknown): VaultContent {
  const schema = typeof json === 'object' && json !== null ? (json as { schema?: unknown }).schema : undefined;
  if (typeof schema === 'number' && Number.isInteger(schema) && schema > CONTENT_SCHEMA_VERSION) {
    throw new LatchkeyError('UNSUPPORTED_VAULT_VERSION', `Its content is of schema ${schema}; this Latchkey reads up to ${CONTENT_SCHEMA_VERSION}.`);
  }
  if (schema === 1) {
    const v1 = contentV1Schema.safeParse(json);
    if (!v1.success) throw new LatchkeyError('VAULT_CORRUPT', 'Its content is not of the expected form.');
    return upgradeFromV1(v1.data);
  }
  const parsed = vaultContentSchema.safeParse(json);
  if (!parsed.success || !recoveryIsConsistent(parsed.data)) throw new LatchkeyError('VAULT_CORRUPT', 'Its content is not of the expected form.');
  return parsed.data;
}

function upgradeFromV1(v1: z.infer<typeof contentV1Schema>): VaultContent {
  return { ...v1, schema: CONTENT_SCHEMA_VERSION, recovery: emptyRecovery() };
}

/** Sets belong to existing accounts, ids are unique, at most one current set per account, sealed sets need a seal. */
function recoveryIsConsistent(content: VaultContent): boolean {
  const accountIds = new Set(content.accounts.map((account) => account.id));
  if (accountIds.size !== content.accounts.length) return false;
  const setIds = new Set<string>();
  const withCurrent = new Set<string>();
  for (const set of content.recovery.sets) {
    if (!accountIds.has(set.accountId) || setIds.has(set.id)) return false;
    setIds.add(set.id);
    if ('sealed' in set.codes && content.recovery.seal === null) return false;
    if (set.supersededAt === null) {
      if (withCurrent.has(set.accountId)) return false;
      withCurrent.add(set.accountId);
    }
  }
  return true;
}
