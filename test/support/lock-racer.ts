/**
 * Child process of the writer-lock race test: on each `go N` line on stdin it takes the vault's
 * writer lock, appends `enter N <pid>` to the shared log, holds the lock a moment, appends
 * `exit N <pid>`, releases it and prints `done N`. Appends are O_APPEND writes of one line, so the
 * log is the true order in which the processes held the lock.
 */
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WriterLock } from '../../electron/main/vault/storage';

const [dir, logPath, holdText] = process.argv.slice(2) as [string, string, string];
const holdMs = Number(holdText);
const lock = new WriterLock(dir, { waitMs: 20_000, pollMs: 1 });

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  const [word, round] = line.split(' ');
  if (word !== 'go') continue;
  await lock.acquire();
  appendFileSync(logPath, `enter ${round} ${process.pid}\n`);
  await new Promise((resolve) => setTimeout(resolve, holdMs));
  appendFileSync(logPath, `exit ${round} ${process.pid}\n`);
  await lock.release();
  process.stdout.write(`done ${round}\n`);
}
