import { z } from 'zod';

/** Each preference's type and range, without a default (see settingsPatchSchema for why). */
const settingFields = {
  /** Minutes without activity before the vault locks; 0 = never. */
  autoLockMinutes: z.number().int().min(0).max(24 * 60),
  /** Seconds after a copy before the clipboard is cleared (if it still holds the code); 0 = never. */
  clipboardClearSeconds: z.number().int().min(0).max(600),
  theme: z.enum(['system', 'light', 'dark']),
  /** Codes stay masked until their row is hovered or selected. */
  hideCodes: z.boolean(),
  /** In a period's last seconds, show the code that comes next. */
  showNextCode: z.boolean(),
  sortOrder: z.enum(['manual', 'issuer', 'recent']),
  /** Screenshots and screen sharing see a blank window. */
  contentProtection: z.boolean(),
};

/** The app's preferences. Not secret: stored in plain JSON beside the vault, readable while locked. */
export const settingsSchema = z.object({
  autoLockMinutes: settingFields.autoLockMinutes.default(5),
  clipboardClearSeconds: settingFields.clipboardClearSeconds.default(30),
  theme: settingFields.theme.default('system'),
  hideCodes: settingFields.hideCodes.default(false),
  showNextCode: settingFields.showNextCode.default(true),
  sortOrder: settingFields.sortOrder.default('manual'),
  contentProtection: settingFields.contentProtection.default(true),
});
export type Settings = z.infer<typeof settingsSchema>;
/**
 * A change to some preferences. Built from the fields without defaults: zod 4 applies a default
 * even inside .partial(), so settingsSchema.partial() would turn { hideCodes: true } into a patch
 * that also resets every other preference to its default.
 */
export const settingsPatchSchema = z.object(settingFields).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});
/** How many seconds before a period ends the next code is previewed. */
export const NEXT_CODE_PREVIEW_SECONDS = 5;
