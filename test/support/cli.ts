import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll } from 'vitest';
import { bundleForNode } from './bundle';
import { repoRoot } from './temp-dir';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export type RunCli = (args: string[], options?: { env?: NodeJS.ProcessEnv; stdin?: string }) => Promise<CliRun>;

/**
 * The real command line in a child process, as a user or a script runs it: bundled once for the
 * test file (`name` keeps the bundles of parallel files apart). The caller's LATCHKEY_PASSWORD and
 * LATCHKEY_IMPORT_PASSWORD never leak in; a test gives what it means in `env` (undefined removes).
 */
export function useCli(name: string): RunCli {
  let cliScript = '';
  beforeAll(async () => {
    cliScript = await bundleForNode(path.join(repoRoot, 'electron/cli/main.ts'), name);
  });
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_PASSWORD: undefined, LATCHKEY_IMPORT_PASSWORD: undefined, ...options.env };
      for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
      const child = spawn(process.execPath, [cliScript, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(options.stdin ?? '');
    });
}
