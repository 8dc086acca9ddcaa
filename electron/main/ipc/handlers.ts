import type { ScreenSource, VaultStatus } from '../../../shared/domain';
import { LatchkeyError, toErrorPayload } from '../../../shared/errors';
import { type Channel, type ChannelOutput, ipcContract, type IpcResult, isChannel, type ParsedInput } from '../../../shared/ipc';
import type { AccountQr, AccountsService, ScanSession } from '../accounts';
import { ExportService, restoreBackup } from '../exporters';
import { ImportSession } from '../importers';
import type { SettingsService } from '../settings';
import type { VaultService } from '../vault';
import type { AutoLock } from '../vault/auto-lock';
import { RecoveryService } from '../recovery';
import { createRecoveryHandlers, noSheetPrinter, type RecoverySheetPort } from './recovery-handlers';
import { createProviderHandlers, type ProviderHandlerServices } from './provider-handlers';

/** The clipboard as the handlers need it; the Electron glue supplies the real one. */
export interface ClipboardPort {
  /** Writes the text and clears it after the configured delay if it still holds it; returns when (unix ms), or null. */
  writeSecretText(text: string): { clearsAt: number | null };
}

/** Screen capture as the handlers need it; Electron's desktopCapturer in the app. Captures stay in memory. */
export interface ScreenCapturePort {
  sources(): Promise<ScreenSource[]>;
  /** A PNG data URL of the source at full size. */
  capture(sourceId: string): Promise<string>;
}

export interface IpcServices {
  vault: VaultService;
  accounts: AccountsService;
  clipboard: ClipboardPort;
  settings: SettingsService;
  autoLock: AutoLock;
  scans: ScanSession;
  qr: AccountQr;
  screen: ScreenCapturePort;
  /** Backup codes; one is made over the vault when not given (it installs the vault's password-change hook). */
  recovery?: RecoveryService;
  /** Saves the recovery sheet as PDF; not available when not given. */
  sheet?: RecoverySheetPort;
  now?: () => number;
  /** The window's imports; one over `accounts` when not given. */
  imports?: ImportSession;
  /** The window's exports; without one, export:save says saving is not available. */
  exports?: ExportService;
  /** Provider calls' progress events and HTTP options (see provider-handlers.ts). */
  providers?: Pick<ProviderHandlerServices, 'onProgress' | 'http'>;
}

export type IpcHandlers = { [C in Channel]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> };

