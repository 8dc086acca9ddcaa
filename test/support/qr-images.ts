import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { qrModules } from './qr';

export interface QrPlacement {
  text: string;
  /** Top-left corner of the code (quiet zone included) in pixels. */
  x: number;
  y: number;
  /** Pixels per module. */
  scale: number;
}

const QUIET_ZONE = 4;

/** Greyscale pixels (0 dark .. 255 light) of a light picture with QR codes drawn on it. */
export function drawQrCodes(width: number, height: number, codes: QrPlacement[], background = 235, dark = 16): Uint8Array {
  const pixels = new Uint8Array(width * height).fill(background);
  for (const code of codes) {
    const { size, isDark } = qrModules(code.text);
    const side = (size + QUIET_ZONE * 2) * code.scale;
    if (code.x + side > width || code.y + side > height) throw new Error(`a ${side}px code does not fit at ${code.x},${code.y} in ${width}x${height}`);
    for (let row = 0; row < size; row += 1) {
      for (let column = 0; column < size; column += 1) {
        if (!isDark(column, row)) continue;
        const left = code.x + (column + QUIET_ZONE) * code.scale;
        const top = code.y + (row + QUIET_ZONE) * code.scale;
        for (let dy = 0; dy < code.scale; dy += 1) pixels.fill(dark, (top + dy) * width + left, (top + dy) * width + left + code.scale);
      }
    }
  }
  return pixels;
}

/** A code centred in the frame at the largest whole scale that fits `fraction` of the shorter side. */
export function centred(text: string, width: number, height: number, fraction = 0.8): QrPlacement {
  const { size } = qrModules(text);
  const modules = size + QUIET_ZONE * 2;
  const scale = Math.max(1, Math.floor((Math.min(width, height) * fraction) / modules));
  const side = modules * scale;
  return { text, x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), scale };
}

export function greyscalePng(width: number, height: number, pixels: Uint8Array): Buffer {
  const png = new PNG({ width, height });
  for (let index = 0; index < pixels.length; index += 1) {
    const value = pixels[index] as number;
    png.data[index * 4] = value;
    png.data[index * 4 + 1] = value;
    png.data[index * 4 + 2] = value;
    png.data[index * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}

/**
 * A y4m video for Chromium's fake camera (--use-file-for-fake-video-capture): the header, then per
 * frame `FRAME\n`, the Y plane (16 for dark modules, 235 for light) and the U and V planes (128).
 * Each entry of `frames` is one frame: the codes it shows (none for an empty frame).
 */
export function writeY4m(file: string, frames: QrPlacement[][], width = 640, height = 480): void {
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
  const chroma = Buffer.alloc((width * height) / 4, 128);
  const parts: Buffer[] = [header];
  for (const codes of frames) {
    parts.push(Buffer.from('FRAME\n'), Buffer.from(drawQrCodes(width, height, codes)), chroma, chroma);
  }
  writeFileSync(file, Buffer.concat(parts));
}
