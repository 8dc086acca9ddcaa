import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type AppUnderTest, launchChromium, openApp, stopRendererServer } from '../test/e2e/support/app';
import { rendererBuildDir } from '../test/e2e/support/renderer-server';
import { cameraFrame, corpusText, type CorpusRandom, screenshot } from '../test/support/qr-corpus';
import { centred, writeY4m } from '../test/support/qr-images';
import { timing, type Timing } from './qr-bench';

/**
 * What only a browser can tell: the production renderer build's QR worker (the .wasm inside it,
 * under the app's CSP, served as in the e2e tests) decoding a 1920x1080 screenshot and a camera
 * frame, cold (the first call in a fresh page: worker start and .wasm compile included) and warm
 * (different pictures each run, the PNG decode inside the timer, as read-image.ts does it); and the
 * scan page with Chromium's fake camera, from the video's first frame to the account shown.
 */
const COLD_RUNS = 7;
const WARM_PICTURES = 21;
const CAMERA_RUNS = 7;

export interface Figure {
  timing: Timing | null;
  /** Why there is no figure, when there is none. */
  note: string;
  /** Pictures whose codes were all read, of those tried. */
  read: number;
  tried: number;
}

export interface BrowserQrFigures {
  screenshotCold: Figure;
  screenshotWarm: Figure;
  frameCold: Figure;
  frameWarm: Figure;
  cameraToResult: Figure;
}

const NOT_MEASURED = (note: string): Figure => ({ timing: null, note, read: 0, tried: 0 });

function workerUrl(): string {
  const worker = readdirSync(path.join(rendererBuildDir, 'assets')).find((file) => /^qr-worker-.*\.js$/.test(file));
  if (!worker) throw new Error('no qr-worker-*.js in the renderer build: run `npm run build` first');
  return `/assets/${worker}`;
}

interface PageRun {
  times: number[];
  texts: string[][];
}

/** In the page: a fresh worker, then each picture decoded in turn (blob -> bitmap -> pixels -> worker), each timed. */
async function decodeInPage(page: Page, url: string, pictures: Buffer[], kind: 'picture' | 'frame', type: string): Promise<PageRun> {
  return page.evaluate(
    async ({ url, encoded, kind, type }) => {
      const worker = new Worker(url, { type: 'module' });
      let nextId = 0;
      const ask = (width: number, height: number, pixels: ArrayBuffer) =>
        new Promise<{ texts?: string[]; error?: string }>((resolve) => {
          const id = ++nextId;
          const onMessage = (event: MessageEvent<{ id: number; texts?: string[]; error?: string }>) => {
            if (event.data.id !== id) return;
            worker.removeEventListener('message', onMessage);
            resolve(event.data);
          };
          worker.addEventListener('message', onMessage);
          worker.postMessage({ id, kind, width, height, pixels }, [pixels]);
        });
      const times: number[] = [];
      const texts: string[][] = [];
      for (const base64 of encoded) {
        const blob = new Blob([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], { type });
        // A picture's time includes decoding the file (read-image.ts); a camera frame's starts at the pixels (CameraScanner).
        let start = performance.now();
        const bitmap = await createImageBitmap(blob);
        if (kind === 'frame') start = performance.now();
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d', { willReadFrequently: true }) as OffscreenCanvasRenderingContext2D;
        context.fillStyle = '#fff';
        context.fillRect(0, 0, bitmap.width, bitmap.height);
        context.drawImage(bitmap, 0, 0);
        const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
        bitmap.close();
        const reply = await ask(pixels.width, pixels.height, pixels.data.buffer as ArrayBuffer);
        times.push(performance.now() - start);
        if (reply.error) throw new Error(reply.error);
        texts.push(reply.texts ?? []);
      }
      worker.terminate();
      return { times, texts };
    },
    { url, encoded: pictures.map((picture) => picture.toString('base64')), kind, type },
  );
}

function figureOf(times: number[], texts: string[][], expected: string[][]): Figure {
  const read = texts.filter((found, index) => (expected[index] ?? []).every((text) => found.includes(text)) && found.length === expected[index]?.length).length;
  return { timing: timing(times), note: '', read, tried: texts.length };
}

async function withPage<T>(browser: Browser, run: (app: AppUnderTest) => Promise<T>): Promise<T> {
  const app = await openApp(browser);
  try {
    return await run(app);
  } finally {
    await app.close();
  }
}

