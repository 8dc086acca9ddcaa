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

/** The parts of node:path that resolveAppFile needs: `path.posix` or `path.win32` (or `path`). */
export interface AppPathApi {
  join(...parts: string[]): string;
  relative(from: string, to: string): string;
  isAbsolute(path: string): boolean;
}

/**
 * Resolves a request for app://latchkey/<path> to a file inside the renderer build, or null.
 * Total: any URL gives a path inside `rendererRoot` or null, never a throw, on both path styles.
 * The raw request is checked as well as the parsed URL, because the URL parser quietly folds
 * `..` and `%2e%2e` into the root; a request that needs such folding did not come from our page.
 */
export function resolveAppFile(requestUrl: string, rendererRoot: string, paths: AppPathApi): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  const segments = decodedSegments(rawPathOf(requestUrl));
  if (segments === null) return null;
  const relativePath = segments.length === 0 ? ['index.html'] : segments;
  const file = paths.join(rendererRoot, ...relativePath);
  const inside = paths.relative(rendererRoot, file);
  if (inside === '' || inside === '..' || inside.startsWith('..') || paths.isAbsolute(inside)) return null;
  return file;
}

/** The path of a URL exactly as requested: after the authority, before any query or fragment. */
function rawPathOf(requestUrl: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\\]*([^?#]*)/i.exec(requestUrl)?.[1] ?? '';
}

/**
 * The path's segments, %-decoded, or null when one is unsafe on any platform: bad %-encoding, an
 * empty segment (`//`, an absolute path), `.` or `..`, a backslash (a separator on Windows), a
 * colon (a drive letter or an NTFS stream) or a NUL.
 */
function decodedSegments(rawPath: string): string[] | null {
  if (rawPath === '' || rawPath === '/') return [];
  if (!rawPath.startsWith('/')) return null;
  const segments: string[] = [];
  for (const rawSegment of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || /[\\/:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}
