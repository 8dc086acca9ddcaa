import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { ERROR_SENTENCES, type ErrorCode } from '../../../shared/errors';
import type { CliRun, RunCli } from '../../support/cli';
import type { ContractServer } from './contract-server';

/** Servers and folders that live for the whole file (cases run in order over one vault). */
export function useFileScoped() {
  const servers: ContractServer[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    track: async (server: Promise<ContractServer>) => {
      const running = await server;
      servers.push(running);
      return running;
    },
    tempDir: () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'latchkey-cli-faults-'));
      dirs.push(dir);
      return dir;
    },
  };
}

/** Every file of the vault folder with its hash: a failed command must leave all of them as they were. */
export function vaultSnapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[path.relative(dir, full)] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return files;
}

/**
 * The CLI over one vault with a short provider timeout: opened by its password from the environment,
 * or (password null) by the system keychain alone, which spares each run two Argon2id derivations.
 */
export function cliOn(runCli: RunCli, vault: string, password: string | null, timeoutMs: number) {
  const env: NodeJS.ProcessEnv = { LATCHKEY_PROVIDER_TIMEOUT_MS: String(timeoutMs), ...(password === null ? {} : { LATCHKEY_PASSWORD: password }) };
  return (args: string[], stdin = '') => runCli([...args, '--vault', vault], { env, stdin });
}

/** No credential, code or token in anything the command printed, in any letter case. */
export function expectNothingSecret(run: CliRun, secrets: Iterable<string>): void {
  const printed = `${run.stdout}\n${run.stderr}`.toLowerCase();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    expect(printed.includes(secret.toLowerCase()), `a secret was printed: ${run.stderr.split('\n')[0]}`).toBe(false);
  }
}

export interface JsonError {
  code: string;
  message: string;
  provider?: string;
  status?: number;
  requestId?: string;
  retryAfterSeconds?: number;
  mayHaveArrived?: boolean;
}

/**
 * A failed `--json` run: exit 1, one `latchkey: CODE: sentence` line on stderr (the last line; retry
 * waits come before it) and `{"error": {...}}` on stdout with the same code and sentence.
 */
export function expectCliFailure(run: CliRun, code: ErrorCode): JsonError {
  expect(run.status, run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  const last = lines[lines.length - 1] as string;
  expect(last.startsWith(`latchkey: ${code}: ${ERROR_SENTENCES[code]}`), last).toBe(true);
  const parsed = JSON.parse(run.stdout) as { error: JsonError };
  expect(parsed.error.code).toBe(code);
  expect(`latchkey: ${code}: ${parsed.error.message}`).toBe(last);
  return parsed.error;
}
