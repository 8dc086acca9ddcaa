import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
import { halfPgm, rgbaToPgm } from './grey-image';

/**
 * The one QR decoder of Latchkey: zxing-cpp built to WebAssembly (zxing-wasm), used for pictures,
 * drops, pastes, screen captures and camera frames in the window (inside a worker), and for
 * pictures in the main process and the command line.
 *
 * The .wasm always comes from the app's own files: the caller hands its bytes over (Node reads them
 * from disk, the window's worker carries them in its own script). zxing-wasm's default is to fetch
 * them from a CDN; handing over `wasmBinary` means no fetch happens at all, and `locateFile` is
 * replaced so that even a mistake could never name a remote address.
 */

/** Pixels as a canvas gives them: 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Where the decoder's .wasm bytes come from (read once, on first use). */
export type WasmSource = () => Promise<Uint8Array>;

/** A picture rarely holds more codes; the bound keeps a crafted one from producing thousands. */
export const MAX_CODES_PER_PICTURE = 32;
/** Larger pictures are refused before decoding: 8K is 33 MP, and every pixel costs memory in the decoder. */
export const MAX_PICTURE_PIXELS = 40_000_000;

/**
 * Pictures and screenshots: the harder search, inverted codes as dark-mode pages show them, and a
 * downscaled pass for blurry or large pictures; QR codes only. No tryRotate: zxing-cpp's QR finder
 * reads codes at any angle, and the extra 90° passes cost time (and found nothing more on the
 * bench's corpus, where 45° codes read without them).
 */
export const PICTURE_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: MAX_CODES_PER_PICTURE,
};

/**
 * The first look at a picture: the harder search at full size only. Most pictures' codes are found
 * here, in about a quarter of the time of every pass (PICTURE_OPTIONS runs the inverted and the
 * downscaled passes too, and keeps looking after finding codes, for further ones).
 */
export const PICTURE_QUICK_OPTIONS: ReaderOptions = { ...PICTURE_OPTIONS, tryInvert: false, tryDownscale: false };

/**
 * Camera frames: a frame comes again a tenth of a second later, so one quick look each is worth
 * more than a thorough one; the inverted pass stays (a phone in dark mode shows an inverted code).
 */
export const FRAME_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: false,
  tryRotate: false,
  tryInvert: true,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};

/** The first look at a camera frame, at half size (readQrFrame): the plain pass only. */
export const HALF_FRAME_OPTIONS: ReaderOptions = { ...FRAME_OPTIONS, tryInvert: false, tryDownscale: false };
/** Frames smaller than this (either side) are read at full size only: halving would make modules too small. */
const HALF_FRAME_MIN_SIDE = 320;

let prepared: Promise<void> | null = null;

/**
 * Gives the decoder its .wasm. Called once per process (or worker); later calls reuse the first
 * module. The returned promise settles when the module is instantiated.
 */
export function prepareQrReader(source: WasmSource): Promise<void> {
  prepared ??= source().then(async (wasmBinary) => {
    // Emscripten copies the bytes into the module; the view must be an ArrayBuffer of its own.
    const binary = wasmBinary.byteOffset === 0 && wasmBinary.byteLength === wasmBinary.buffer.byteLength ? wasmBinary.buffer : wasmBinary.slice().buffer;
    await prepareZXingModule({
      overrides: { wasmBinary: binary as ArrayBuffer, locateFile: (file: string) => file },
      equalityFn: () => true,
      fireImmediately: true,
    });
  });
  prepared.catch(() => {
    // A failed load may be retried by a later call (e.g. the file was briefly unreadable).
    prepared = null;
  });
  return prepared;
}

function requirePrepared(): Promise<void> {
  if (!prepared) throw new Error('The QR decoder was used before prepareQrReader gave it its .wasm.');
  return prepared;
}

/**
 * The texts of every QR code in the pixels, each once. Without `options`, a picture: the quick look
 * first, and every pass only when it finds nothing (an inverted, blurred or tiny code). So a
 * picture that mixes a plain code with an inverted one gives the plain one only; a person scans the
 * other on its own.
 */
export async function readQrCodes(image: RgbaImage, options?: ReaderOptions): Promise<string[]> {
  checkSize(image.width, image.height);
  if (image.data.length < image.width * image.height * 4) throw new Error('The picture holds fewer pixels than its size says.');
  await requirePrepared();
  const pixels = { width: image.width, height: image.height, data: image.data } as ImageData;
  if (options) return textsOf(await readBarcodes(pixels, options));
  // The quick look goes through zxing-wasm's own RGBA path (measured ~2.5 ms faster on a 1920x1080
  // screenshot than a PGM: no extra copies). Its grey ignores alpha, so a transparent picture's
  // clear pixels are black there; the thorough passes read our grey, laid over white.
  const quick = textsOf(await readBarcodes(pixels, PICTURE_QUICK_OPTIONS));
  return quick.length > 0 ? quick : textsOf(await readBarcodes(rgbaToPgm(image), PICTURE_OPTIONS));
}

/**
 * The text of the code in a camera frame, or none: first at half size (a quarter of the pixels; the
 * code fills much of a frame held up to the camera), then, when that finds nothing, the frame at
 * full size with FRAME_OPTIONS (inverted, and small or dense codes such as a Google export). A frame
 * with no code costs about a quarter more than one full-size look; a frame with one, about a quarter.
 */
export async function readQrFrame(image: RgbaImage): Promise<string[]> {
  checkSize(image.width, image.height);
  if (image.data.length < image.width * image.height * 4) throw new Error('The picture holds fewer pixels than its size says.');
  await requirePrepared();
  const grey = rgbaToPgm(image);
  if (Math.min(image.width, image.height) >= HALF_FRAME_MIN_SIDE) {
    const half = textsOf(await readBarcodes(halfPgm(grey, image.width, image.height), HALF_FRAME_OPTIONS));
    if (half.length > 0) return half;
  }
  return textsOf(await readBarcodes(grey, FRAME_OPTIONS));
}

/**
 * The same for an encoded picture that zxing-cpp decodes itself (stb_image: PNG, JPEG, GIF, BMP).
 * The caller checks the size first (readPictureHeader, checkSize).
 */
export async function readQrCodesFromEncoded(bytes: Uint8Array, options?: ReaderOptions): Promise<string[]> {
  await requirePrepared();
  return inTwoSteps(options, (chosen) => readBarcodes(bytes, chosen));
}

async function inTwoSteps(options: ReaderOptions | undefined, read: (options: ReaderOptions) => Promise<{ isValid: boolean; text: string }[]>): Promise<string[]> {
  if (options) return textsOf(await read(options));
  const quick = textsOf(await read(PICTURE_QUICK_OPTIONS));
  return quick.length > 0 ? quick : textsOf(await read(PICTURE_OPTIONS));
}

export function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error('The picture has no pixels.');
  if (width * height > MAX_PICTURE_PIXELS) throw new PictureTooLargeError(width, height);
}

export class PictureTooLargeError extends Error {
  constructor(readonly width: number, readonly height: number) {
    super(`The picture is ${width}x${height} pixels; Latchkey reads pictures of up to ${MAX_PICTURE_PIXELS / 1_000_000} million pixels.`);
  }
}

function textsOf(results: { isValid: boolean; text: string }[]): string[] {
  const texts = new Set<string>();
  for (const result of results) if (result.isValid && result.text !== '') texts.add(result.text);
  return [...texts];
}
