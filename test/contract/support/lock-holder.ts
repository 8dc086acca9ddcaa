/**
 * Child process that holds a vault's writer lock the way another Latchkey process saving it would:
 * it takes the lock, prints `held`, and keeps it until a line `release` arrives on stdin. Tests of
 * "the provider made new codes but the save failed" use it: the save really fails (VAULT_BUSY).
 */
import { createInterface } from 'node:readline';
import { WriterLock } from '../../../electron/main/vault/storage';

const [dir] = process.argv.slice(2) as [string];
const lock = new WriterLock(dir, { waitMs: 10_000 });
await lock.acquire();
process.stdout.write('held\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'release') break;
}
await lock.release();
process.stdout.write('released\n');
