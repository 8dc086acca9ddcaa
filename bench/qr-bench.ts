import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium, openApp, stopRendererServer } from '../test/e2e/support/app';
import { centred, drawQrCodes, greyscalePng, writeY4m } from '../test/support/qr-images';

const RUNS = 9;
const WIDTH = 1920;
const HEIGHT = 1080;
const TEXT = 'otpauth://totp/GitHub:octocat@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA1&digits=6&period=30';

export interface QrBenchResult {
  screenshotMs: number;
  zbarimgMs: number | null;
  /** From the first camera frame (every frame shows the code) to the account shown as read. */
  cameraMs: number | null;
  cameraNote: string;
  zbarimgFrameMs: number | null;
}

const CAMERA_RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * A screenshot-like 1920x1080 picture: a page of text-like strokes and blocks around one QR code,
 * so the decoder has real edges to wade through, not a blank page.
 */
function busyScreenshot(): Uint8Array {
  const pixels = drawQrCodes(WIDTH, HEIGHT, [{ text: TEXT, x: 1240, y: 320, scale: 5 }]);
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let line = 40; line < HEIGHT - 20; line += 22) {
    for (let x = 40; x < 1180; ) {
      const word = 12 + Math.floor(random() * 70);
      for (let y = line; y < line + 10; y += 1) pixels.fill(60 + Math.floor(random() * 40), y * WIDTH + x, y * WIDTH + Math.min(x + word, 1180));
      x += word + 8;
    }
  }
  for (let y = 0; y < 30; y += 1) pixels.fill(90, y * WIDTH, (y + 1) * WIDTH);
  return pixels;
}

/** The renderer's decoder, bundled for the page exactly as the app ships it. */
async function decoderBundle(): Promise<string> {
  const result = await build({
    stdin: {
      contents: "import { decodeAllQrCodes, toLuminance } from './renderer/src/scan/qr-decoder'; (globalThis as any).latchkeyQr = { decodeAllQrCodes, toLuminance };",
      resolveDir: path.resolve(import.meta.dirname, '..'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    minify: true,
    logLevel: 'error',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** Decode time of one screenshot in Chromium with the renderer's decoder, and zbarimg on the same file. */
export async function benchQr(): Promise<QrBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-qr-bench-'));
  const pngPath = path.join(dir, 'screenshot.png');
  const png = greyscalePng(WIDTH, HEIGHT, busyScreenshot());
  writeFileSync(pngPath, png);
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    await page.setContent('<canvas id="c"></canvas>');
    await page.addScriptTag({ content: await decoderBundle() });
    const timings = await page.evaluate(
      async ({ dataUrl, runs }) => {
        type Decoder = { decodeAllQrCodes: (image: unknown) => string[]; toLuminance: (rgba: Uint8ClampedArray, w: number, h: number) => unknown };
        const decoder = (globalThis as unknown as { latchkeyQr: Decoder }).latchkeyQr;
        const image = new Image();
        image.src = dataUrl;
        await image.decode();
        const canvas = document.getElementById('c') as HTMLCanvasElement;
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
        const times: number[] = [];
        let text = '';
        for (let run = 0; run < runs; run += 1) {
          const start = performance.now();
          context.drawImage(image, 0, 0);
          const pixels = context.getImageData(0, 0, image.width, image.height);
          text = decoder.decodeAllQrCodes(decoder.toLuminance(pixels.data, pixels.width, pixels.height)).join('\n');
          times.push(performance.now() - start);
        }
        return { times, text };
      },
      { dataUrl: `data:image/png;base64,${png.toString('base64')}`, runs: RUNS },
    );
    if (timings.text !== TEXT) throw new Error(`the decoder read ${JSON.stringify(timings.text)} instead of the code`);
    await browser.close();
    browser = null;
    const camera = await benchCamera(dir);
    return { screenshotMs: median(timings.times), zbarimgMs: timeZbarimg(pngPath), ...camera };
  } finally {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The scan page with Chromium's fake camera playing a video whose every frame shows the code:
 * the time from the first frame the page is given to the account shown as read.
 */
async function benchCamera(dir: string): Promise<Pick<QrBenchResult, 'cameraMs' | 'cameraNote' | 'zbarimgFrameMs'>> {
  const video = path.join(dir, 'camera.y4m');
  const frame = centred(TEXT, 640, 480, 0.6);
  writeY4m(video, Array.from({ length: 30 }, () => [frame]));
  const framePng = path.join(dir, 'frame.png');
  writeFileSync(framePng, greyscalePng(640, 480, drawQrCodes(640, 480, [frame])));
  const browser = await launchChromium({ fakeVideo: video });
  const times: number[] = [];
  try {
    for (let run = 0; run < CAMERA_RUNS; run += 1) {
      const app = await openApp(browser);
      try {
        await app.services.vault.create({ password: null, useKeychain: true });
        await app.page.getByRole('button', { name: 'Scan QR code' }).click({ timeout: 10_000 });
        const elapsed = await app.page.evaluate(
          () =>
            new Promise<number>((resolve, reject) => {
              const started = performance.now();
              const watch = () => {
                const videoElement = document.querySelector('video');
                if (!videoElement) {
                  if (performance.now() - started > 10_000) reject(new Error('no video element on the scan page'));
                  else requestAnimationFrame(watch);
                  return;
                }
                videoElement.requestVideoFrameCallback((firstFrameAt) => {
                  const observer = new MutationObserver(() => {
                    if (document.body.textContent?.includes('Account found')) {
                      observer.disconnect();
                      resolve(performance.now() - firstFrameAt);
                    }
                  });
                  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
                });
              };
              watch();
            }),
        );
        times.push(elapsed);
      } finally {
        await app.close();
      }
    }
  } catch (error) {
    return { cameraMs: null, cameraNote: error instanceof Error ? error.message : String(error), zbarimgFrameMs: timeZbarimg(framePng, TEXT) };
  } finally {
    await browser.close();
    await stopRendererServer();
  }
  return { cameraMs: median(times), cameraNote: '', zbarimgFrameMs: timeZbarimg(framePng, TEXT) };
}

/** zbarimg's wall time per run, process start included (that is how it is used). Null when not installed. */
function timeZbarimg(pngPath: string, expected = TEXT): number | null {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
  } catch {
    return null;
  }
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const start = performance.now();
    const text = execFileSync('zbarimg', ['-q', '--raw', pngPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    times.push(performance.now() - start);
    if (text !== expected) throw new Error(`zbarimg read ${JSON.stringify(text)}`);
  }
  return median(times);
}
