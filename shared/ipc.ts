import { z } from 'zod';
import {
  accountEditSchema,
  accountSummarySchema,
  codeSchema,
  MAX_TEXT,
  newAccountSchema,
  otpParamsSchema,
  qrRevealSchema,
  scanStateSchema,
  screenSourceSchema,
  vaultStatusSchema,
} from './domain';
import { importFileInputSchema, importPreviewSchema, importReportSchema } from './import';
import { settingsPatchSchema, settingsSchema } from './settings';
import { accountRecoverySchema, recognisedCodesSchema, recoverySetSummarySchema, recoveryStatusSchema, revealedCodesSchema } from './recovery';
import { errorPayloadSchema } from './errors';
import { codesResultSchema, connectionFormSchema, connectionSummarySchema, enrollResultSchema, providerProgressSchema, providerStateSchema, signInResultSchema } from './providers';
import { CHANNEL_NAMES, IPC_EVENT_CHANNEL } from './ipc-channels';

const MAX_PASSWORD = 1024;
const MAX_URI = 4096;
const id = z.string().uuid();
const noInput = z.undefined();
const autoBackupStatusSchema = z.object({
  enabled: z.boolean(),
  folder: z.string().nullable(),
  keep: z.number().int(),
  lastBackupAt: z.number().nullable(),
  lastError: z.string().nullable(),
});
const passwordSchema = z.string().min(1, 'The password cannot be empty.').max(MAX_PASSWORD);
/** Pasted or dropped text with backup codes in it; main refuses more than it scans (64 KiB). */
const recoveryTextSchema = z.string().max(256 * 1024);
const codeIndex = z.number().int().min(0).max(999);
/** The most accounts one reveal may show: a Google export's 100 codes of ten (MAX_GOOGLE_EXPORT_ACCOUNTS). */
const MAX_REVEAL_IDS = 1000;
/** A reveal token main issued (base64url of 32 random bytes). */
const revealTokenSchema = z.string().min(1).max(128);

/**
 * The IPC contract: every channel the renderer may invoke, with the schema its input is parsed
 * with in main and the schema of its answer. No schema here has a field for a secret.
 */
