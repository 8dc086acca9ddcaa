import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import { bundleForNode } from '../../support/bundle';
import { repoRoot } from '../../support/temp-dir';

export interface HeldLock {
  release(): Promise<void>;
}

/** Another process holding the vault's writer lock (see lock-holder.ts); released after each test at the latest. */
export function useLockHolder(): (vaultDir: string) => Promise<HeldLock> {
  let script = '';
  const children: ChildProcessWithoutNullStreams[] = [];
  beforeAll(async () => {
    script = await bundleForNode(path.join(repoRoot, 'test/contract/support/lock-holder.ts'), 'lock-holder');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null) child.kill();
    }
  });
  return (vaultDir) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, vaultDir], { stdio: ['pipe', 'pipe', 'pipe'] });
      children.push(child);
      let output = '';
      let errors = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.once('exit', (code) => {
        if (!output.includes('held')) reject(new Error(`the lock holder exited (${code}) before taking the lock: ${errors}`));
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('held\n')) {
          resolve({
            release: async () => {
              child.stdin.end('release\n');
              await exited;
            },
          });
        }
      });
    });
}
