import { z } from 'zod';

/** The app's preferences. Not secret: stored in plain JSON beside the vault, readable while locked. */
export const settingsSchema = z.object({
  /** Minutes without activity before the vault locks; 0 = never. */
  autoLockMinutes: z.number().int().min(0).max(24 * 60).default(5),
  /** Seconds after a copy before the clipboard is cleared (if it still holds the code); 0 = never. */
  clipboardClearSeconds: z.number().int().min(0).max(600).default(30),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  /** Codes stay masked until their row is hovered or selected. */
  hideCodes: z.boolean().default(false),
  /** In a period's last seconds, show the code that comes next. */
  showNextCode: z.boolean().default(true),
  sortOrder: z.enum(['manual', 'issuer', 'recent']).default('manual'),
  /** Screenshots and screen sharing see a blank window. */
  contentProtection: z.boolean().default(true),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
/** How many seconds before a period ends the next code is previewed. */
export const NEXT_CODE_PREVIEW_SECONDS = 5;
