import { BinaryBitmap, ChecksumException, DecodeHintType, FormatException, HybridBinarizer, NotFoundException, QRCodeReader, RGBLuminanceSource } from '@zxing/library';

/** A picture as the decoder reads it: one brightness byte per pixel. */
export interface LuminanceImage {
  width: number;
  height: number;
  luminance: Uint8ClampedArray;
}

const HINTS = new Map<DecodeHintType, unknown>([[DecodeHintType.TRY_HARDER, true]]);
/** An image rarely holds more; the bound keeps a pathological picture from looping long. */
const MAX_CODES = 12;

/** RGBA pixels (canvas ImageData) to brightness, with the usual Rec. 601 weights. */
export function toLuminance(rgba: Uint8ClampedArray, width: number, height: number): LuminanceImage {
  const luminance = new Uint8ClampedArray(width * height);
  for (let index = 0; index < luminance.length; index += 1) {
    const offset = index * 4;
    luminance[index] = ((rgba[offset] as number) * 299 + (rgba[offset + 1] as number) * 587 + (rgba[offset + 2] as number) * 114) / 1000;
  }
  return { width, height, luminance };
}

/**
 * One code, trying what works on different pictures: plain first, then TRY_HARDER, then the picture
 * at half size with and without it (zxing's finder misses some perfectly sharp codes at some sizes;
 * each of these finds what another misses). `thorough` false tries only the first, for the many small windows.
 */
function decodeOne(image: LuminanceImage, thorough: boolean): { text: string; points: { x: number; y: number }[] } | null {
  const plain = attempt(image, undefined, 1);
  if (plain || !thorough) return plain;
  if (Math.min(image.width, image.height) < 200) return attempt(image, HINTS, 1);
  const half = halfSize(image);
  return attempt(image, HINTS, 1) ?? attempt(half, HINTS, 2) ?? attempt(half, undefined, 2);
}

function attempt(image: LuminanceImage, hints: Map<DecodeHintType, unknown> | undefined, scale: number): { text: string; points: { x: number; y: number }[] } | null {
  try {
    const source = new RGBLuminanceSource(image.luminance, image.width, image.height);
    const result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints);
    return { text: result.getText(), points: result.getResultPoints().map((point) => ({ x: point.getX() * scale, y: point.getY() * scale })) };
  } catch (error) {
    if (error instanceof NotFoundException || error instanceof ChecksumException || error instanceof FormatException) return null;
    throw error;
  }
}

/** The picture at half width and height, each pixel the mean of four. */
function halfSize(image: LuminanceImage): LuminanceImage {
  const width = Math.floor(image.width / 2);
  const height = Math.floor(image.height / 2);
  const luminance = new Uint8ClampedArray(width * height);
  const source = image.luminance;
  for (let y = 0; y < height; y += 1) {
    const top = 2 * y * image.width;
    const bottom = top + image.width;
    for (let x = 0; x < width; x += 1) {
      luminance[y * width + x] = ((source[top + 2 * x] as number) + (source[top + 2 * x + 1] as number) + (source[bottom + 2 * x] as number) + (source[bottom + 2 * x + 1] as number)) / 4;
    }
  }
  return { width, height, luminance };
}

/** The ways a frame is read, one per frame in turn: a camera shows the same code for many frames. */
const FRAME_ATTEMPTS = 4;

/**
 * One camera frame: the `frameNumber`-th way of reading (plain, harder, half size, half size
 * harder), so that consecutive frames together try them all at the cost of one read each.
 */
export function decodeFrame(image: LuminanceImage, frameNumber: number): string | null {
  const way = frameNumber % FRAME_ATTEMPTS;
  if (way === 0) return attempt(image, undefined, 1)?.text ?? null;
  if (way === 1) return attempt(image, HINTS, 1)?.text ?? null;
  if (Math.min(image.width, image.height) < 200) return null;
  return attempt(halfSize(image), way === 2 ? HINTS : undefined, 2)?.text ?? null;
}

