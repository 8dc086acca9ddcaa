import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbaToPgm } from '../../../shared/qr/grey-image';
import { prepareNodeQrReader } from '../../../shared/qr/node-reader';
import { readQrCodes } from '../../../shared/qr/qr-reader';
import { corpusText } from '../../support/qr-corpus';
import { drawQrCodes } from '../../support/qr-images';
import { seededRandom } from '../../support/seeded-random';

beforeAll(() => prepareNodeQrReader());

const HEADER_OF = (width: number, height: number) => `P5\n${width} ${height}\n255\n`;

/** The grey a person sees: BT.601 luma, laid over a white page by the pixel's alpha. */
function expectedGrey(red: number, green: number, blue: number, alpha: number): number {
  const luma = (306 * red + 601 * green + 117 * blue + 512) >> 10;
  return Math.round(255 - ((255 - luma) * alpha) / 255);
}

describe('RGBA to a greyscale PGM', () => {
  it('writes a P5 header and one grey byte per pixel, translucent pixels over white (aligned and unaligned buffers)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.uint8Array({ minLength: 324, maxLength: 324 }), fc.boolean(), (width, height, bytes, unaligned) => {
        const count = width * height;
        // An unaligned view takes the byte-by-byte path; an aligned one the 32-bit path.
        const backing = new Uint8Array(count * 4 + 1);
        const data = unaligned ? backing.subarray(1) : backing.subarray(0, count * 4);
        data.set(bytes.subarray(0, count * 4));
        const pgm = rgbaToPgm({ width, height, data });
        const header = HEADER_OF(width, height);
        expect(new TextDecoder().decode(pgm.subarray(0, header.length))).toBe(header);
        expect(pgm.length).toBe(header.length + count);
        for (let index = 0; index < count; index += 1) {
          const at = index * 4;
          const want = expectedGrey(data[at] as number, data[at + 1] as number, data[at + 2] as number, data[at + 3] as number);
          expect(Math.abs((pgm[header.length + index] as number) - want)).toBeLessThanOrEqual(1);
        }
        for (let index = 0; index < count; index += 1) if (data[index * 4 + 3] === 255) expect(pgm[header.length + index]).toBe(expectedGrey(data[index * 4] as number, data[index * 4 + 1] as number, data[index * 4 + 2] as number, 255));
      }),
      { seed: 0x9e7, numRuns: 200 },
    );
  });

  it('reads a code on a transparent background (clear pixels are white, not black)', async () => {
    const text = corpusText(seededRandom('qr transparent'), 'otpauth');
    const side = 300;
    const grey = drawQrCodes(side, side, [{ text, x: 20, y: 20, scale: 4 }]);
    const data = new Uint8ClampedArray(side * side * 4);
    // Dark modules opaque black; everything else fully transparent black (0,0,0,0), as a canvas holds a clear PNG.
    for (let index = 0; index < grey.length; index += 1) if ((grey[index] as number) < 128) data[index * 4 + 3] = 255;
    expect(await readQrCodes({ width: side, height: side, data })).toEqual([text]);
  });
});