/** Channel -> handler over the services. Each handler is thin: it delegates, and returns plain data. */
export function createIpcHandlers({ vault, accounts, clipboard, settings, autoLock, scans, qr, screen, recovery, sheet, now, providers, imports = new ImportSession(accounts, vault), exports = new ExportService(vault, null) }: IpcServices): IpcHandlers {
  const status = (): Promise<VaultStatus> => vault.status();
  const ledger = recovery ?? new RecoveryService(vault, { now });
  const recoveryHandlers = createRecoveryHandlers({ recovery: ledger, accounts, clipboard, sheet: sheet ?? noSheetPrinter, now });
  return {
    ...recoveryHandlers,
    ...createProviderHandlers({ vault, accounts, recovery: ledger, ...providers }),
    'vault:status': status,
    'vault:create': async ({ password, useKeychain }) => {
      await vault.create({ password, useKeychain });
      return status();
    },
    'vault:unlock': async ({ password }) => {
      await vault.unlock(password);
      // The password was just typed: the backup codes' seal opens with it too, for a few minutes.
      if (password !== undefined && ledger.status().protection === 'password') await ledger.unseal(password).catch(() => undefined);
      return status();
    },
    'vault:lock': async () => {
      vault.lock();
      return status();
    },
    'vault:setPassword': async ({ password, currentPassword }) => {
      await vault.setPassword(password, { currentPassword });
      return status();
    },
    'vault:setKeychainSlot': async ({ enabled, currentPassword }) => {
      await (enabled ? vault.addKeychainSlot({ currentPassword }) : vault.removeKeychainSlot({ currentPassword }));
      return status();
    },
    'accounts:list': async () => accounts.list(),
    'accounts:add': ({ account, allowDuplicate }) => accounts.add(account, { allowDuplicate }),
    'accounts:addUri': ({ uri, allowDuplicate }) => accounts.addFromUri(uri, { allowDuplicate }),
    'accounts:validate': async ({ account }) => ({ problems: accounts.validate(account) }),
    'accounts:previewUri': async ({ uri }) => accounts.previewUri(uri),
    'accounts:edit': ({ id, changes }) => accounts.edit(id, changes),
    'accounts:remove': async ({ id }) => {
      await accounts.remove(id);
      return null;
    },
    'accounts:reorder': async ({ ids }) => {
      await accounts.reorder(ids);
      return null;
    },
    'codes:get': async ({ ids, withNext }) => accounts.codes(ids, undefined, { withNext }),
    'codes:nextHotp': ({ id }) => accounts.nextHotpCode(id),
    'codes:copy': async ({ id }) => {
      const [code] = accounts.codes([id]);
      if (!code) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
      const result = clipboard.writeSecretText(code.code);
      await accounts.markUsed(id);
      return result;
    },
    'scan:read': async ({ text }) => scans.read(text),
    'scan:confirm': ({ allowDuplicate }) => scans.confirm({ allowDuplicate }),
    'scan:cancel': async () => {
      scans.cancel();
      return null;
    },
    'screen:sources': () => screen.sources(),
    'screen:capture': async ({ sourceId }) => ({ image: await screen.capture(sourceId) }),
    'accounts:showQr': ({ id, token }) => qr.account(id, token),
    'accounts:exportGoogleQr': ({ ids, token }) => qr.googleExport(ids, token),
    'settings:get': async () => settings.get(),
    'settings:set': (patch) => settings.update(patch),
    'app:activity': async () => {
      autoLock.recordActivity();
      return null;
    },
    'accounts:requestQrReveal': ({ password, ...request }) => qr.requestReveal(request, password),
    'import:formats': async () => imports.formats(),
    'import:read': (request) => imports.read(request),
    'import:confirm': ({ chosen }) => imports.confirm(chosen),
    'import:cancel': async () => {
      imports.cancel();
      return null;
    },
    'import:codes': async ({ indexes }) => imports.codes(indexes),
    'export:save': (request) => exports.save(request),
    'backup:status': () => exports.requireAutoBackup().status(),
    'backup:enable': ({ password, keep }) => exports.enableAutoBackup(password, keep),
    'backup:disable': () => exports.requireAutoBackup().disable(),
    'vault:restore': async ({ backup, backupPassword, password, useKeychain, sourceVaultPassword }) => {
      await restoreBackup(vault, Buffer.from(backup.data, 'base64'), backupPassword, { password, useKeychain, sourceVaultPassword });
      // The new password was typed just now: the backup codes open without asking again, as after unlocking.
      if (password !== null) await ledger.unseal(password);
      return status();
    },
    'backup:now': async () => {
      const backups = exports.requireAutoBackup();
      await backups.backupNow();
      return backups.status();
    },
  };
}

/**
 * Parses the input with the channel's schema, runs the handler, and parses the answer too: the
 * output schemas strip any field they do not name, so a secret can never ride along by mistake.
 */
export async function dispatch(handlers: IpcHandlers, channel: unknown, rawInput: unknown): Promise<IpcResult> {
  try {
    if (!isChannel(channel)) throw new LatchkeyError('INVALID_INPUT', 'Unknown request.');
    return { ok: true, value: await runChannel(handlers, channel, rawInput) };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}

async function runChannel<C extends Channel>(handlers: IpcHandlers, channel: C, rawInput: unknown): Promise<ChannelOutput<C>> {
  const contract = ipcContract[channel];
  const input = contract.input.safeParse(rawInput);
  if (!input.success) {
    const issue = input.error.issues[0];
    throw new LatchkeyError('INVALID_INPUT', issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : undefined);
  }
  const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
  return contract.output.parse(await handler(input.data)) as ChannelOutput<C>;
}

/**
 * Only the app's own pages may call the handlers: the privileged app:// scheme in production, and
 * the dev server's exact origin during development.
 */
export function isTrustedSender(frameUrl: string | undefined, trustedOrigins: readonly string[]): boolean {
  if (!frameUrl) return false;
  let origin: string;
  try {
    const url = new URL(frameUrl);
    origin = url.protocol === 'app:' ? `app://${url.host}` : url.origin;
  } catch {
    return false;
  }
  return trustedOrigins.includes(origin);
}
