import zxing from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';

// @zxing/library is CommonJS without named exports Node can detect; take them from the default export.
const { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxing;

/** Reads the QR code in a PNG data URL, independently of how it was made. */
export function decodeQrPngDataUrl(dataUrl: string): string {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error('not a PNG data URL');
  const png = PNG.sync.read(Buffer.from(match[1] as string, 'base64'));
  const luminances = new Uint8ClampedArray(png.width * png.height);
  for (let index = 0; index < luminances.length; index += 1) {
    const r = png.data[index * 4] as number;
    const g = png.data[index * 4 + 1] as number;
    const b = png.data[index * 4 + 2] as number;
    luminances[index] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  const source = new RGBLuminanceSource(luminances, png.width, png.height);
  const hints = new Map([[DecodeHintType.TRY_HARDER, true]]);
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
}

/** The dark/light modules of a QR code for `text`, for drawing test images and camera frames. */
export function qrModules(text: string): { size: number; isDark: (x: number, y: number) => boolean } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  return { size, isDark: (x, y) => qr.modules.get(y, x) === 1 };
}
