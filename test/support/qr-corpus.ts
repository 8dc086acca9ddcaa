import jpeg from 'jpeg-js';
import { encodeBase32, encodeMigrationUris } from '../../electron/main/otp';
import { drawQrCodes, greyscalePng, type QrPlacement } from './qr-images';
import { qrModules } from './qr';

/**
 * A seeded corpus of pictures of QR codes for the decoder's tests and its benchmark: otpauth and
 * otpauth-migration links drawn at 1 to 8 px per module, then as they reach Latchkey (as is,
 * inverted, in a busy screenshot, rotated, downscaled, blurred, noisy, JPEG 40, low contrast,
 * in perspective, as camera frames), several in one picture, and pictures with none.
 * The same seed gives the same pictures, byte for byte.
 */
export const VARIANTS = [
  'as-is',
  'inverted',
  'screenshot',
  'rotated-7',
  'rotated-45',
  'downscaled',
  'blurred',
  'noisy',
  'jpeg-40',
  'low-contrast',
  'perspective',
  'camera',
  'several',
  'none',
] as const;
export type Variant = (typeof VARIANTS)[number];

export interface CorpusPicture {
  variant: Variant;
  /** Pixels per module of the drawn code(s) before any change. */
  scale: number;
  /** What a decoder must read, in any order (empty: the picture holds no code). */
  texts: string[];
  width: number;
  height: number;
  /** Greyscale pixels, 0 dark .. 255 light. */
  grey: Uint8Array;
  format: 'png' | 'jpeg';
  /** The picture as a file (PNG, or JPEG quality 40 for that variant). */
  encode(): Buffer;
}

/** The random source the corpus draws from (test/support/seeded-random.ts's shape, or the bench's own). */
export interface CorpusRandom {
  next(): number;
  int(min: number, max: number): number;
  bytes(length: number): Uint8Array;
  pick<T>(items: readonly T[]): T;
}

const QUIET = 4;
const LIGHT = 235;
const DARK = 16;

