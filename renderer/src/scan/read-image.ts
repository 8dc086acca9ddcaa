import { decodeQrPixels } from './qr-client';

/** Image types people get QR codes in. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
/**
 * A picture with more pixels is scaled down first (a 5K screen is 14.7 million): below that it is
 * read at full size, so that a code drawn at 1 px per module on a zoomed-out page still reads.
 */
const MAX_PIXELS = 16_000_000;

/** Every QR code's text in a picture (a file, a pasted or dropped image, a screen capture). */
export async function readQrCodesFromBlob(blob: Blob): Promise<string[]> {
  const bitmap = await createImageBitmap(blob).catch(() => {
    throw new Error('This file is not an image Latchkey can read (PNG, JPEG, WebP or GIF).');
  });
  try {
    const scale = Math.min(1, Math.sqrt(MAX_PIXELS / (bitmap.width * bitmap.height)));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This window cannot read images.');
    // No white fill under a transparent PNG: the decoder lays translucent pixels over white while
    // it turns them grey (shared/qr/grey-image.ts), which spares a full-size fill and blend here.
    context.drawImage(bitmap, 0, 0, width, height);
    const pixels = context.getImageData(0, 0, width, height);
    return await decodeQrPixels(pixels, 'picture');
  } finally {
    bitmap.close();
  }
}

/** Decoded by hand: the Content Security Policy allows no fetch, not even of a data: URL. */
export function dataUrlToBlob(dataUrl: string): Blob {
  const match = /^data:([^;,]+);base64,(.*)$/.exec(dataUrl);
  if (!match) throw new Error('The screen capture could not be read.');
  const bytes = Uint8Array.from(atob(match[2] as string), (char) => char.charCodeAt(0));
  return new Blob([bytes], { type: match[1] });
}

/** The first image among pasted or dropped items, if any. */
export function imageFromTransfer(transfer: DataTransfer | null): File | null {
  if (!transfer) return null;
  for (const file of Array.from(transfer.files)) if (file.type.startsWith('image/')) return file;
  for (const item of Array.from(transfer.items)) {
    if (item.kind === 'file' && item.type.startsWith('image/')) return item.getAsFile();
  }
  return null;
}
