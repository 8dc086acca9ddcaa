import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import QRCode from 'qrcode';

const deflateAsync = promisify(deflate);
const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface QrPngOptions {
  /** Pixels per module. */
  scale?: number;
  /** Light modules around the code (4 is what the standard asks for). */
  margin?: number;
}

/**
 * A QR code as a 1-bit greyscale PNG data URL, which every phone camera reads and which needs no
 * canvas in the main process. Made here rather than with qrcode's own PNG writer: that one packs
 * RGBA pixels in JavaScript and blocked the main process for half a second per export code; here
 * the bits are packed directly and the compression runs on libuv's thread pool.
 */
export async function qrPngDataUrl(text: string, { scale = 8, margin = 4 }: QrPngOptions = {}): Promise<string> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = (modules.size + margin * 2) * scale;
  const rowBytes = Math.ceil(side / 8);
  // Each pixel row: one filter byte (0, none), then the row's bits, 1 for white (greyscale, 1 bit
  // per pixel). A module row is packed once and copied `scale` times.
  const stride = rowBytes + 1;
  const raw = new Uint8Array(stride * side);
  const packed = new Uint8Array(stride);
  for (let moduleY = -margin; moduleY < modules.size + margin; moduleY += 1) {
    packed.fill(0);
    for (let x = 0; x < side; x += 1) {
      const moduleX = Math.floor(x / scale) - margin;
      const inside = moduleX >= 0 && moduleY >= 0 && moduleX < modules.size && moduleY < modules.size;
      if (!inside || modules.get(moduleY, moduleX) !== 1) packed[1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    const firstRow = (moduleY + margin) * scale;
    for (let copy = 0; copy < scale; copy += 1) raw.set(packed, (firstRow + copy) * stride);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const png = Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', await deflateAsync(raw)), chunk('IEND', new Uint8Array())]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typeAndData.copy(out, 4);
  out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
  return out;
}
