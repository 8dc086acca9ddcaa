/**
 * RGBA pixels to the greyscale picture zxing-cpp works on, as a binary PGM (P5) file that
 * zxing-wasm reads as an encoded picture (its stb_image takes a PGM as is, no conversion).
 *
 * Why our own grey, when zxing-wasm converts RGBA itself: its grey ignores alpha (a transparent
 * PNG's clear pixels become black, so the window had to paint white under every picture), it is
 * made again for every call (a picture's thorough passes after the quick look), and a camera frame
 * is read at half size first (halfPgm), which needs the grey in hand. Measured on a 1920x1080
 * picture in Node, this loop and zxing-wasm's take about the same time (~5-6 ms CPU); each pixel is
 * read as one 32-bit word and translucent pixels are laid over white, as a screen shows them.
 */

/** Pixels as a canvas gives them: 4 bytes (RGBA) per pixel, row by row. */
export interface RgbaPixels {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The same weights as zxing-wasm (ITU-R BT.601 in tenths of a thousand), so the grey is the same. */
function lumaOf(red: number, green: number, blue: number): number {
  return (306 * red + 601 * green + 117 * blue + 512) >> 10;
}

/** `luma` seen through `alpha` over white: exact for alpha 255 (luma) and 0 (white). */
function overWhite(luma: number, alpha: number): number {
  return 255 - (((255 - luma) * alpha * 257 + 32768) >> 16);
}

function pgmHeader(width: number, height: number): Uint8Array {
  return new TextEncoder().encode(`P5\n${width} ${height}\n255\n`);
}

/** A PGM file of the pixels' grey. The caller has checked that `data` holds width*height*4 bytes. */
export function rgbaToPgm(image: RgbaPixels): Uint8Array {
  const { width, height, data } = image;
  const count = width * height;
  const header = pgmHeader(width, height);
  const out = new Uint8Array(header.length + count);
  out.set(header);
  if (LITTLE_ENDIAN && data.byteOffset % 4 === 0) greyFromWords(new Int32Array(data.buffer, data.byteOffset, count), out.subarray(header.length));
  else greyFromBytes(data, count, out.subarray(header.length));
  return out;
}

function greyFromWords(words: Int32Array, grey: Uint8Array): void {
  const count = words.length;
  for (let index = 0; index < count; index += 1) {
    // Int32, not Uint32: an opaque pixel's word is above 2^31, which V8 would hold as a double.
    // An opaque pixel's top byte 0xff makes `word >> 24` exactly -1: one cheap test per pixel.
    const word = words[index] as number;
    const luma = (306 * (word & 0xff) + 601 * ((word >> 8) & 0xff) + 117 * ((word >> 16) & 0xff) + 512) >> 10;
    grey[index] = word >> 24 === -1 ? luma : overWhite(luma, (word >> 24) & 0xff);
  }
}

function greyFromBytes(data: Uint8ClampedArray | Uint8Array, count: number, grey: Uint8Array): void {
  for (let index = 0; index < count; index += 1) {
    const at = index * 4;
    grey[index] = overWhite(lumaOf(data[at] as number, data[at + 1] as number, data[at + 2] as number), data[at + 3] as number);
  }
}

/**
 * From a full-size PGM (rgbaToPgm), a PGM at half the width and height, each grey pixel the mean of a 2x2 block (an odd last row or
 * column is dropped). A camera frame's code is large in the frame: a quarter of the pixels reads it
 * in about a quarter of the time, and the averaging also quietens the sensor's noise.
 */
export function halfPgm(full: Uint8Array, fullWidth: number, fullHeight: number): Uint8Array {
  const source = full.subarray(full.length - fullWidth * fullHeight);
  const width = fullWidth >> 1;
  const height = fullHeight >> 1;
  const header = pgmHeader(width, height);
  const out = new Uint8Array(header.length + width * height);
  out.set(header);
  const grey = out.subarray(header.length);
  const stride = fullWidth;
  for (let y = 0; y < height; y += 1) {
    let top = 2 * y * stride;
    let bottom = top + stride;
    const row = y * width;
    for (let x = 0; x < width; x += 1, top += 2, bottom += 2) {
      grey[row + x] = ((source[top] as number) + (source[top + 1] as number) + (source[bottom] as number) + (source[bottom + 1] as number) + 2) >> 2;
    }
  }
  return out;
}
