import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LatchkeyError } from '../../../shared/errors';
import { syncDir, writeAndSync } from '../vault/durable-fs';

/**
 * Writes an export next to its final name, flushes it, then renames it into place: the file is
 * whole or absent, never half written. An existing file is replaced only when asked (a save
 * dialog that confirmed it), and then atomically.
 */
export async function writeExportFile(filePath: string, text: string, { overwrite = false }: { overwrite?: boolean } = {}): Promise<void> {
  const target = path.resolve(filePath);
  const exists = await fs.stat(target).then(
    () => true,
    () => false,
  );
  if (exists && !overwrite) throw new LatchkeyError('IO_ERROR', `${filePath} already exists; Latchkey does not overwrite it. Choose another name.`);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    await writeAndSync(temp, text);
    await fs.rename(temp, target);
    await syncDir(path.dirname(target));
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new LatchkeyError('IO_ERROR', `Could not write ${filePath} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
  }
}