/** One account link, or a Google export of 1 to 10 accounts (10 with long names: the largest codes Google writes). */
export function corpusText(random: CorpusRandom, kind: 'otpauth' | 'migration' | 'largest-migration' = random.next() < 0.7 ? 'otpauth' : 'migration'): string {
  if (kind === 'otpauth') {
    const issuer = random.pick(['GitHub', 'Google', 'ACME Corp', 'Bank of Somewhere', 'Proton', 'Fastmail']);
    const label = `user${random.int(1, 99_999)}@example.com`;
    const secret = encodeBase32(random.bytes(random.pick([10, 16, 20, 32])));
    const extra = random.pick(['', '&algorithm=SHA256', '&digits=8', '&period=60', '&algorithm=SHA512&digits=8']);
    return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?secret=${secret}&issuer=${encodeURIComponent(issuer)}${extra}`;
  }
  const largest = kind === 'largest-migration';
  const count = largest ? 10 : random.int(1, 10);
  const accounts = Array.from({ length: count }, (_, index) => ({
    type: 'totp' as const,
    secret: encodeBase32(random.bytes(largest ? 32 : random.pick([10, 20, 32]))),
    issuer: largest ? `Service with a long name ${index}` : `Service ${index}`,
    label: largest ? `someone.with.a.long.address.${index}@example.org` : `me${index}`,
    algorithm: 'SHA1' as const,
    digits: 6,
    period: 30,
    counter: 0,
  }));
  return encodeMigrationUris(accounts, 10, random.int(1, 0x7fff_ffff))[0] as string;
}

function sideOf(text: string, scale: number): number {
  return (qrModules(text).size + 2 * QUIET) * scale;
}

function picture(variant: Variant, scale: number, texts: string[], width: number, height: number, grey: Uint8Array, format: 'png' | 'jpeg' = 'png'): CorpusPicture {
  return {
    variant,
    scale,
    texts,
    width,
    height,
    grey,
    format,
    encode: () => (format === 'png' ? greyscalePng(width, height, grey) : jpegOf(width, height, grey, 40)),
  };
}

/** A code on its own light canvas with a margin, as an exported or saved picture. */
function single(text: string, scale: number, margin: number): { width: number; height: number; grey: Uint8Array } {
  const side = sideOf(text, scale) + 2 * margin;
  return { width: side, height: side, grey: drawQrCodes(side, side, [{ text, x: margin, y: margin, scale }], LIGHT, DARK) };
}

/** One picture of the variant, drawn from `random`. */
export function corpusPicture(variant: Variant, random: CorpusRandom): CorpusPicture {
  const scale = random.int(1, 8);
  const text = corpusText(random);
  const margin = random.int(0, 24);
  switch (variant) {
    case 'as-is': {
      const { width, height, grey } = single(text, scale, margin);
      return picture(variant, scale, [text], width, height, grey);
    }
    case 'inverted': {
      const { width, height, grey } = single(text, scale, margin);
      return picture(variant, scale, [text], width, height, grey.map((value) => 255 - value));
    }
    case 'screenshot':
      return screenshot(random, [text], random.int(2, 6));
    case 'rotated-7':
    case 'rotated-45': {
      const drawn = single(text, Math.max(3, scale), 16);
      const angle = ((variant === 'rotated-7' ? 7 : 45) * Math.PI) / 180;
      return picture(variant, Math.max(3, scale), [text], ...warp(drawn, rotation(angle, drawn.width, drawn.height)));
    }
    case 'downscaled': {
      const big = random.int(5, 8);
      const drawn = single(text, big, 16);
      const factor = 1.8 + random.next() * 1.4;
      return picture(variant, big / factor, [text], ...resize(drawn, Math.round(drawn.width / factor), Math.round(drawn.height / factor)));
    }
    case 'blurred': {
      const drawn = single(text, Math.max(3, scale), 16);
      return picture(variant, Math.max(3, scale), [text], drawn.width, drawn.height, boxBlur(boxBlur(drawn.grey, drawn.width, drawn.height, 1), drawn.width, drawn.height, 1));
    }
    case 'noisy': {
      const drawn = single(text, Math.max(2, scale), 16);
      return picture(variant, Math.max(2, scale), [text], drawn.width, drawn.height, drawn.grey.map((value) => clamp(value + (random.next() - 0.5) * 120)));
    }
    case 'jpeg-40': {
      const drawn = single(text, Math.max(2, scale), margin + 8);
      return picture(variant, Math.max(2, scale), [text], drawn.width, drawn.height, drawn.grey, 'jpeg');
    }
    case 'low-contrast': {
      const side = sideOf(text, scale) + 2 * margin;
      return picture(variant, scale, [text], side, side, drawQrCodes(side, side, [{ text, x: margin, y: margin, scale }], 170, 110));
    }
    case 'perspective': {
      const drawn = single(text, Math.max(3, scale), 24);
      return picture(variant, Math.max(3, scale), [text], ...warp(drawn, perspective(drawn.width, drawn.height, 0.12 + random.next() * 0.1)));
    }
    case 'camera':
      return cameraFrame(random, text);
    case 'several': {
      const texts = Array.from({ length: random.int(2, 4) }, () => corpusText(random, 'otpauth'));
      return screenshot(random, texts, random.int(2, 5), 'several');
    }
    case 'none':
      return screenshot(random, [], 3, 'none');
  }
}

/** `count` pictures of each variant, in a fixed order. */
export function qrCorpus(random: CorpusRandom, count: number, variants: readonly Variant[] = VARIANTS): CorpusPicture[] {
  return variants.flatMap((variant) => Array.from({ length: count }, () => corpusPicture(variant, random)));
}

/** A 1920x1080 page of text-like strokes and blocks with the codes placed where they fit. */
export function screenshot(random: CorpusRandom, texts: string[], scale: number, variant: Variant = 'screenshot'): CorpusPicture {
  const width = 1920;
  const height = 1080;
  const placements: QrPlacement[] = [];
  let left = random.int(40, 400);
  for (const text of texts) {
    const side = sideOf(text, scale);
    if (left + side > width - 20) break;
    placements.push({ text, x: left, y: random.int(60, Math.max(60, height - side - 20)), scale });
    left += side + random.int(20, 120);
  }
  const grey = drawQrCodes(width, height, [], LIGHT, DARK);
  for (let line = 40; line < height - 20; line += 22) {
    for (let x = 20; x < width - 20; ) {
      const word = 12 + random.int(0, 70);
      for (let y = line; y < line + 10; y += 1) grey.fill(60 + random.int(0, 40), y * width + x, y * width + Math.min(x + word, width - 20));
      x += word + 8;
    }
  }
  // The codes sit on white cards on top of the page, as a web page shows them.
  for (const placement of placements) {
    const side = sideOf(placement.text, scale);
    for (let y = placement.y; y < placement.y + side; y += 1) grey.fill(LIGHT, y * width + placement.x, y * width + placement.x + side);
  }
  const codes = drawQrCodes(width, height, placements, LIGHT, DARK);
  for (let index = 0; index < grey.length; index += 1) if (codes[index] === DARK) grey[index] = DARK;
  return picture(variant, scale, placements.map((placement) => placement.text), width, height, grey);
}

/** A 640x480 camera frame: the code held up at a slight angle, uneven light, soft focus and sensor noise. */
export function cameraFrame(random: CorpusRandom, text: string): CorpusPicture {
  const width = 640;
  const height = 480;
  const modules = qrModules(text).size + 2 * QUIET;
  const scale = Math.max(1, Math.floor((height * (0.5 + random.next() * 0.3)) / modules));
  const side = modules * scale;
  const drawn = { width, height, grey: drawQrCodes(width, height, [{ text, x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), scale }], 200, 45) };
  const [w, h, tilted] = warp(drawn, rotation(((random.next() - 0.5) * 8 * Math.PI) / 180, width, height), width, height, 120);
  const soft = boxBlur(tilted, w, h, 1);
  const lit = soft.map((value, index) => clamp(value * (0.75 + 0.35 * ((index % w) / w)) + (random.next() - 0.5) * 30));
  return picture('camera', scale, [text], w, h, lit);
}

type Transform = (x: number, y: number) => [number, number];

function clamp(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** Inverse map: for each output pixel, where to sample the source (bilinear); outside is `fill`. */
function warp(source: { width: number; height: number; grey: Uint8Array }, inverse: Transform & { width?: number; height?: number }, width = inverse.width ?? source.width, height = inverse.height ?? source.height, fill = LIGHT): [number, number, Uint8Array] {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const [sx, sy] = inverse(x + 0.5, y + 0.5);
      out[y * width + x] = sample(source, sx - 0.5, sy - 0.5, fill);
    }
  }
  return [width, height, out];
}

function sample(source: { width: number; height: number; grey: Uint8Array }, x: number, y: number, fill: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const at = (px: number, py: number) => (px < 0 || py < 0 || px >= source.width || py >= source.height ? fill : (source.grey[py * source.width + px] as number));
  const fx = x - x0;
  const fy = y - y0;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return clamp(top * (1 - fy) + bottom * fy);
}

/** Rotation about the centre, into a canvas large enough for the whole rotated square. */
function rotation(angle: number, width: number, height: number): Transform & { width: number; height: number } {
  const outWidth = Math.ceil(Math.abs(width * Math.cos(angle)) + Math.abs(height * Math.sin(angle)));
  const outHeight = Math.ceil(Math.abs(width * Math.sin(angle)) + Math.abs(height * Math.cos(angle)));
  const cos = Math.cos(-angle);
  const sin = Math.sin(-angle);
  const transform = (x: number, y: number): [number, number] => {
    const dx = x - outWidth / 2;
    const dy = y - outHeight / 2;
    return [dx * cos - dy * sin + width / 2, dx * sin + dy * cos + height / 2];
  };
  return Object.assign(transform, { width: outWidth, height: outHeight });
}

/**
 * A true projective view (a homography): the top edge `amount` narrower on each side and a little
 * shorter, as a code on a screen photographed from below.
 */
function perspective(width: number, height: number, amount: number): Transform {
  // Where the source's corners land: (0,0) (1,0) (1,1) (0,1) -> the trapezoid below.
  const quad: [number, number][] = [
    [width * amount, height * amount * 0.5],
    [width * (1 - amount), height * amount * 0.5],
    [width, height],
    [0, height],
  ];
  const forward = squareToQuad(quad);
  const inverse = adjugate(forward);
  return (x, y) => {
    const w = (inverse[6] as number) * x + (inverse[7] as number) * y + (inverse[8] as number);
    const u = ((inverse[0] as number) * x + (inverse[1] as number) * y + (inverse[2] as number)) / w;
    const v = ((inverse[3] as number) * x + (inverse[4] as number) * y + (inverse[5] as number)) / w;
    return [u * width, v * height];
  };
}

/** The homography (row-major 3x3) taking the unit square's corners to `quad` (Heckbert's formulas). */
function squareToQuad(quad: [number, number][]): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = quad as [[number, number], [number, number], [number, number], [number, number]];
  const dx3 = x0 - x1 + x2 - x3;
  const dy3 = y0 - y1 + y2 - y3;
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const denominator = dx1 * dy2 - dx2 * dy1;
  const g = (dx3 * dy2 - dx2 * dy3) / denominator;
  const h = (dx1 * dy3 - dx3 * dy1) / denominator;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

/** The adjugate of a 3x3 matrix: its inverse up to a scale, which a homography ignores. */
function adjugate(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
}

/** Area-average resize (a browser's or a screen's downscale). */
function resize(source: { width: number; height: number; grey: Uint8Array }, width: number, height: number): [number, number, Uint8Array] {
  const out = new Uint8Array(width * height);
  const fx = source.width / width;
  const fy = source.height / height;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      let count = 0;
      for (let sy = Math.floor(y * fy); sy < Math.min(source.height, Math.ceil((y + 1) * fy)); sy += 1) {
        for (let sx = Math.floor(x * fx); sx < Math.min(source.width, Math.ceil((x + 1) * fx)); sx += 1) {
          sum += source.grey[sy * source.width + sx] as number;
          count += 1;
        }
      }
      out[y * width + x] = count ? Math.round(sum / count) : LIGHT;
    }
  }
  return [width, height, out];
}

function boxBlur(grey: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(grey.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let sum = 0;
      let count = 0;
      for (let dy = -radius; dy <= radius; dy += 1) {
        for (let dx = -radius; dx <= radius; dx += 1) {
          const px = x + dx;
          const py = y + dy;
          if (px < 0 || py < 0 || px >= width || py >= height) continue;
          sum += grey[py * width + px] as number;
          count += 1;
        }
      }
      out[y * width + x] = Math.round(sum / count);
    }
  }
  return out;
}

export function jpegOf(width: number, height: number, grey: Uint8Array, quality: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  grey.forEach((value, index) => data.set([value, value, value, 255], index * 4));
  return Buffer.from(jpeg.encode({ data, width, height }, quality).data);
}

/** Greyscale to RGBA, as a canvas gives pixels. */
export function rgbaOf(grey: Uint8Array): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(grey.length * 4);
  for (let index = 0; index < grey.length; index += 1) {
    const value = grey[index] as number;
    rgba[index * 4] = value;
    rgba[index * 4 + 1] = value;
    rgba[index * 4 + 2] = value;
    rgba[index * 4 + 3] = 255;
  }
  return rgba;
}
