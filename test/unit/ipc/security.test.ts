import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
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
import { testSeed } from '../../support/seeded-random';

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
    expect(resolveAppFile('app://latchkey/', root, path.posix)).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile('app://latchkey', root, path.posix)).toBe('/app/out/renderer/index.html');
    expect(resolveAppFile('app://latchkey/assets/a.js?v=1#x', root, path.posix)).toBe('/app/out/renderer/assets/a.js');
    expect(resolveAppFile('app://latchkey/assets/a%20b.js', root, path.posix)).toBe('/app/out/renderer/assets/a b.js');
    expect(resolveAppFile('app://other/index.html', root, path.posix)).toBeNull();
    expect(resolveAppFile('https://latchkey/index.html', root, path.posix)).toBeNull();
    expect(resolveAppFile('not a url', root, path.posix)).toBeNull();
  });

  // Each of these is refused on both path styles, by resolveAppFile itself (no second guard).
  const refused = [
    ['bad %-encoding', 'app://latchkey/%E0%A4%A'],
    ['a lone %', 'app://latchkey/assets/%'],
    ['encoded dot segments', 'app://latchkey/%2e%2e/%2e%2e/etc/passwd'],
    ['mixed-case encoded dots', 'app://latchkey/assets/%2E%2e/x'],
    ['a literal dot-dot', 'app://latchkey/assets/../../secret'],
    ['a dot segment', 'app://latchkey/./index.html'],
    ['encoded slashes', 'app://latchkey/..%2f..%2fetc%2fpasswd'],
    ['encoded backslashes', 'app://latchkey/..%5c..%5cWindows%5cwin.ini'],
    ['a backslash inside a name', 'app://latchkey/assets/a%5cb.js'],
    ['an absolute path', 'app://latchkey//etc/passwd'],
    ['an encoded absolute path', 'app://latchkey/%2fetc%2fpasswd'],
    ['a drive letter', 'app://latchkey/C:/Windows/win.ini'],
    ['an encoded drive letter', 'app://latchkey/C%3a%5cWindows%5cwin.ini'],
    ['an NTFS stream', 'app://latchkey/index.html::$DATA'],
    ['a NUL', 'app://latchkey/index.html%00.png'],
  ] as const;
  for (const [style, paths, root] of [
    ['posix', path.posix, '/app/out/renderer'],
    ['win32', path.win32, 'C:\\Program Files\\Latchkey\\resources\\renderer'],
  ] as const) {
    it.each(refused)(`refuses %s on ${style}`, (_what, url) => {
      expect(resolveAppFile(url, root, paths)).toBeNull();
    });

    it(`is total on ${style}: any path gives a file inside the build or null, never a throw`, () => {
      const pathText = fc.array(fc.oneof(fc.constantFrom('/', '\\', '.', '..', '%', '%2e', '%2E', '%5c', '%2f', '%00', ':', 'C:', 'a', 'index.html', '%E0%A4'), fc.string()), { maxLength: 12 });
      fc.assert(
        fc.property(pathText, (parts) => {
          const file = resolveAppFile(`app://latchkey/${parts.join('')}`, root, paths);
          if (file === null) return;
          const inside = paths.relative(root, file);
          expect(inside === '' || inside.startsWith('..') || paths.isAbsolute(inside)).toBe(false);
        }),
        { seed: testSeed(), numRuns: 3000 },
      );
    });
  }

  it('joins with the platform separator on win32', () => {
    expect(resolveAppFile('app://latchkey/assets/a.js', 'C:\\Latchkey\\renderer', path.win32)).toBe('C:\\Latchkey\\renderer\\assets\\a.js');
  });
});
