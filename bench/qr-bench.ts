import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { prepareNodeQrReader } from '../shared/qr/node-reader';
import { readQrCodes } from '../shared/qr/qr-reader';
import { type CorpusPicture, type CorpusRandom, corpusPicture, rgbaOf, VARIANTS, type Variant } from '../test/support/qr-corpus';
import { benchQrInChromium, type BrowserQrFigures } from './qr-browser-bench';

/**
 * The QR decoding benchmark: a seeded corpus (test/support/qr-corpus.ts) read by the app's decoder
 * (shared/qr, zxing-cpp) and by zbarimg on the very same pictures, per variant; then the figures that
 * only a browser gives (qr-browser-bench.ts): a 1920x1080 screenshot and a camera frame in the
 * production worker, cold and warm, and the camera from its first frame to the account shown.
 */
export const CORPUS_SEED = 0x5eed_9c0d;
/** Pictures per variant; as-is codes get PER_SCALE at each of 1..8 px per module (the 99.5% target needs hundreds). */
const PER_VARIANT = 30;
const AS_IS_PER_SCALE = 50;

export interface Timing {
  median: number;
  low: number;
  high: number;
  runs: number;
}

export interface VariantRow {
  variant: Variant;
  pictures: number;
  zxingRead: number;
  zxingMs: Timing;
  zbarRead: number | null;
  zbarMs: Timing | null;
}

export interface QrBenchResult {
  rows: VariantRow[];
  asIsByScale: { scale: number; pictures: number; read: number }[];
  zbarNote: string;
  browser: BrowserQrFigures;
}

export function timing(values: number[]): Timing {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, low: sorted[0] ?? Number.NaN, high: sorted[sorted.length - 1] ?? Number.NaN, runs: sorted.length };
}

/** The bench's own seeded source (mulberry32), so that it needs nothing from vitest. */
export function benchRandom(seed: number): CorpusRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, bytes: (length) => Uint8Array.from({ length }, () => int(0, 255)), pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number] };
}

function corpus(): CorpusPicture[] {
  const random = benchRandom(CORPUS_SEED);
  const pictures: CorpusPicture[] = [];
  for (const variant of VARIANTS) {
    const count = variant === 'as-is' ? AS_IS_PER_SCALE * 8 : PER_VARIANT;
    for (let index = 0; index < count; index += 1) pictures.push(corpusPicture(variant, random));
  }
  return pictures;
}

function sameTexts(found: string[], expected: string[]): boolean {
  return found.length === expected.length && expected.every((text) => found.includes(text));
}

/** RGBA as the window would have it: for JPEG, the JPEG's own decoded pixels (what zbarimg reads too). */
function pixelsOf(picture: CorpusPicture, file: Buffer): { width: number; height: number; data: Uint8ClampedArray } {
  if (picture.format === 'png') return { width: picture.width, height: picture.height, data: rgbaOf(picture.grey) };
  const decoded = jpeg.decode(file, { useTArray: true, formatAsRGBA: true });
  return { width: decoded.width, height: decoded.height, data: new Uint8ClampedArray(decoded.data) };
}

const ZBAR_ARGS = ['--nodbus', '-Sdisable', '-Sqrcode.enable', '-Stest-inverted', '-q', '--raw'];

function zbarAvailable(): boolean {
  return spawnSync('zbarimg', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** zbarimg's wall time for one picture, and what it read. */
function runZbar(file: string): { texts: string[]; ms: number } {
  const start = performance.now();
  const result = spawnSync('zbarimg', [...ZBAR_ARGS, file], { encoding: 'utf8' });
  const ms = performance.now() - start;
  return { texts: result.status === 0 ? result.stdout.split('\n').filter((line) => line !== '') : [], ms };
}

/**
 * zbarimg's time for one decode of the picture, without its process start-up (about 100 ms, and
 * noisy): the wall time of `zbarimg FILE FILE` less that of `zbarimg FILE`. On a busy machine a
 * single difference can come out below zero; the medians are what the table shows.
 */
function zbarDecodeMs(file: string, once: number): number {
  const start = performance.now();
  spawnSync('zbarimg', [...ZBAR_ARGS, file, file], { encoding: 'utf8' });
  return performance.now() - start - once;
}

export async function benchQr(log: (line: string) => void): Promise<QrBenchResult> {
  await prepareNodeQrReader();
  const generated = performance.now();
  const pictures = corpus();
  log(`  corpus: ${pictures.length} pictures from seed ${CORPUS_SEED.toString(16)} in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-qr-bench-'));
  const zbar = zbarAvailable();
  try {
    const perVariant = new Map<Variant, { read: number; ms: number[]; zbarRead: number; zbarMs: number[] }>();
    const byScale = new Map<number, { pictures: number; read: number }>();
    for (const [index, picture] of pictures.entries()) {
      const file = picture.encode();
      const filePath = path.join(dir, `${index}.${picture.format === 'png' ? 'png' : 'jpg'}`);
      writeFileSync(filePath, file);
      const pixels = pixelsOf(picture, file);
      const start = performance.now();
      const found = await readQrCodes(pixels);
      const ms = performance.now() - start;
      const row = perVariant.get(picture.variant) ?? { read: 0, ms: [], zbarRead: 0, zbarMs: [] };
      perVariant.set(picture.variant, row);
      const ok = sameTexts(found, picture.texts);
      if (ok) row.read += 1;
      row.ms.push(ms);
      if (picture.variant === 'as-is') {
        const scale = byScale.get(picture.scale) ?? { pictures: 0, read: 0 };
        byScale.set(picture.scale, { pictures: scale.pictures + 1, read: scale.read + (ok ? 1 : 0) });
      }
      if (zbar) {
        const read = runZbar(filePath);
        if (sameTexts(read.texts, picture.texts)) row.zbarRead += 1;
        row.zbarMs.push(zbarDecodeMs(filePath, read.ms));
      }
    }
    const rows = VARIANTS.map((variant): VariantRow => {
      const row = perVariant.get(variant) ?? { read: 0, ms: [], zbarRead: 0, zbarMs: [] };
      return { variant, pictures: row.ms.length, zxingRead: row.read, zxingMs: timing(row.ms), zbarRead: zbar ? row.zbarRead : null, zbarMs: zbar ? timing(row.zbarMs) : null };
    });
    const asIsByScale = [...byScale].sort(([a], [b]) => a - b).map(([scale, value]) => ({ scale, ...value }));
    log('  corpus read; now the browser figures');
    const browser = await benchQrInChromium(dir, benchRandom(CORPUS_SEED + 1));
    return { rows, asIsByScale, zbarNote: zbar ? `zbarimg ${zbarVersion()} ${ZBAR_ARGS.join(' ')}` : 'zbarimg is not installed', browser };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function zbarVersion(): string {
  return execFileSync('zbarimg', ['--version'], { encoding: 'utf8' }).trim();
}
