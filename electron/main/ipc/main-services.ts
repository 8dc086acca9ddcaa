import { LatchkeyError } from '../../../shared/errors';
import type { IpcEvent } from '../../../shared/ipc';
import { AccountQr, AccountsService, type ConfirmPort, ScanSession } from '../accounts';
import { type SystemClipboard, TimedClipboard } from '../clipboard/timed-clipboard';
import type { SecretStore } from '../keychain/secret-store';
import { AutoBackup, ExportService, type SaveDialogPort } from '../exporters';
import { ImportSession } from '../importers';
import { SettingsService } from '../settings';
import { AutoLock } from '../vault/auto-lock';
import { VaultService, type VaultServiceOptions } from '../vault';
import { VaultWatcher } from '../vault/vault-watcher';
import { createIpcHandlers, type IpcHandlers, type ScreenCapturePort } from './handlers';
import { RecoveryService } from '../recovery';
import type { RecoverySheetPort } from './recovery-handlers';
import type { HttpClientOptions } from '../providers';

/** Where nothing can ask the person (the CLI, some tests): secrets are never shown as QR codes. */
const neverConfirm: ConfirmPort = { confirm: async () => false };

const noScreenCapture: ScreenCapturePort = {
  sources: async () => [],
  capture: async () => {
    throw new LatchkeyError('INVALID_INPUT', 'Screen capture is not available here.');
  },
};

export interface MainServicesOptions {
  vaultDir: string;
  /** Where settings.json lives (the app's data folder). */
  settingsDir: string;
  keychain: SecretStore;
  clipboard: SystemClipboard;
  /** Where the platform has no screen capture (the CLI, some tests): no sources. */
  screen?: ScreenCapturePort;
  /** Main's own confirmation before secrets are shown (a native dialog in the app); none: never shown. */
  confirm?: ConfirmPort;
  /** The batch id of Google exports; random unless a test fixes it (same accounts, same pictures). */
  migrationBatchId?: () => number;
  systemIdleSeconds?: () => number;
  now?: () => number;
  passwordCost?: VaultServiceOptions['passwordCost'];
  /** Saves the recovery sheet as PDF (Electron's printToPDF in the app, Chromium's page.pdf in tests). */
  sheet?: RecoverySheetPort;
  /** Save dialogs for exports (Electron's in the app, a test's answer in e2e); none: exports say so. */
  saveDialogs?: SaveDialogPort;
  /** Argon2id cost of the automatic backups' key; tests lower it. */
  backupCost?: { opsLimit: number; memLimit: number };
  /** Options of the providers' HTTP client (tests shorten the timeout). */
  providerHttp?: HttpClientOptions;
}

export interface MainServices {
  vault: VaultService;
  accounts: AccountsService;
  settings: SettingsService;
  autoLock: AutoLock;
  scans: ScanSession;
  recovery: RecoveryService;
  handlers: IpcHandlers;
  /** Clears a copied code still on the clipboard (on quit; locking does it by itself). */
  clearClipboard(): void | Promise<void>;
  /** Everything the renderer must hear about, whichever transport carries it. */
  onEvent(listener: (event: IpcEvent) => void): () => void;
}

/**
 * The services of the main process wired together, with the IPC handler table over them. The
 * Electron glue and the end-to-end test bridge both build exactly this; only the transport differs.
 */
export async function createMainServices(options: MainServicesOptions): Promise<MainServices> {
  const vault = new VaultService({ dir: options.vaultDir, keychain: options.keychain, passwordCost: options.passwordCost });
  const accounts = new AccountsService(vault, options.now);
  const settings = new SettingsService(options.settingsDir);
  await settings.load();
  const autoLock = new AutoLock(vault, { minutes: () => settings.get().autoLockMinutes, now: options.now, systemIdleSeconds: options.systemIdleSeconds });
  const clipboard = new TimedClipboard(options.clipboard, () => settings.get().clipboardClearSeconds);
  const scans = new ScanSession(accounts, vault);
  const qr = new AccountQr(accounts, vault, options.confirm ?? neverConfirm, options.now, options.migrationBatchId);
  const recovery = new RecoveryService(vault, { now: options.now, passwordCost: options.passwordCost });
  const imports = new ImportSession(accounts, vault, options.now);
  const exports = new ExportService(vault, options.saveDialogs ?? null, new AutoBackup(vault, { cost: options.backupCost, now: options.now }), () => recovery.keptSealSecretKey());
  const handlers = createIpcHandlers({ vault, accounts, clipboard, settings, autoLock, scans, qr, screen: options.screen ?? noScreenCapture, recovery, sheet: options.sheet, now: options.now, imports, exports,
    providers: { onProgress: (progress) => emit({ type: 'providerProgress', progress }), http: options.providerHttp } });

  const listeners = new Set<(event: IpcEvent) => void>();
  const emit = (event: IpcEvent) => listeners.forEach((listener) => listener(event));
  // Another process's saves show up at once while unlocked; nothing to watch while locked.
  const watcher = new VaultWatcher(vault);
  vault.onEvent((event) => {
    if (event === 'unlocked') watcher.start();
    if (event === 'locked') watcher.stop();
    // A copied code must not outlive the lock: cleared now if the clipboard still holds it.
    if (event === 'locked') void clipboard.clearNow();
    // Told synchronously, so the renderer hears lock and unlock in the order they happened.
    const status = vault.knownStatus();
    if (status) emit({ type: 'vault', status });
    if (event === 'changed') emit({ type: 'accountsChanged' });
  });
  settings.onChange((next) => emit({ type: 'settings', settings: next }));

  return {
    vault,
    accounts,
    settings,
    autoLock,
    scans,
    recovery,
    handlers,
    clearClipboard: () => clipboard.clearNow(),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
