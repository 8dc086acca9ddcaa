import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Reads the QR code of each PNG data URL with zbar (zbar-tools), in one process. Independent of
 * how the codes were drawn, and it reads the sharp version-27 codes of Google exports that
 * zxing-js misses now and then (which codes depends on the random batch id).
 */
export function zbarReadPngDataUrls(dataUrls: readonly string[]): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-zbar-'));
  try {
    const files = dataUrls.map((dataUrl, index) => {
      const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
      if (!match) throw new Error('not a PNG data URL');
      const file = path.join(dir, `code-${String(index).padStart(4, '0')}.png`);
      writeFileSync(file, Buffer.from(match[1] as string, 'base64'));
      return file;
    });
    const texts = execFileSync('zbarimg', ['--nodbus', '--quiet', '--raw', ...files], { encoding: 'utf8' }).split('\n').filter((line) => line !== '');
    if (texts.length !== dataUrls.length) throw new Error(`zbar read ${texts.length} of ${dataUrls.length} codes`);
    return texts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
