import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  metaContentSecurityPolicy,
  isExternalUrlAllowed,
  isNavigationAllowed,
  isPermissionAllowed,
  mainWindowOptions,
  resolveAppFile,
  trustedOrigins,
} from '../../../electron/main/app/security';
import { repoRoot } from '../../support/temp-dir';

describe('window and session security', () => {
  it('builds a locked-down window: isolation, sandbox, no node, web security, no devtools in production', () => {
    const prefs = mainWindowOptions({ preloadPath: '/p/index.cjs', isDevelopment: false, contentProtection: true }).webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, devTools: false, webviewTag: false, preload: '/p/index.cjs' });
    expect(mainWindowOptions({ preloadPath: '/p', isDevelopment: true, contentProtection: true }).webPreferences?.devTools).toBe(true);
  });

  it('has a strict CSP: no inline or eval scripts, no network in production; WebAssembly only from our own scripts', () => {
    const csp = contentSecurityPolicy(null);
    expect(csp).toContain("default-src 'none'");
    expect(csp.split('; ')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'none'");
    expect(csp).not.toMatch(/worker-src|child-src|https?:|\*/);
  });

  it('writes the same policy into the production meta tag as the header (less frame-ancestors, which a meta tag ignores)', () => {
    const meta = readFileSync(path.join(repoRoot, 'renderer', 'index.html'), 'utf8');
    expect(meta).toContain('content="%LATCHKEY_CSP%"');
    const header = contentSecurityPolicy(null).split('; ');
    expect(metaContentSecurityPolicy(null).split('; ')).toEqual(header.filter((directive) => !directive.startsWith('frame-ancestors')));
    expect(metaContentSecurityPolicy(null)).not.toMatch(/ws:|connect-src 'self'/);
    const built = path.join(repoRoot, 'out', 'renderer', 'index.html');
    if (existsSync(built)) expect(readFileSync(built, 'utf8')).toContain(`content="${metaContentSecurityPolicy(null)}"`);
  });

  it('adds only the dev server and its hot-reload socket in development', () => {
    const dev = contentSecurityPolicy('http://localhost:5173').split('; ');
    expect(dev).toContain("script-src 'self' http://localhost:5173 'wasm-unsafe-eval'");
    expect(dev).toContain('connect-src http://localhost:5173 ws://localhost:5173');
  });

  it('denies navigation away from the app and opens only https links outside', () => {
    const origins = trustedOrigins(null);
    expect(isNavigationAllowed('app://latchkey/index.html', origins)).toBe(true);
    expect(isNavigationAllowed('https://example.com', origins)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', origins)).toBe(false);
    expect(isExternalUrlAllowed('https://github.com/settings/security')).toBe(true);
    expect(isExternalUrlAllowed('http://example.com')).toBe(false);
    expect(isExternalUrlAllowed('file:///bin/sh')).toBe(false);
    expect(isExternalUrlAllowed('javascript:alert(1)')).toBe(false);
  });

  it('allows only the camera, and only for the app itself', () => {
    const origins = trustedOrigins(null);
    expect(isPermissionAllowed('media', 'app://latchkey/index.html', origins, ['video'])).toBe(true);
    expect(isPermissionAllowed('media', 'app://latchkey/index.html', origins, ['audio'])).toBe(false);
    expect(isPermissionAllowed('media', 'https://evil.example', origins, ['video'])).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'midi']) {
      expect(isPermissionAllowed(permission, 'app://latchkey/', origins)).toBe(false);
    }
  });

  it('serves only files inside the renderer build', () => {
    const root = '/app/out/renderer';
    expect(resolveAppFile('app://latchkey/', root, path.join)).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile('app://latchkey/assets/a.js', root, path.join)).toBe('/app/out/renderer/assets/a.js');
    // URL parsing already folds encoded dot segments into the root; encoded slashes are refused.
    expect(resolveAppFile('app://latchkey/%2e%2e/%2e%2e/etc/passwd', root, path.join)).toBe('/app/out/renderer/etc/passwd');
    expect(resolveAppFile('app://latchkey/..%2f..%2fetc%2fpasswd', root, path.join)).toBeNull();
    expect(resolveAppFile('app://other/index.html', root, path.join)).toBeNull();
    expect(resolveAppFile('https://latchkey/index.html', root, path.join)).toBeNull();
  });
});
