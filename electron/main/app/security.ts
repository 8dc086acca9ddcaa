import type { BrowserWindowConstructorOptions } from 'electron';

/** The privileged scheme the renderer is served from in production (not file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'latchkey';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The renderer's Content Security Policy: only our own scripts and styles, no eval, no network;
 * images may be data:/blob: (QR codes), the camera stream is a blob/mediastream.
 * 'wasm-unsafe-eval' lets our own scripts compile WebAssembly (the QR decoder, zxing-cpp, in a
 * worker whose script carries the .wasm): it allows no JavaScript eval and no other source.
 * The same policy is served as a header (app:// in Electron, the e2e server) and written into
 * index.html's meta tag by the renderer build (see electron.vite.config.ts).
 */
export function contentSecurityPolicy(devServerOrigin: string | null): string {
  const self = devServerOrigin ? `'self' ${devServerOrigin}` : "'self'";
  return [
    "default-src 'none'",
    `script-src ${self} 'wasm-unsafe-eval'`,
    `style-src ${self}${devServerOrigin ? " 'unsafe-inline'" : ''}`,
    `img-src ${self} data: blob:`,
    `font-src ${self}`,
    `media-src ${self} blob: mediastream:`,
    `connect-src ${devServerOrigin ? `${devServerOrigin} ws://${new URL(devServerOrigin).host}` : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The policy as a meta tag can carry it: frame-ancestors is ignored there (and warned about). */
export function metaContentSecurityPolicy(devServerOrigin: string | null): string {
  return contentSecurityPolicy(devServerOrigin)
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
}

export interface WindowInputs {
  preloadPath: string;
  isDevelopment: boolean;
  contentProtection: boolean;
}

/** The main window's options: isolated, sandboxed, no Node, no devtools in production. */
export function mainWindowOptions({ preloadPath, isDevelopment }: WindowInputs): BrowserWindowConstructorOptions {
  return {
    width: 440,
    height: 720,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Latchkey',
    backgroundColor: '#111318',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: isDevelopment,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

export function trustedOrigins(devServerUrl: string | null): string[] {
  return devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN];
}

/** Navigation away from the app is never allowed; reloading the app's own page is. */
export function isNavigationAllowed(targetUrl: string, origins: readonly string[]): boolean {
  try {
    const url = new URL(targetUrl);
    const origin = url.protocol === `${APP_SCHEME}:` ? `${APP_SCHEME}://${url.host}` : url.origin;
    return origins.includes(origin);
  } catch {
    return false;
  }
}

/** Links may leave the app only as https URLs opened in the user's browser. */
export function isExternalUrlAllowed(targetUrl: string): boolean {
  try {
    return new URL(targetUrl).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Only the camera (media, video only), and only for the app's own origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string, origins: readonly string[], mediaTypes: readonly string[] = []): boolean {
  if (permission !== 'media') return false;
  if (mediaTypes.some((type) => type !== 'video')) return false;
  return isNavigationAllowed(requestingUrl, origins);
}

/** Resolves a request for app://latchkey/<path> to a file inside the renderer build, or null. */
export function resolveAppFile(requestUrl: string, rendererRoot: string, join: (...parts: string[]) => string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const pathname = decodeURIComponent(url.pathname);
  if (pathname.includes('\0') || pathname.split('/').some((part) => part === '..')) return null;
  return join(rendererRoot, pathname === '/' ? 'index.html' : pathname);
}
