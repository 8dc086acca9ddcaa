import { benchRenderer, RendererBenchError, type RendererBenchResult } from './renderer-bench';
import { benchImport } from './import-bench';
import { benchQr } from './qr-bench';
import { benchVault, median } from './vault-bench';

const TARGETS = { openKeychainMs: 100, saveMs: 150, codesColdMs: 50, firstCodeMs: 300, idleCpuPercent: 2, screenshotQrMs: 150, cameraQrMs: 500, importBeyondKdfMs: 1000 } as const;
const SECTIONS = ['vault', 'renderer', 'qr', 'import'] as const;
type Section = (typeof SECTIONS)[number];

function format(ms: number): string {
  return ms.toFixed(1).padStart(8);
}

function verdict(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

async function vaultSection(): Promise<void> {
  console.log('Vault (medians of 7 runs; Argon2id 3 passes / 64 MiB for the password slot)\n');
  const rows = await benchVault();
  console.log('accounts | open (keychain) ms | open (password) ms |  save ms | codes (all, cold) ms | codes (all, warm) ms | file KiB');
  for (const row of rows) {
    console.log(
      `${String(row.accounts).padStart(8)} | ${format(row.openKeychainMs).padStart(18)} | ${format(row.openPasswordMs).padStart(18)} | ${format(row.saveMs)} | ${format(row.codesColdMs).padStart(20)} | ${format(row.codesWarmMs).padStart(20)} | ${row.fileKiB.toFixed(0).padStart(8)}`,
    );
  }
  const largest = rows[rows.length - 1];
  if (largest) {
    console.log(`\nTargets at ${largest.accounts} accounts:`);
    console.log(`  open through the keychain slot < ${TARGETS.openKeychainMs} ms: ${largest.openKeychainMs.toFixed(1)} ms ${verdict(largest.openKeychainMs < TARGETS.openKeychainMs)}`);
    console.log(`  save < ${TARGETS.saveMs} ms: ${largest.saveMs.toFixed(1)} ms ${verdict(largest.saveMs < TARGETS.saveMs)}`);
    console.log(`  codes for all accounts < ${TARGETS.codesColdMs} ms: ${largest.codesColdMs.toFixed(1)} ms ${verdict(largest.codesColdMs < TARGETS.codesColdMs)}`);
  }
}

function runs(values: number[]): string {
  return values.map((value) => value.toFixed(0)).join(', ');
}

function percent(value: number | null): string {
  return value === null || Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)}%`;
}

function printRenderer(result: RendererBenchResult): void {
  const firstCode = median(result.firstCodeMs);
  const { idle } = result;
  console.log(`  first code visible after navigation, vault unlocked:      median ${firstCode.toFixed(1)} ms (runs: ${runs(result.firstCodeMs)})`);
  console.log(`    of which loading the page (to DOMContentLoaded end):     median ${median(result.domContentLoadedMs).toFixed(1)} ms (runs: ${runs(result.domContentLoadedMs)})`);
  if (result.firstCodeKeychainMs) {
    console.log(`  first code visible after navigation, keychain unlock:     median ${median(result.firstCodeKeychainMs).toFixed(1)} ms (runs: ${runs(result.firstCodeKeychainMs)}) (no target)`);
  } else {
    console.log(`  first code visible after navigation, keychain unlock:     not measured: ${result.keychainNote}`);
  }
  console.log(
    `  idle CPU over ${idle.seconds.toFixed(1)} s, % of one core:      main-thread tasks ${percent(idle.taskPercent)} ` +
      `(script ${percent(idle.scriptPercent)}, layout ${percent(idle.layoutPercent)}, style ${percent(idle.recalcStylePercent)}); ` +
      `whole renderer process ${percent(idle.processPercent)}`,
  );
  if (!idle.stillShowingCodes) console.log('  WARNING: the list no longer showed codes at the end of the idle window; the idle figure is not of a shown list.');
  console.log(`\nTargets at ${result.accounts} accounts:`);
  console.log(`  first code < ${TARGETS.firstCodeMs} ms: ${firstCode.toFixed(1)} ms ${verdict(firstCode < TARGETS.firstCodeMs)}`);
  console.log(`  idle CPU < ${TARGETS.idleCpuPercent}% of one core (main-thread tasks): ${percent(idle.taskPercent)} ${verdict(idle.taskPercent < TARGETS.idleCpuPercent)}`);
}

async function rendererSection(): Promise<void> {
  console.log('Renderer (production build in Debian Chromium over the real handlers through the e2e test bridge; 1,000 accounts; first code: medians of 5 reloads)\n');
  try {
    printRenderer(await benchRenderer());
  } catch (error) {
    if (!(error instanceof RendererBenchError)) throw error;
    console.error(`\nRenderer benchmark FAILED: ${error.message}`);
    process.exitCode = 1;
  }
}

async function qrSection(): Promise<void> {
  console.log('QR codes (the renderer\'s decoder in Debian Chromium, medians of 9 runs; zbarimg on the same PNG, process start included)\n');
  const result = await benchQr();
  const zbar = result.zbarimgMs === null ? 'zbarimg not installed' : `${result.zbarimgMs.toFixed(1)} ms`;
  const ratio = result.zbarimgMs === null ? 'n/a' : `${(result.screenshotMs / result.zbarimgMs).toFixed(2)}x zbarimg`;
  console.log(`  1920x1080 screenshot, one code, every code searched for: ${result.screenshotMs.toFixed(1)} ms; zbarimg ${zbar} (${ratio})`);
  if (result.cameraMs !== null) {
    const cameraRatio = result.zbarimgFrameMs === null ? 'n/a' : `${(result.cameraMs / result.zbarimgFrameMs).toFixed(2)}x zbarimg on one frame`;
    console.log(`  camera, first frame showing a code to the decoded result: ${result.cameraMs.toFixed(1)} ms (${cameraRatio})`);
  } else {
    console.log(`  camera: not measured: ${result.cameraNote}`);
  }
  console.log('\nTargets:');
  console.log(`  screenshot < ${TARGETS.screenshotQrMs} ms: ${result.screenshotMs.toFixed(1)} ms ${verdict(result.screenshotMs < TARGETS.screenshotQrMs)}`);
  if (result.cameraMs !== null) console.log(`  camera < ${TARGETS.cameraQrMs} ms: ${result.cameraMs.toFixed(1)} ms ${verdict(result.cameraMs < TARGETS.cameraQrMs)}`);
}

async function importSection(): Promise<void> {
  console.log('Import and backup (10,000 accounts, medians of 5 runs; the key derivation is timed on its own and taken out)\n');
  const result = await benchImport();
  const beyond = (total: number, kdf: number) => Math.max(0, total - kdf);
  const rows: [string, number, number][] = [
    ['import an encrypted Aegis vault, with the preview (scrypt N=2^15)', result.aegisMs, result.aegisKdfMs],
    ['import a list of otpauth:// links, with the preview', result.urisMs, 0],
    ['write a Latchkey backup (Argon2id 3 passes / 64 MiB)', result.backupWriteMs, result.backupKdfMs],
    ['read a Latchkey backup', result.backupReadMs, result.backupKdfMs],
  ];
  for (const [label, total, kdf] of rows) {
    const ms = beyond(total, kdf);
    console.log(`  ${label}: ${total.toFixed(1)} ms in all, ${ms.toFixed(1)} ms beyond the key derivation; < ${TARGETS.importBeyondKdfMs} ms ${verdict(ms < TARGETS.importBeyondKdfMs)}`);
  }
}

/** `npm run bench` runs every section; `npm run bench -- renderer` (or vault) runs only those named. */
function sectionsToRun(args: string[]): Section[] {
  const unknown = args.filter((arg) => !(SECTIONS as readonly string[]).includes(arg));
  if (unknown.length > 0) throw new Error(`Unknown bench section(s): ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}.`);
  return args.length === 0 ? [...SECTIONS] : (args as Section[]);
}

async function main(): Promise<void> {
  const sections = sectionsToRun(process.argv.slice(2));
  console.log('Latchkey benchmarks\n');
  for (const [index, section] of sections.entries()) {
    if (index > 0) console.log('');
    await { vault: vaultSection, renderer: rendererSection, qr: qrSection, import: importSection }[section]();
  }
}

await main();
