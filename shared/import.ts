import { z } from 'zod';
import { algorithmSchema, MAX_TEXT, otpTypeSchema } from './domain';

/**
 * What a Latchkey backup's entry brings besides its secret (no code text, no credential): its
 * current set's size, how many sets in all, its provider connection, in words; for a duplicate, what
 * happens to them (`note`).
 */
export const importExtrasSchema = z.object({
  backupCodes: z.number().int(),
  codeSets: z.number().int(),
  connection: z.string().nullable(),
  description: z.string(),
  note: z.string().nullable(),
});
export type ImportExtrasView = z.infer<typeof importExtrasSchema>;

/** What the window sees of an import: entries without secrets, each with a code to compare. */
export const importPreviewEntrySchema = z.object({
  index: z.number().int(),
  fileName: z.string(),
  format: z.string(),
  issuer: z.string().max(MAX_TEXT),
  label: z.string().max(MAX_TEXT),
  type: otpTypeSchema.nullable(),
  algorithm: algorithmSchema.nullable(),
  digits: z.number().int().nullable(),
  period: z.number().int().nullable(),
  counter: z.number().int().nullable(),
  group: z.string().nullable(),
  code: z.string().nullable(),
  status: z.enum(['new', 'duplicate', 'refused']),
  duplicateOf: z
    .object({
      id: z.string().nullable(),
      issuer: z.string(),
      label: z.string(),
      /** The code settings in which the entry differs from the one with the same secret. */
      differs: z.array(z.enum(['type', 'algorithm', 'digits', 'period'])).optional(),
    })
    .nullable(),
  reason: z.string().nullable(),
  /** A Latchkey backup's backup codes and provider connection (absent for other formats). */
  extras: importExtrasSchema.nullable().optional(),
});
export type ImportPreviewEntryView = z.infer<typeof importPreviewEntrySchema>;

export const importPreviewSchema = z.object({
  files: z.array(z.object({ fileName: z.string(), format: z.string(), formatTitle: z.string() })),
  entries: z.array(importPreviewEntrySchema),
});
export type ImportPreviewView = z.infer<typeof importPreviewSchema>;

export const importReportSchema = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  skippedDuplicates: z.number().int(),
  leftOut: z.number().int(),
  refused: z.array(z.object({ index: z.number().int(), fileName: z.string(), issuer: z.string(), label: z.string(), reason: z.string() })),
  ids: z.array(z.string()),
  /** Backup-code sets and provider connections saved (with new accounts or added to saved ones). */
  backupCodeSets: z.number().int().optional(),
  connections: z.number().int().optional(),
  /** Every entry that brought backup codes or a connection, and what became of them. */
  extras: z.array(z.object({ index: z.number().int(), issuer: z.string(), label: z.string(), accountId: z.string(), outcome: z.string() })).optional(),
});
export type ImportReportView = z.infer<typeof importReportSchema>;

/** One file the window read, base64, at most 16 MiB before encoding. */
export const importFileInputSchema = z.object({
  name: z.string().max(1024),
  data: z.string().max(Math.ceil((16 * 1024 * 1024) / 3) * 4 + 4),
});
