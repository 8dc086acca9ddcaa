import { z } from 'zod';
import { NEXT_CODE_PREVIEW_SECONDS, SETTINGS_DEFAULTS } from './settings-defaults';

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
  autoLockMinutes: settingFields.autoLockMinutes.default(SETTINGS_DEFAULTS.autoLockMinutes),
  clipboardClearSeconds: settingFields.clipboardClearSeconds.default(SETTINGS_DEFAULTS.clipboardClearSeconds),
  theme: settingFields.theme.default(SETTINGS_DEFAULTS.theme),
  hideCodes: settingFields.hideCodes.default(SETTINGS_DEFAULTS.hideCodes),
  showNextCode: settingFields.showNextCode.default(SETTINGS_DEFAULTS.showNextCode),
  sortOrder: settingFields.sortOrder.default(SETTINGS_DEFAULTS.sortOrder),
  contentProtection: settingFields.contentProtection.default(SETTINGS_DEFAULTS.contentProtection),
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
export { NEXT_CODE_PREVIEW_SECONDS };
