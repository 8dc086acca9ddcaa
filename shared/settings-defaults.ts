/**
 * The preferences' defaults and the preview window, without zod, so the renderer's bundle needs no
 * schema library (as ipc-channels.ts does for the preload). shared/settings.ts builds its schema
 * defaults from these, so the two cannot disagree.
 */
export const SETTINGS_DEFAULTS = Object.freeze({
  autoLockMinutes: 5,
  clipboardClearSeconds: 30,
  theme: 'system' as 'system' | 'light' | 'dark',
  hideCodes: false,
  showNextCode: true,
  sortOrder: 'manual' as 'manual' | 'issuer' | 'recent',
  contentProtection: true,
});

/** How many seconds before a period ends the next code is previewed. */
export const NEXT_CODE_PREVIEW_SECONDS = 5;
