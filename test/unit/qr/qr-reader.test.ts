import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../e2e/support/app';
import { readPictureHeader } from '../../../shared/qr/picture-format';
import { MAX_PICTURE_BYTES, prepareNodeQrReader, readQrCodesInBase64Picture, readQrCodesInPicture } from '../../../shared/qr/node-reader';
import { FRAME_OPTIONS, MAX_CODES_PER_PICTURE, readQrCodes, readQrFrame } from '../../../shared/qr/qr-reader';
import { cameraFrame, corpusPicture, corpusText, type CorpusPicture, jpegOf, rgbaOf, screenshot } from '../../support/qr-corpus';
import { centred, drawQrCodes, greyscalePng } from '../../support/qr-images';
import { qrModules } from '../../support/qr';
import { seededRandom } from '../../support/seeded-random';

beforeAll(() => prepareNodeQrReader());

/** What the decoder read that it should not have, and what it missed. */
async function misreads(pictures: CorpusPicture[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, picture] of pictures.entries()) {
    const found = await readQrCodes({ width: picture.width, height: picture.height, data: rgbaOf(picture.grey) });
    const same = found.length === picture.texts.length && picture.texts.every((text) => found.includes(text));
    if (!same) problems.push(`#${index} ${picture.variant} ${picture.scale} px/module: read ${found.length} of ${picture.texts.length}`);
  }
  return problems;
}

