import { z } from 'zod';
import { algorithmSchema, MAX_TEXT, otpTypeSchema } from './domain';

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
});
export type ImportReportView = z.infer<typeof importReportSchema>;

/** One file the window read, base64, at most 16 MiB before encoding. */
export const importFileInputSchema = z.object({
  name: z.string().max(1024),
  data: z.string().max(Math.ceil((16 * 1024 * 1024) / 3) * 4 + 4),
});
