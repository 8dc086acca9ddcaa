import QRCode from 'qrcode';
import { readQrCodesInPicture } from '../../shared/qr/node-reader';

/** Reads the one QR code in a PNG data URL with the app's own decoder (zxing-cpp), as main reads pictures. */
export async function decodeQrPngDataUrl(dataUrl: string): Promise<string> {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error('not a PNG data URL');
  const texts = await readQrCodesInPicture(Buffer.from(match[1] as string, 'base64'));
  if (texts.length !== 1) throw new Error(`expected one QR code in the picture, found ${texts.length}`);
  return texts[0] as string;
}

const modulesCache = new Map<string, { size: number; isDark: (x: number, y: number) => boolean }>();

/** The dark/light modules of a QR code for `text`, for drawing test images and camera frames (the last few kept: pictures are drawn from the same text several times). */
export function qrModules(text: string, errorCorrectionLevel: 'L' | 'M' | 'Q' | 'H' = 'M'): { size: number; isDark: (x: number, y: number) => boolean } {
  const key = `${errorCorrectionLevel}:${text}`;
  const cached = modulesCache.get(key);
  if (cached) return cached;
  const qr = QRCode.create(text, { errorCorrectionLevel });
  const size = qr.modules.size;
  const modules = { size, isDark: (x: number, y: number) => qr.modules.get(y, x) === 1 };
  if (modulesCache.size >= 64) modulesCache.clear();
  modulesCache.set(key, modules);
  return modules;
}
