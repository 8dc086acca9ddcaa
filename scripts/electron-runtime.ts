import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * `npm start` support: Electron (>= 45) no longer downloads its binary when it is installed, and
 * electron-vite only reads `node_modules/electron/path.txt`, so a fresh `npm install && npm start`
 * stopped with "Electron uninstall". We run Electron's own installer first, when the binary is
 * missing, and turn its failure into a sentence instead of a stack trace.
 */

/** The Node version Electron's installer (@electron/get) declares in its engines field. */
export const INSTALLER_NODE = { major: 22, minor: 12 } as const;

export interface ElectronPackage {
  /** The folder of the `electron` npm package (holds install.js, package.json, dist/). */
  dir: string;
  version: string;
}

export function readElectronPackage(dir: string): ElectronPackage {
  const manifest: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  if (typeof version !== 'string') throw new Error(`${dir}/package.json has no version`);
  return { dir, version };
}

/** The executable's path inside dist/, as Electron's installer names it per platform. */
export function platformExecutable(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** The same test as Electron's install.js: the right version in dist/, path.txt, and the executable. */
export function isElectronInstalled(pkg: ElectronPackage, platform: NodeJS.Platform = process.platform): boolean {
  try {
    const distVersion = readFileSync(path.join(pkg.dir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '');
    const pathTxt = readFileSync(path.join(pkg.dir, 'path.txt'), 'utf8');
    return distVersion === pkg.version && pathTxt === platformExecutable(platform) && existsSync(path.join(pkg.dir, 'dist', pathTxt));
  } catch {
    return false;
  }
}

export function nodeIsOlderThanInstallerNeeds(nodeVersion: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = nodeVersion.split('.').map(Number);
  return major < INSTALLER_NODE.major || (major === INSTALLER_NODE.major && minor < INSTALLER_NODE.minor);
}

/**
 * The one line of the installer's output that says what went wrong ("fetch failed", "Response code
 * 404 (Not Found) for https://..."): its first line that is not a stack frame, without the error class.
 */
export function installerFailureCause(stderr: string): string {
  const line = stderr
    .split(/\r?\n/)
    .map((text) => text.trim())
    .find((text) => text !== '' && !text.startsWith('at ') && !/^node:internal/.test(text));
  if (line === undefined) return 'the installer stopped without saying why';
  return line.replace(/^(?:[A-Za-z]*Error|Error)(?: \[[A-Z_]+\])?:\s*/, '').slice(0, 300);
}

/** What `npm start` prints when the download fails: what failed, why, and what to do. No stack trace. */
export function downloadFailureMessage(pkg: ElectronPackage, cause: string, nodeVersion: string = process.versions.node): string {
  const target = `${process.platform}-${process.arch}`;
  const lines = [
    `Latchkey could not download the Electron ${pkg.version} runtime for ${target} (${cause}).`,
    'Check that this computer is online and that a proxy, if you use one, is set (HTTPS_PROXY), or set ELECTRON_MIRROR to a mirror you can reach; then run `npm start` again.',
  ];
  if (nodeIsOlderThanInstallerNeeds(nodeVersion)) {
    lines.push(`Electron's installer asks for Node ${INSTALLER_NODE.major}.${INSTALLER_NODE.minor} or newer; this is Node ${nodeVersion}.`);
  }
  return lines.join('\n');
}

export interface CommandResult {
  code: number;
  stderr: string;
}

/** Runs a command; `captureStderr` keeps its error output (for the installer), else it is shown. */
export type RunCommand = (command: string, args: string[], options: { captureStderr: boolean }) => Promise<CommandResult>;

export const runCommand: RunCommand = (command, args, { captureStderr }) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['inherit', 'inherit', captureStderr ? 'pipe' : 'inherit'] });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // Bounded: a chatty installer cannot grow this without limit.
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    child.on('error', (error) => resolve({ code: 127, stderr: `${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr }));
  });

export interface StartOptions {
  electron: ElectronPackage;
  electronVite: string;
  run: RunCommand;
  log: (line: string) => void;
  fail: (message: string) => void;
  /** Arguments for `electron-vite preview`, after the build. */
  previewArgs?: string[];
}

/** Makes sure the runtime is there, then builds and launches. Resolves to the exit code. */
export async function startApp(options: StartOptions): Promise<number> {
  const { electron, run, log, fail } = options;
  if (!isElectronInstalled(electron)) {
    log(`Getting the Electron ${electron.version} runtime (once; about 100 MB)...`);
    const installer = await run(process.execPath, [path.join(electron.dir, 'install.js')], { captureStderr: true });
    if (installer.code !== 0 || !isElectronInstalled(electron)) {
      fail(downloadFailureMessage(electron, installerFailureCause(installer.stderr)));
      return 1;
    }
  }
  log('Building Latchkey...');
  const build = await run(process.execPath, [options.electronVite, 'build'], { captureStderr: false });
  if (build.code !== 0) return build.code;
  const preview = await run(process.execPath, [options.electronVite, 'preview', ...(options.previewArgs ?? [])], { captureStderr: false });
  return preview.code;
}