describe('the QR decoder (zxing-cpp) over a seeded corpus', () => {
  it('reads every as-is code at 1 to 8 px per module (otpauth and Google export links)', async () => {
    const random = seededRandom('qr as-is');
    const pictures: CorpusPicture[] = [];
    for (let index = 0; index < 200; index += 1) {
      const picture = corpusPicture('as-is', random);
      pictures.push(picture);
    }
    expect(new Set(pictures.map((picture) => picture.scale))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(await misreads(pictures)).toEqual([]);
  });

  it('reads every inverted code (light on dark), 1 to 8 px per module', async () => {
    const random = seededRandom('qr inverted');
    const pictures = Array.from({ length: 48 }, () => corpusPicture('inverted', random));
    expect(await misreads(pictures)).toEqual([]);
  });

  it('reads codes drawn at exactly 1 px per module, as a zoomed-out page shows them', async () => {
    const random = seededRandom('qr one pixel');
    const texts = Array.from({ length: 10 }, () => corpusText(random, 'otpauth'));
    for (const text of texts) {
      const side = qrModules(text).size + 8;
      const found = await readQrCodes({ width: side, height: side, data: rgbaOf(drawQrCodes(side, side, [{ text, x: 0, y: 0, scale: 1 }])) });
      expect(found).toEqual([text]);
    }
  });

  it('reads the largest Google export codes (10 accounts with long names) from a 1920x1080 screen capture', async () => {
    const random = seededRandom('qr largest export');
    for (const scale of [2, 3, 4]) {
      const text = corpusText(random, 'largest-migration');
      expect(qrModules(text).size).toBeGreaterThanOrEqual(157); // version 35 or higher
      const capture = screenshot(random, [text], scale);
      expect(capture.texts).toEqual([text]);
      expect(await misreads([capture])).toEqual([]);
    }
  });

  it('reads every code when one picture holds several, and nothing in a busy picture without one', async () => {
    const random = seededRandom('qr several');
    const several = Array.from({ length: 6 }, () => corpusPicture('several', random));
    expect(several.every((picture) => picture.texts.length >= 2)).toBe(true);
    expect(await misreads(several)).toEqual([]);
    const none = Array.from({ length: 3 }, () => corpusPicture('none', random));
    expect(await misreads(none)).toEqual([]);
  });

  it('reads a camera frame with the quick frame options', async () => {
    const random = seededRandom('qr camera');
    const frames = Array.from({ length: 10 }, () => cameraFrame(random, corpusText(random, 'otpauth')));
    let read = 0;
    for (const frame of frames) {
      const found = await readQrCodes({ width: frame.width, height: frame.height, data: rgbaOf(frame.grey) }, FRAME_OPTIONS);
      if (found[0] === frame.texts[0]) read += 1;
    }
    expect(read).toBe(10);
  });

  it('reads camera frames half size first, and falls back to full size for inverted and dense codes', async () => {
    const random = seededRandom('qr camera frame');
    const frames = Array.from({ length: 20 }, () => cameraFrame(random, corpusText(random, 'otpauth')));
    for (const frame of frames) expect(await readQrFrame({ width: frame.width, height: frame.height, data: rgbaOf(frame.grey) })).toEqual(frame.texts);
    // A dark-mode phone (inverted) and Google's largest export code at ~2 px per module: only the full-size pass reads them.
    const inverted = drawQrCodes(640, 480, [centred(corpusText(random, 'otpauth'), 640, 480, 0.6)], 16, 235);
    const invertedText = (await readQrCodes({ width: 640, height: 480, data: rgbaOf(inverted) }, FRAME_OPTIONS))[0];
    expect(invertedText).toBeDefined();
    expect(await readQrFrame({ width: 640, height: 480, data: rgbaOf(inverted) })).toEqual([invertedText]);
    const dense = corpusText(random, 'largest-migration');
    const side = qrModules(dense).size + 8;
    const placement = { text: dense, x: Math.floor((640 - side * 2) / 2), y: Math.floor((480 - side * 2) / 2), scale: 2 };
    expect(await readQrFrame({ width: 640, height: 480, data: rgbaOf(drawQrCodes(640, 480, [placement])) })).toEqual([dense]);
    // Nothing in a frame without a code.
    expect(await readQrFrame({ width: 640, height: 480, data: rgbaOf(drawQrCodes(640, 480, [])) })).toEqual([]);
  });

  it('gives each text once, however many times it appears, and at most the cap', async () => {
    const random = seededRandom('qr repeated');
    const text = corpusText(random, 'otpauth');
    const picture = drawQrCodes(1200, 400, [0, 1, 2].map((index) => ({ text, x: 20 + index * 390, y: 20, scale: 3 })));
    expect(await readQrCodes({ width: 1200, height: 400, data: rgbaOf(picture) })).toEqual([text]);
    expect(MAX_CODES_PER_PICTURE).toBeLessThanOrEqual(64);
  });
});

describe('pictures as files (main process and command line)', () => {
  it('reads PNG and JPEG files, zxing-cpp decoding them itself', async () => {
    const random = seededRandom('qr files');
    const text = corpusText(random);
    const grey = drawQrCodes(500, 500, [{ text, x: 40, y: 40, scale: 4 }]);
    expect(await readQrCodesInPicture(greyscalePng(500, 500, grey))).toEqual([text]);
    expect(await readQrCodesInPicture(jpegOf(500, 500, grey, 40))).toEqual([text]);
  });

  it('reads WebP pictures (libwebp), as Chromium writes them', async () => {
    const random = seededRandom('qr webp');
    const text = corpusText(random);
    const png = greyscalePng(420, 420, drawQrCodes(420, 420, [{ text, x: 10, y: 10, scale: 3 }]));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const webp = await page.evaluate(async (base64) => {
        const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
        const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 });
        return [blob.type, Array.from(new Uint8Array(await blob.arrayBuffer()))] as const;
      }, png.toString('base64'));
      expect(webp[0]).toBe('image/webp');
      const bytes = Uint8Array.from(webp[1]);
      expect(readPictureHeader(bytes)).toEqual({ format: 'webp', width: 420, height: 420 });
      expect(await readQrCodesInPicture(bytes)).toEqual([text]);
      await expect(readQrCodesInPicture(bytes.subarray(0, 40))).rejects.toMatchObject({ code: 'INVALID_PICTURE', message: /WebP data is damaged/ });
    } finally {
      await browser.close();
    }
  });

  it('reads a base64 PNG as a provider sends an enrollment QR image, and refuses what is not base64', async () => {
    const random = seededRandom('qr base64');
    const text = corpusText(random, 'otpauth');
    const png = greyscalePng(300, 300, drawQrCodes(300, 300, [{ text, x: 10, y: 10, scale: 3 }]));
    expect(await readQrCodesInBase64Picture(png.toString('base64'))).toEqual([text]);
    expect(await readQrCodesInBase64Picture(`data:image/png;base64,${png.toString('base64')}`)).toEqual([text]);
    await expect(readQrCodesInBase64Picture('not base64 at all!')).rejects.toMatchObject({ code: 'INVALID_PICTURE' });
  });

  it('returns no text for a picture without a code', async () => {
    expect(await readQrCodesInPicture(greyscalePng(300, 200, drawQrCodes(300, 200, [])))).toEqual([]);
  });

  it('refuses what is not a picture, a damaged one, and one too large, before decoding', async () => {
    await expect(readQrCodesInPicture(new TextEncoder().encode('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP'))).rejects.toMatchObject({ code: 'INVALID_PICTURE', message: /not a PNG, JPEG, WebP/ });
    const png = greyscalePng(100, 100, drawQrCodes(100, 100, []));
    // A header claiming 60000x60000 pixels (3.6 billion) is refused from the header alone.
    const huge = Buffer.from(png);
    huge.writeUInt32BE(60_000, 16);
    huge.writeUInt32BE(60_000, 20);
    await expect(readQrCodesInPicture(huge)).rejects.toMatchObject({ code: 'INVALID_PICTURE', message: /60000x60000 pixels/ });
    await expect(readQrCodesInPicture(new Uint8Array(MAX_PICTURE_BYTES + 1))).rejects.toMatchObject({ code: 'INVALID_PICTURE', message: /larger than 32 MiB/ });
    // Cut short after the header: the decoder finds nothing rather than crashing.
    expect(await readQrCodesInPicture(png.subarray(0, 60))).toEqual([]);
  });

  it('never crashes on damaged pictures: a clear INVALID_PICTURE or no code (fast-check, fixed seed)', async () => {
    const random = seededRandom('qr damaged');
    const originals = [greyscalePng(120, 120, drawQrCodes(120, 120, [{ text: corpusText(random, 'otpauth'), x: 0, y: 0, scale: 1 }])), jpegOf(120, 120, drawQrCodes(120, 120, []), 50)];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...originals), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 40 }), fc.nat(), async (original, flips, cut) => {
        const damaged = Buffer.from(original);
        for (const [at, value] of flips) damaged[8 + (at % (damaged.length - 8))] = value;
        const bytes = damaged.subarray(0, Math.max(12, damaged.length - (cut % damaged.length)));
        try {
          expect(Array.isArray(await readQrCodesInPicture(bytes))).toBe(true);
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_PICTURE' });
        }
      }),
      { seed: random.seed, numRuns: 150 },
    );
    // The decoder still reads after all that.
    const text = corpusText(random, 'otpauth');
    expect(await readQrCodesInPicture(greyscalePng(200, 200, drawQrCodes(200, 200, [{ text, x: 0, y: 0, scale: 3 }])))).toEqual([text]);
  });

  it('reads the size of PNG, JPEG, GIF, BMP and WebP pictures from their headers', () => {
    const grey = drawQrCodes(123, 45, []);
    expect(readPictureHeader(greyscalePng(123, 45, grey))).toEqual({ format: 'png', width: 123, height: 45 });
    expect(readPictureHeader(jpegOf(123, 45, grey, 80))).toEqual({ format: 'jpeg', width: 123, height: 45 });
    const gif = Buffer.from('GIF89a\x7b\x00\x2d\x00', 'latin1');
    expect(readPictureHeader(gif)).toEqual({ format: 'gif', width: 123, height: 45 });
    const webpLossless = Buffer.alloc(30);
    webpLossless.write('RIFF', 0);
    webpLossless.write('WEBPVP8L', 8);
    webpLossless.writeUInt32LE((122 & 0x3fff) | ((44 & 0x3fff) << 14), 21);
    expect(readPictureHeader(webpLossless)).toEqual({ format: 'webp', width: 123, height: 45 });
    expect(readPictureHeader(Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'))).toBeNull();
    expect(readPictureHeader(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
  });
});
