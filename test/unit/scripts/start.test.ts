import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  downloadFailureMessage,
  installerFailureCause,
  isElectronInstalled,
  platformExecutable,
  readElectronPackage,
  startApp,
  type RunCommand,
} from '../../../scripts/electron-runtime';
import { repoRoot, useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();
const realElectronDir = path.join(repoRoot, 'node_modules', 'electron');

/** A copy of the `electron` package without its runtime, resolving its dependencies from the repo. */
function electronPackageWithoutRuntime(): string {
  const root = tempDir();
  const modules = path.join(root, 'node_modules');
  const dir = path.join(modules, 'electron');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(realElectronDir)) {
    if (name === 'dist' || name === 'path.txt' || name === 'node_modules') continue;
    cpSync(path.join(realElectronDir, name), path.join(dir, name), { recursive: true });
  }
  // install.js requires @electron/get (and, on success, @electron-internal/extract-zip).
  for (const scope of ['@electron', '@electron-internal']) symlinkSync(path.join(repoRoot, 'node_modules', scope), path.join(modules, scope));
  return dir;
}

/** Pretends to be a completed install: what Electron's installer leaves behind. */
function fakeInstalledRuntime(dir: string, version: string): void {
  const executable = platformExecutable();
  mkdirSync(path.dirname(path.join(dir, 'dist', executable)), { recursive: true });
  writeFileSync(path.join(dir, 'dist', executable), '');
  writeFileSync(path.join(dir, 'dist', 'version'), `v${version}`);
  writeFileSync(path.join(dir, 'path.txt'), executable);
}

function recordingRunner(results: Record<string, number> = {}): { run: RunCommand; calls: string[] } {
  const calls: string[] = [];
  const run: RunCommand = async (_command, args) => {
    const name = args[0]?.endsWith('install.js') ? 'install' : `electron-vite ${args[1] ?? ''}`.trim();
    calls.push(name);
    return { code: results[name] ?? 0, stderr: name === 'install' ? 'TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n' : '' };
  };
  return { run, calls };
}

describe('npm start', () => {
  it('runs Electron’s installer before electron-vite when the runtime is missing', async () => {
    const dir = electronPackageWithoutRuntime();
    const electron = readElectronPackage(dir);
    const { run, calls } = recordingRunner();
    // The fake installer "succeeds" by leaving the runtime in place, as the real one does.
    const installingRun: RunCommand = async (command, args, options) => {
      const result = await run(command, args, options);
      if (calls.at(-1) === 'install') fakeInstalledRuntime(dir, electron.version);
      return result;
    };
    const code = await startApp({ electron, electronVite: 'electron-vite.js', run: installingRun, log: () => {}, fail: () => {} });
    expect(code).toBe(0);
    expect(calls).toEqual(['install', 'electron-vite build', 'electron-vite preview']);
  });

  it('does not run the installer when the runtime is already there', async () => {
    const dir = electronPackageWithoutRuntime();
    const electron = readElectronPackage(dir);
    fakeInstalledRuntime(dir, electron.version);
    expect(isElectronInstalled(electron)).toBe(true);
    const { run, calls } = recordingRunner();
    await startApp({ electron, electronVite: 'electron-vite.js', run, log: () => {}, fail: () => {} });
    expect(calls).toEqual(['electron-vite build', 'electron-vite preview']);
  });

  it('stops before building when the installer fails, with the clear message', async () => {
    const electron = readElectronPackage(electronPackageWithoutRuntime());
    const { run, calls } = recordingRunner({ install: 1 });
    const failures: string[] = [];
    const code = await startApp({ electron, electronVite: 'electron-vite.js', run, log: () => {}, fail: (m) => failures.push(m) });
    expect(code).toBe(1);
    expect(calls).toEqual(['install']);
    expect(failures).toEqual([downloadFailureMessage(electron, 'fetch failed')]);
  });

  it('a runtime of another version counts as missing', () => {
    const dir = electronPackageWithoutRuntime();
    const electron = readElectronPackage(dir);
    fakeInstalledRuntime(dir, '1.0.0');
    expect(isElectronInstalled(electron)).toBe(false);
  });

  it('names the cause from the installer’s output, without the stack', () => {
    expect(installerFailureCause('TypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n')).toBe('fetch failed');
    expect(installerFailureCause('HTTPError: Response code 404 (Not Found) for https://mirror.example/v45.4.1/electron.zip\n    at x')).toBe(
      'Response code 404 (Not Found) for https://mirror.example/v45.4.1/electron.zip',
    );
    expect(installerFailureCause('')).toBe('the installer stopped without saying why');
  });

  it('with the real installer and an unreachable mirror: one clear message, no stack trace, no build', () => {
    const dir = electronPackageWithoutRuntime();
    const cache = tempDir();
    // 127.0.0.1:9 (discard) refuses connections: the download fails on every machine, online or not.
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(repoRoot, 'scripts', 'start.ts')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, LATCHKEY_ELECTRON_DIR: dir, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache, force_no_cache: 'true' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Latchkey could not download the Electron \d+\.\d+\.\d+ runtime for [a-z0-9]+-[a-z0-9]+ \(.+\)\.\n/);
    expect(result.stderr).toContain('ELECTRON_MIRROR');
    expect(result.stderr).toContain('HTTPS_PROXY');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toContain('Getting the Electron');
    expect(result.stdout).not.toContain('Building Latchkey');
  });
});