export const ipcContract = {
  'vault:status': { input: noInput, output: vaultStatusSchema },
  'vault:create': {
    input: z.object({ password: passwordSchema.nullable(), useKeychain: z.boolean() }),
    output: vaultStatusSchema,
  },
  /** Without a password: through the keychain slot. */
  'vault:unlock': { input: z.object({ password: passwordSchema.optional() }), output: vaultStatusSchema },
  'vault:lock': { input: noInput, output: vaultStatusSchema },
  /** Needs the current password when the vault has one (otherwise main asks the keychain again). */
  'vault:setPassword': { input: z.object({ password: passwordSchema, currentPassword: passwordSchema.optional() }), output: vaultStatusSchema },
  /** Needs the current password when the vault has one. */
  'vault:setKeychainSlot': { input: z.object({ enabled: z.boolean(), currentPassword: passwordSchema.optional() }), output: vaultStatusSchema },

  'accounts:list': { input: noInput, output: z.array(accountSummarySchema) },
  'accounts:add': {
    input: z.object({ account: newAccountSchema, allowDuplicate: z.boolean().default(false) }),
    output: accountSummarySchema,
  },
  'accounts:addUri': {
    input: z.object({ uri: z.string().max(MAX_URI), allowDuplicate: z.boolean().default(false) }),
    output: accountSummarySchema,
  },
  /** Checks a new account as it is typed: every problem, by field. Nothing is saved. */
  'accounts:validate': {
    input: z.object({ account: z.record(z.string(), z.unknown()) }),
    output: z.object({ problems: z.array(z.object({ field: z.string(), message: z.string() })) }),
  },
  /** What an otpauth:// link would add, without the secret, so the user can confirm it. */
  'accounts:previewUri': {
    input: z.object({ uri: z.string().max(MAX_URI) }),
    output: otpParamsSchema.extend({ issuer: z.string().max(MAX_TEXT), label: z.string().max(MAX_TEXT) }),
  },
  'accounts:edit': { input: z.object({ id, changes: accountEditSchema }), output: accountSummarySchema },
  'accounts:remove': { input: z.object({ id }), output: z.null() },
  'accounts:reorder': { input: z.object({ ids: z.array(id).max(100_000) }), output: z.null() },

  /** Codes for the rows in view (all when `ids` is omitted). */
  'codes:get': {
    input: z.object({ ids: z.array(id).max(100_000).optional(), withNext: z.boolean().default(false) }),
    output: z.array(codeSchema),
  },
  'codes:nextHotp': { input: z.object({ id }), output: codeSchema },
  /** Copies the account's current code through the main process, which clears it later. */
  'codes:copy': { input: z.object({ id }), output: z.object({ clearsAt: z.number().nullable() }) },

  /** The text of a QR code the renderer read; main keeps it and answers what it found (no secret). */
  'scan:read': { input: z.object({ text: z.string().max(8192) }), output: scanStateSchema },
  'scan:confirm': {
    input: z.object({ allowDuplicate: z.boolean().default(false) }),
    output: z.object({ added: z.array(accountSummarySchema), skipped: z.number() }),
  },
  'scan:cancel': { input: noInput, output: z.null() },
  /** Screens and windows to capture, for a QR code shown on screen. */
  'screen:sources': { input: noInput, output: z.array(screenSourceSchema) },
  /** One capture of a source at full size, as a PNG data URL; it is never written to disk. */
  'screen:capture': { input: z.object({ sourceId: z.string().max(256) }), output: z.object({ image: z.string() }) },
  /** With a token from accounts:requestQrReveal: the account as a QR code, to move it to a phone. */
  'accounts:showQr': { input: z.object({ id, token: revealTokenSchema }), output: qrRevealSchema },
  /** With a token from accounts:requestQrReveal: Google Authenticator export codes for these accounts. */
  'accounts:exportGoogleQr': { input: z.object({ ids: z.array(id).min(1).max(MAX_REVEAL_IDS), token: revealTokenSchema }), output: qrRevealSchema },

  'settings:get': { input: noInput, output: settingsSchema },
  'settings:set': { input: settingsPatchSchema, output: settingsSchema },
  /** The user did something in the window: the auto-lock timer starts again. */
  'app:activity': { input: noInput, output: z.null() },

  // Backup codes (electron/main/recovery). Counts and states only, except 'recovery:reveal' and
  // 'recovery:recognise' (which answers with the codes found in the text this window just sent).
  'recovery:status': { input: noInput, output: recoveryStatusSchema },
  'recovery:overview': { input: noInput, output: z.array(accountRecoverySchema) },
  'recovery:recognise': { input: z.object({ text: recoveryTextSchema }), output: recognisedCodesSchema },
  'recovery:add': {
    input: z.object({ accountId: id, text: recoveryTextSchema, source: z.enum(['pasted', 'file']) }),
    output: recoverySetSummarySchema,
  },
  /** An entry with backup codes and no OTP secret (its login codes live elsewhere). */
  'recovery:addEntry': {
    input: z.object({ issuer: z.string().trim().max(MAX_TEXT), label: z.string().trim().max(MAX_TEXT), text: recoveryTextSchema, source: z.enum(['pasted', 'file']) }),
    output: accountSummarySchema,
  },
  'recovery:unseal': { input: z.object({ password: passwordSchema }), output: recoveryStatusSchema },
  'recovery:forget': { input: noInput, output: recoveryStatusSchema },
  /** The explicit reveal: the codes of a set, or one of them. */
  'recovery:reveal': { input: z.object({ setId: id, index: codeIndex.optional() }), output: revealedCodesSchema },
  /** Copies one code through the main process (cleared later); the window then asks "Mark as used?". */
  'recovery:copy': { input: z.object({ setId: id, index: codeIndex }), output: z.object({ clearsAt: z.number().nullable() }) },
  /** Copies the account's next unused code and marks it used, in one step (the locked-out screen). */
  'recovery:useNext': {
    input: z.object({ accountId: id }),
    output: z.object({ setId: id, index: codeIndex, left: z.number().int(), clearsAt: z.number().nullable() }),
  },
  'recovery:setUsed': { input: z.object({ setId: id, index: codeIndex, used: z.boolean() }), output: recoverySetSummarySchema },
  'recovery:deleteSet': { input: z.object({ setId: id }), output: z.null() },
  /** A printable recovery sheet for these accounts, saved as PDF by the main process. */
  'recovery:printSheet': {
    input: z.object({ accountIds: z.array(id).min(1).max(500), includeQr: z.boolean().default(false) }),
    output: z.object({ saved: z.boolean(), fileName: z.string().nullable() }),
  },
  /**
   * Consent to show secrets as QR codes: main checks the password (when the vault has one), asks
   * in a dialog of its own, and answers a single-use token for exactly this reveal, good for 30 s.
   */
  'accounts:requestQrReveal': {
    input: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('account'), id, password: passwordSchema.optional() }),
      z.object({ kind: z.literal('google'), ids: z.array(id).min(1).max(MAX_REVEAL_IDS), password: passwordSchema.optional() }),
    ]),
    output: z.object({ token: z.string(), expiresAt: z.number() }),
  },
  /** The formats import reads, for the "Format" choice (detected from the content by default). */
  'import:formats': { input: noInput, output: z.array(z.object({ id: z.string(), title: z.string() })) },
  /** Reads export files; main keeps their entries and answers the preview (no secrets). */
  'import:read': {
    input: z.object({ files: z.array(importFileInputSchema).min(1).max(1000), format: z.string().max(64).optional(), password: passwordSchema.optional(), sourceVaultPassword: passwordSchema.optional() }),
    output: importPreviewSchema,
  },
  /** Saves the chosen entries of the import read last, in one save, and reports on every entry. */
  'import:confirm': { input: z.object({ chosen: z.array(z.number().int().min(0)).max(100_000) }), output: importReportSchema },
  'import:cancel': { input: noInput, output: z.null() },
  /** The codes now of entries of the import read last (the rows in view), as their codes expire. */
  'import:codes': { input: z.object({ indexes: z.array(z.number().int().min(0)).max(500) }), output: z.array(z.object({ index: z.number().int(), code: z.string() })) },
  /**
   * Writes every account to a file the user picks in a save dialog; main writes it, nothing secret
   * comes back. Plain formats only with `confirmedUnencrypted` (the window's warning). path: null
   * when the dialog was cancelled. `requireOpenSeal`: RECOVERY_SEALED rather than a Latchkey backup
   * whose backup codes only this vault's password opens (the window then asks for it).
   */
  'export:save': {
    input: z.object({ format: z.enum(['latchkey', 'aegis', 'aegis-plain', 'uris', 'qr-html']), password: passwordSchema.optional(), confirmedUnencrypted: z.boolean().default(false), requireOpenSeal: z.boolean().default(false) }),
    /** codesSealed: a Latchkey backup whose backup codes stayed sealed to this vault's password (see docs/backup-format.md). */
    output: z.object({ path: z.string().nullable(), accounts: z.number().int(), codesSealed: z.boolean() }),
  },
  /** Automatic encrypted backups after each change, in a folder the user picks, keeping the last N. */
  'backup:status': { input: noInput, output: autoBackupStatusSchema },
  /** Asks for the folder (dialog in main), derives the backup key once, writes the first backup. */
  'backup:enable': { input: z.object({ password: passwordSchema, keep: z.number().int().min(1).max(1000) }), output: autoBackupStatusSchema },
  'backup:disable': { input: noInput, output: autoBackupStatusSchema },
  'backup:now': { input: noInput, output: autoBackupStatusSchema },
  /** A new vault from a Latchkey backup (first run): checked whole before the vault is created. */
  'vault:restore': {
    input: z.object({ backup: importFileInputSchema, backupPassword: passwordSchema, password: passwordSchema.nullable(), useKeychain: z.boolean(), sourceVaultPassword: passwordSchema.optional() }),
    output: vaultStatusSchema,
  },
  // Provider connections (electron/main/providers). Credentials go in, never come out; progress
  // (retry waits, enrollment stages) arrives as 'providerProgress' events.
  'providers:state': { input: z.object({ accountId: id }), output: providerStateSchema },
  'providers:connect': { input: z.object({ accountId: id, connection: connectionFormSchema }), output: connectionSummarySchema },
  'providers:test': { input: z.object({ accountId: id }), output: z.object({ codeCount: z.number().int() }) },
  'providers:fetch': { input: z.object({ accountId: id }), output: codesResultSchema },
  /** The window confirms first that the old codes stop working. */
  'providers:regenerate': { input: z.object({ accountId: id }), output: codesResultSchema },
  /** Spends the code at the provider (the next unused one when not given); the window says so first. */
  'providers:signIn': { input: z.object({ accountId: id, code: z.string().trim().min(1).max(64).optional() }), output: signInResultSchema },
  'providers:enroll': { input: z.object({ connection: connectionFormSchema }), output: enrollResultSchema },
  'providers:disconnect': { input: z.object({ accountId: id }), output: z.null() },
  /** Deletes the TOTP secret at the provider (Misakey); the account and its codes stay. The window confirms first. */
  'providers:deleteTotp': { input: z.object({ accountId: id }), output: z.null() },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type Channel = keyof IpcContract;
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;
// Both directions: the zod-free list in ipc-channels.ts names exactly the contract's channels.
type SameChannels = [Channel] extends [(typeof CHANNEL_NAMES)[number]] ? ([(typeof CHANNEL_NAMES)[number]] extends [Channel] ? true : false) : false;
const _channelListsAgree: SameChannels = true;
/** What the renderer passes (defaults not yet applied). */
export type ChannelInput<C extends Channel> = z.input<IpcContract[C]['input']>;
/** What the handler receives, after parsing. */
export type ParsedInput<C extends Channel> = z.output<IpcContract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<IpcContract[C]['output']>;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(ipcContract, value);
}

/** Electron serializes thrown errors badly, so every answer is an envelope. */
export const ipcResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorPayloadSchema }),
]);
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorPayloadSchema> };

/** Events main sends to the renderer, on IPC_EVENT_CHANNEL. */
export { IPC_EVENT_CHANNEL };
export const ipcEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('vault'), status: vaultStatusSchema }),
  z.object({ type: z.literal('accountsChanged') }),
  z.object({ type: z.literal('settings'), settings: settingsSchema }),
  z.object({ type: z.literal('providerProgress'), progress: providerProgressSchema }),
]);
export type IpcEvent = z.infer<typeof ipcEventSchema>;

/** The API the preload exposes on `window.latchkey`, and the test bridge imitates. */
export interface LatchkeyApi {
  invoke<C extends Channel>(channel: C, ...input: ChannelInput<C> extends undefined ? [] : [ChannelInput<C>]): Promise<IpcResult<ChannelOutput<C>>>;
  onEvent(listener: (event: IpcEvent) => void): () => void;
}
