/**
 * `npm start`: get the Electron runtime when it is missing, then build and launch Latchkey.
 * LATCHKEY_ELECTRON_DIR points at another copy of the `electron` package (the tests use it to run
 * the real installer against a folder of their own).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readElectronPackage, runCommand, startApp } from './electron-runtime';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = process.env.LATCHKEY_ELECTRON_DIR || path.join(repoRoot, 'node_modules', 'electron');

const code = await startApp({
  electron: readElectronPackage(electronDir),
  electronVite: path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'),
  run: runCommand,
  log: (line) => console.log(line),
  fail: (message) => console.error(message),
  previewArgs: process.argv.slice(2),
});
process.exitCode = code;
