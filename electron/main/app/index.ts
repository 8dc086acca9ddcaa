import { app, BrowserWindow, dialog, nativeTheme, net, powerMonitor, protocol, session, shell } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT_CHANNEL, type IpcEvent } from '../../../shared/ipc';
import type { Settings } from '../../../shared/settings';
import { createMainServices } from '../ipc';
import { OsKeychain } from '../keychain';
import { electronClipboard } from './clipboard';
import { electronConfirm } from './confirm-dialog';
import { electronSaveDialog } from './save-dialog';
import { electronScreenCapture } from './screen-capture';
import { electronSheetPrinter } from './recovery-sheet';
import { registerIpcHandlers } from './ipc-registration';
import { startOrQuit } from './startup';
import {
  APP_ORIGIN,
  APP_SCHEME,
  contentSecurityPolicy,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  mainWindowOptions,
  resolveAppFile,
  trustedOrigins,
} from './security';

const AUTO_LOCK_CHECK_MS = 5_000;
const devServerUrl = !app.isPackaged ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const origins = trustedOrigins(devServerUrl);
const rendererRoot = path.join(import.meta.dirname, '../renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focusMainWindow());
  void startOrQuit(() => app.whenReady(), start, {
    showError: (title, message) => dialog.showErrorBox(title, message),
    exit: (code) => app.exit(code),
    log: (message) => console.error(message),
  });
}

let mainWindow: BrowserWindow | null = null;

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  const services = await createMainServices({
    vaultDir: process.env.LATCHKEY_VAULT_DIR || path.join(dataDir, 'vault'),
    settingsDir: dataDir,
    keychain: new OsKeychain(),
    clipboard: electronClipboard,
    screen: electronScreenCapture,
    confirm: electronConfirm(() => mainWindow),
    sheet: electronSheetPrinter(() => mainWindow),
    saveDialogs: electronSaveDialog,
    systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
  });
  const { vault, settings } = services;

  serveRenderer();
  hardenSessions();
  registerIpcHandlers(services.handlers, origins);
  services.onEvent(send);

  // The vault locks when the machine sleeps or the screen locks: codes must not outlive the user's presence.
  powerMonitor.on('suspend', () => vault.lock());
  powerMonitor.on('lock-screen', () => vault.lock());
  setInterval(() => services.autoLock.check(), AUTO_LOCK_CHECK_MS).unref();

  applySettings(settings.get());
  settings.onChange(applySettings);
  createMainWindow(settings.get());
  app.on('window-all-closed', () => {
    vault.lock();
    app.quit();
  });
  // A quit from the menu or the dock skips window-all-closed: lock (which clears a copied code) here too.
  app.on('will-quit', () => {
    vault.lock();
    void services.clearClipboard();
  });
}

function applySettings(settings: Settings): void {
  nativeTheme.themeSource = settings.theme;
  mainWindow?.setContentProtection(settings.contentProtection);
}

function send(event: IpcEvent): void {
  mainWindow?.webContents.send(IPC_EVENT_CHANNEL, event);
}

function serveRenderer(): void {
  const csp = contentSecurityPolicy(null);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererRoot, path);
    if (!file || !file.startsWith(rendererRoot + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((webContents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(permission, details.requestingUrl || webContents.getURL(), origins, mediaTypes));
  });
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin, origins));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, origins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalUrlAllowed(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createMainWindow(settings: Settings): void {
  const isDevelopment = !app.isPackaged;
  mainWindow = new BrowserWindow(
    mainWindowOptions({ preloadPath: path.join(import.meta.dirname, '../preload/index.cjs'), isDevelopment, contentProtection: settings.contentProtection }),
  );
  // Screenshots and screen sharing see a blank window (a setting, on by default): the codes are not for other eyes.
  mainWindow.setContentProtection(settings.contentProtection);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}
