import { z } from 'zod';

export const otpTypeSchema = z.enum(['totp', 'hotp', 'steam']);
export type OtpType = z.infer<typeof otpTypeSchema>;

export const algorithmSchema = z.enum(['SHA1', 'SHA256', 'SHA512']);
export type Algorithm = z.infer<typeof algorithmSchema>;

export const MIN_DIGITS = 6;
export const MAX_DIGITS = 10;
export const STEAM_DIGITS = 5;
export const MAX_TEXT = 256;
export const MAX_NOTES = 10_000;

/** The parameters that make an OTP generator, without the secret. */
export const otpParamsSchema = z.object({
  type: otpTypeSchema,
  algorithm: algorithmSchema,
  digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS),
  period: z.number().int().min(1).max(86_400),
  counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type OtpParams = z.infer<typeof otpParamsSchema>;

/**
 * What the renderer and the CLI see of an account: everything but the secret.
 * This is the only account shape that travels over IPC.
 */
export const accountSummarySchema = otpParamsSchema.extend({
  id: z.string().uuid(),
  issuer: z.string().max(MAX_TEXT),
  label: z.string().max(MAX_TEXT),
  group: z.string().max(MAX_TEXT).nullable(),
  notes: z.string().max(MAX_NOTES),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
  /** False for an entry that holds backup codes only: it has no live code. */
  hasOtp: z.boolean(),
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

/** An editable subset of an account. */
export const accountEditSchema = z
  .object({
    issuer: z.string().trim().max(MAX_TEXT),
    label: z.string().trim().max(MAX_TEXT),
    group: z.string().trim().max(MAX_TEXT).nullable(),
    notes: z.string().max(MAX_NOTES),
  })
  .partial();
export type AccountEdit = z.infer<typeof accountEditSchema>;

/** A new account typed in by hand; `secret` is base32 as a person types it. */
export const newAccountSchema = z.object({
  type: otpTypeSchema,
  secret: z.string().min(1).max(1024),
  issuer: z.string().trim().max(MAX_TEXT).default(''),
  label: z.string().trim().max(MAX_TEXT).default(''),
  algorithm: algorithmSchema.default('SHA1'),
  digits: z.number().int().min(STEAM_DIGITS).max(MAX_DIGITS).default(6),
  period: z.number().int().min(1).max(86_400).default(30),
  counter: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  group: z.string().trim().max(MAX_TEXT).nullable().default(null),
  notes: z.string().max(MAX_NOTES).default(''),
});
export type NewAccountInput = z.input<typeof newAccountSchema>;
export type NewAccount = z.output<typeof newAccountSchema>;

export const codeSchema = z.object({
  id: z.string(),
  issuer: z.string(),
  label: z.string(),
  code: z.string(),
  /** Unix ms when this code stops being valid; null for HOTP (valid until used). */
  expiresAt: z.number().nullable(),
  /** The code of the next period (TOTP/Steam) when asked for, for the preview in the last seconds. */
  nextCode: z.string().nullable(),
});
export type Code = z.infer<typeof codeSchema>;

export const vaultStateSchema = z.enum(['missing', 'locked', 'unlocked']);
export const vaultStatusSchema = z.object({
  state: vaultStateSchema,
  hasPasswordSlot: z.boolean(),
  hasKeychainSlot: z.boolean(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

/** An account a link or QR code would add, without its secret. */
export const accountPreviewSchema = otpParamsSchema.extend({
  issuer: z.string().max(MAX_TEXT),
  label: z.string().max(MAX_TEXT),
  /** The saved account that already has this secret, if any. */
  duplicateOf: z.object({ id: z.string(), issuer: z.string(), label: z.string() }).nullable(),
});
export type AccountPreview = z.infer<typeof accountPreviewSchema>;

/** Where a scan stands: what it found and what is still missing. Held in main; no secret here. */
export const scanStateSchema = z.object({
  /** One account link, several (a picture with many codes), or a Google Authenticator export. */
  kind: z.enum(['account', 'accounts', 'migration']),
  accounts: z.array(accountPreviewSchema),
  /** Google exports spanning several codes: the 1-based parts still to scan. */
  missingParts: z.array(z.object({ batchSize: z.number(), parts: z.array(z.number()) })),
  complete: z.boolean(),
});
export type ScanState = z.infer<typeof scanStateSchema>;

/** A QR image of secrets, shown for a limited time. */
export const qrRevealSchema = z.object({
  /** data:image/png URLs, one per code. */
  images: z.array(z.string()),
  expiresAt: z.number(),
});
export type QrReveal = z.infer<typeof qrRevealSchema>;

/** A screen or window that can be captured to read a QR code on it. */
export const screenSourceSchema = z.object({
  id: z.string().max(256),
  name: z.string().max(512),
  /** A small preview (data:image/png URL) for the picker. */
  thumbnail: z.string(),
});
export type ScreenSource = z.infer<typeof screenSourceSchema>;
