import { z } from 'zod';

/**
 * What the window and the CLI see of backup codes without revealing them: counts, dates and
 * used/unused states. Code texts travel only in the explicit reveal result (`revealedCodesSchema`).
 */

export const recoverySourceSchema = z.enum(['pasted', 'file', 'provider']);
export const codeUseSchema = z.enum(['copied', 'marked', 'provider']);

export const recoveryCodeStateSchema = z.object({
  index: z.number().int().min(0),
  used: z.boolean(),
  usedAt: z.number().int().nullable(),
  how: codeUseSchema.nullable(),
});
export type RecoveryCodeState = z.infer<typeof recoveryCodeStateSchema>;

export const recoverySetSummarySchema = z.object({
  id: z.string().uuid(),
  accountId: z.string().uuid(),
  source: recoverySourceSchema,
  createdAt: z.number().int(),
  current: z.boolean(),
  supersededAt: z.number().int().nullable(),
  count: z.number().int(),
  unused: z.number().int(),
  codes: z.array(recoveryCodeStateSchema),
});
export type RecoverySetSummary = z.infer<typeof recoverySetSummarySchema>;

/** Why an account may lock its owner out: no codes at all, none left, two or fewer, or a set over a year old. */
export const recoveryWarningSchema = z.enum(['none-at-all', 'none-left', 'low', 'old']);
export type RecoveryWarning = z.infer<typeof recoveryWarningSchema>;

export const LOW_CODES = 2;
export const OLD_SET_MS = 365 * 24 * 60 * 60 * 1000;

export const accountRecoverySchema = z.object({
  accountId: z.string().uuid(),
  /** Unused codes of the current set. */
  unused: z.number().int(),
  /** Codes of the current set; 0 without one. */
  total: z.number().int(),
  currentSetId: z.string().uuid().nullable(),
  warnings: z.array(recoveryWarningSchema),
  sets: z.array(recoverySetSummarySchema),
});
export type AccountRecovery = z.infer<typeof accountRecoverySchema>;

/**
 * How the codes are protected: `password` (sealed; revealing needs the password), `keychain-only`
 * (no password slot: the keychain alone protects them), `needs-password` (a password slot but no
 * seal yet: the password must be typed once before codes can be added).
 */
export const recoveryStatusSchema = z.object({
  protection: z.enum(['password', 'keychain-only', 'needs-password']),
  /** The password was typed recently and the codes can be revealed without asking again. */
  unsealedUntil: z.number().int().nullable(),
});
export type RecoveryStatus = z.infer<typeof recoveryStatusSchema>;

/** The explicit reveal result: the one recovery type with code texts in it. */
export const revealedCodesSchema = z.object({
  setId: z.string().uuid(),
  codes: z.array(z.object({ index: z.number().int(), code: z.string(), used: z.boolean() })),
});
export type RevealedCodes = z.infer<typeof revealedCodesSchema>;

/** What was recognised in text the window sent, shown before anything is saved. */
export const recognisedCodesSchema = z.object({
  codes: z.array(z.string()),
  from: z.enum(['text', 'json']),
  skippedLines: z.number().int(),
  duplicates: z.number().int(),
});
export type RecognisedCodesPreview = z.infer<typeof recognisedCodesSchema>;