/**
 * Every QR code in the picture. The decoder finds one code at a time and gets confused by several
 * sets of finder patterns, so: read the whole picture, painting over each code found and reading
 * again; then read overlapping square windows the same way, where a single code stands alone.
 */
export function decodeAllQrCodes(image: LuminanceImage): string[] {
  const working: LuminanceImage = { ...image, luminance: new Uint8ClampedArray(image.luminance) };
  const texts = new Set<string>();
  const whole: Window = { left: 0, top: 0, width: image.width, height: image.height };
  // The first look at the whole picture tries every way; later looks (for further codes) are plain.
  readPaintingOver(working, whole, texts, true);
  for (const window of squareWindows(image.width, image.height)) {
    if (texts.size >= MAX_CODES) break;
    const before = texts.size;
    readPaintingOver(working, window, texts, false);
    // A code found and painted over may free another to be read in the whole picture.
    if (texts.size > before) readPaintingOver(working, whole, texts, false);
  }
  return [...texts];
}

interface Window {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Squares of half the shorter side, each overlapping the next by three quarters, so a code cut by one fits the next. */
function squareWindows(width: number, height: number): Window[] {
  const side = Math.floor(Math.min(width, height) / 2);
  const stride = Math.max(1, Math.floor(side / 4));
  const result: Window[] = [];
  if (side < 64) return result;
  for (let top = 0; top + side <= height; top += stride) {
    for (let left = 0; left + side <= width; left += stride) result.push({ left, top, width: side, height: side });
  }
  return result;
}

/** Reads codes in one window until none is left; only the first read may be thorough (the rest look for more). */
function readPaintingOver(image: LuminanceImage, window: Window, texts: Set<string>, thorough: boolean): void {
  for (let attempt = 0; attempt < MAX_CODES && texts.size < MAX_CODES; attempt += 1) {
    const crop = cropOf(image, window);
    if (isBlank(crop)) return;
    const found = decodeOne(crop, thorough && attempt === 0);
    if (!found) return;
    texts.add(found.text);
    const points = found.points.map((point) => ({ x: point.x + window.left, y: point.y + window.top }));
    if (!paintOver(image, points)) return;
  }
}

function cropOf(image: LuminanceImage, window: Window): LuminanceImage {
  if (window.left === 0 && window.top === 0 && window.width === image.width && window.height === image.height) return image;
  const luminance = new Uint8ClampedArray(window.width * window.height);
  for (let row = 0; row < window.height; row += 1) {
    const start = (window.top + row) * image.width + window.left;
    luminance.set(image.luminance.subarray(start, start + window.width), row * window.width);
  }
  return { width: window.width, height: window.height, luminance };
}

/** A window with no contrast at all holds no code: skip the decoder's work. */
function isBlank(image: LuminanceImage): boolean {
  const first = image.luminance[0] as number;
  for (let index = 0; index < image.luminance.length; index += 97) {
    if (Math.abs((image.luminance[index] as number) - first) > 40) return false;
  }
  return true;
}

/** Fills the code's area with white; false when the points do not describe an area. */
function paintOver(image: LuminanceImage, points: { x: number; y: number }[]): boolean {
  if (points.length < 3) return false;
  const xs = points.map((point) => point.x);
  const ys = points.map((point) => point.y);
  const spanX = Math.max(...xs) - Math.min(...xs);
  const spanY = Math.max(...ys) - Math.min(...ys);
  // Finder pattern centres sit 3.5 modules in from the corners: widen by a third of the span to cover the code.
  const margin = Math.max(spanX, spanY) / 3 + 4;
  const left = Math.max(0, Math.floor(Math.min(...xs) - margin));
  const right = Math.min(image.width, Math.ceil(Math.max(...xs) + margin));
  const top = Math.max(0, Math.floor(Math.min(...ys) - margin));
  const bottom = Math.min(image.height, Math.ceil(Math.max(...ys) + margin));
  if (right <= left || bottom <= top) return false;
  for (let y = top; y < bottom; y += 1) image.luminance.fill(255, y * image.width + left, y * image.width + right);
  return true;
}