/** Cold: each picture of `cold` in a fresh page (first call there); warm: all of `warm` after a first call in one page. */
async function coldAndWarm(browser: Browser, url: string, kind: 'picture' | 'frame', cold: { file: Buffer; texts: string[] }[], warm: { file: Buffer; texts: string[] }[]): Promise<[Figure, Figure]> {
  const coldTimes: number[] = [];
  const coldTexts: string[][] = [];
  for (const picture of cold) {
    const run = await withPage(browser, (app) => decodeInPage(app.page, url, [picture.file], kind, 'image/png'));
    coldTimes.push(...run.times);
    coldTexts.push(...run.texts);
  }
  const warmRun = await withPage(browser, (app) => decodeInPage(app.page, url, [cold[0]?.file as Buffer, ...warm.map((picture) => picture.file)], kind, 'image/png'));
  return [figureOf(coldTimes, coldTexts, cold.map((picture) => picture.texts)), figureOf(warmRun.times.slice(1), warmRun.texts.slice(1), warm.map((picture) => picture.texts))];
}

export async function benchQrInChromium(dir: string, random: CorpusRandom): Promise<BrowserQrFigures> {
  let url: string;
  try {
    url = workerUrl();
  } catch (error) {
    const note = error instanceof Error ? error.message : String(error);
    return { screenshotCold: NOT_MEASURED(note), screenshotWarm: NOT_MEASURED(note), frameCold: NOT_MEASURED(note), frameWarm: NOT_MEASURED(note), cameraToResult: NOT_MEASURED(note) };
  }
  const shots = Array.from({ length: COLD_RUNS + WARM_PICTURES }, () => {
    const shot = screenshot(random, [corpusText(random)], random.int(2, 6));
    return { file: shot.encode(), texts: shot.texts };
  });
  const frames = Array.from({ length: COLD_RUNS + WARM_PICTURES }, () => {
    const frame = cameraFrame(random, corpusText(random, 'otpauth'));
    return { file: frame.encode(), texts: frame.texts };
  });
  const browser = await launchChromium();
  let figures: [Figure, Figure, Figure, Figure];
  try {
    const [screenshotCold, screenshotWarm] = await coldAndWarm(browser, url, 'picture', shots.slice(0, COLD_RUNS), shots.slice(COLD_RUNS));
    const [frameCold, frameWarm] = await coldAndWarm(browser, url, 'frame', frames.slice(0, COLD_RUNS), frames.slice(COLD_RUNS));
    figures = [screenshotCold, screenshotWarm, frameCold, frameWarm];
  } finally {
    await browser.close();
  }
  const cameraToResult = await benchCamera(dir, corpusText(random, 'otpauth'));
  return { screenshotCold: figures[0], screenshotWarm: figures[1], frameCold: figures[2], frameWarm: figures[3], cameraToResult };
}

/**
 * The scan page with the fake camera (every frame shows the code): listeners set before the click
 * catch the video's first frame ('loadeddata', captured on the document, so a video that lives only
 * a fraction of a second is not missed) and the moment "Account found" appears. Each run is a fresh
 * page, so the decoder is cold, as when a person opens the scanner.
 */
async function benchCamera(dir: string, text: string): Promise<Figure> {
  const video = path.join(dir, 'camera.y4m');
  const placement = centred(text, 640, 480, 0.6);
  writeY4m(video, Array.from({ length: 30 }, () => [placement]));
  const browser = await launchChromium({ fakeVideo: video });
  const times: number[] = [];
  try {
    for (let run = 0; run < CAMERA_RUNS; run += 1) {
      const elapsed = await withPage(browser, async (app) => {
        await app.services.vault.create({ password: null, useKeychain: true });
        await app.page.getByRole('button', { name: 'Scan QR code' }).waitFor({ timeout: 10_000 });
        // Listeners first, in their own call, so that nothing of the scanner's start is missed.
        await app.page.evaluate(() => {
          const page = window as unknown as { latchkeyCameraBench?: Promise<number> };
          page.latchkeyCameraBench = new Promise<number>((resolve, reject) => {
            let firstFrameAt: number | null = null;
            document.addEventListener('loadeddata', () => (firstFrameAt ??= performance.now()), true);
            const observer = new MutationObserver(() => {
              if (!document.body.textContent?.includes('Account found')) return;
              observer.disconnect();
              if (firstFrameAt === null) reject(new Error('the account was shown, but no video frame was seen'));
              else resolve(performance.now() - firstFrameAt);
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            setTimeout(() => reject(new Error('no account shown within 15 s of opening the scanner')), 15_000);
          });
        });
        await app.page.getByRole('button', { name: 'Scan QR code' }).click();
        return app.page.evaluate(() => (window as unknown as { latchkeyCameraBench: Promise<number> }).latchkeyCameraBench);
      });
      times.push(elapsed);
    }
  } catch (error) {
    return { ...NOT_MEASURED(error instanceof Error ? error.message : String(error)), tried: CAMERA_RUNS, read: times.length };
  } finally {
    await browser.close();
    await stopRendererServer();
  }
  return { timing: timing(times), note: '', read: times.length, tried: CAMERA_RUNS };
}
