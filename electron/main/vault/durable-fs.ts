import { promises as fs } from 'node:fs';

/** Writes a new file (it must not exist) and flushes it to disk before returning. */
export async function writeAndSync(filePath: string, bytes: Uint8Array | string, mode = 0o600): Promise<void> {
  const handle = await fs.open(filePath, 'wx', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a rename into it) to disk. */
export async function syncDir(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; the rename there is durable through the OS's own journal.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
