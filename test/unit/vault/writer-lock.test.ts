/**
 * Issue 8, items 8, 9 and 10: the writer lock tells a reused pid from its holder (start time) and
 * has an age limit, removes what killed writers leave behind, and lets exactly one of three racing
 * processes take over a stale lock. Real processes, real files.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LatchkeyError } from '../../../shared/errors';
import { processStartMark } from '../../../electron/main/vault/process-identity';
import { MAX_LOCK_AGE_MS } from '../../../electron/main/vault/writer-lock';
import { bundleForNode } from '../../support/bundle';
import { seededRandom } from '../../support/seeded-random';
import { repoRoot, useTempDirs } from '../../support/temp-dir';
import { makeVault, sampleAccount } from '../../support/vault';

const tempDir = useTempDirs();
const children: { kill: (signal: NodeJS.Signals) => boolean }[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function sleeper() {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

function writeLock(dir: string, owner: Record<string, unknown>): void {
  writeFileSync(path.join(dir, 'vault.lock'), JSON.stringify({ host: hostname(), token: 'f'.repeat(32), createdAt: Date.now(), ...owner }));
}

async function vaultIn(dir: string) {
  const vault = makeVault(dir, { writerLock: { waitMs: 300 } });
  await vault.create({ password: 'pw', useKeychain: false });
  return vault;
}

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  if (error === null) return null;
  if (error instanceof LatchkeyError) return error.code;
  throw error;
}

describe('a lock whose pid was given to another process (item 8)', () => {
  it.runIf(process.platform === 'linux')('is stale when the process with that pid started at another time', async () => {
    const dir = tempDir();
    const vault = await vaultIn(dir);
    const other = sleeper();
    const mark = processStartMark(other.pid as number);
    expect(mark).toMatch(/^.+:\d+$/);
    // The holder had this pid, but started earlier: the pid now belongs to the sleeper.
    writeLock(dir, { pid: other.pid, startMark: `${mark?.split(':')[0]}:1` });
    expect(await codeOf(vault.update((content) => void content.accounts.push(sampleAccount())))).toBeNull();
    expect(existsSync(path.join(dir, 'vault.lock'))).toBe(false);
  });

  it('is not stale while its holder runs, and VAULT_BUSY names the holder', async () => {
    const dir = tempDir();
    const vault = await vaultIn(dir);
    const holder = sleeper();
    writeLock(dir, { pid: holder.pid, startMark: processStartMark(holder.pid as number) });
    const error = await vault.update(() => undefined).then(() => null, (caught: unknown) => caught);
    expect((error as LatchkeyError).code).toBe('VAULT_BUSY');
    expect((error as LatchkeyError).message).toContain(`Process ${holder.pid}`);
  });

  it('is stale once older than the age limit, whoever has the pid', async () => {
    const dir = tempDir();
    const vault = await vaultIn(dir);
    const holder = sleeper();
    writeLock(dir, { pid: holder.pid, startMark: processStartMark(holder.pid as number), createdAt: Date.now() - MAX_LOCK_AGE_MS - 1000 });
    expect(await codeOf(vault.update((content) => void content.accounts.push(sampleAccount())))).toBeNull();
  });
});

describe('a forged lock file', () => {
  it('is garbage, removed once a minute old, whatever its token asks for', async () => {
    const dir = tempDir();
    const vault = await vaultIn(dir);
    writeLock(dir, { pid: await deadPid(), token: `../${'a'.repeat(300)}` });
    const busy = await vault.update(() => undefined).then(() => null, (caught: unknown) => caught);
    expect((busy as LatchkeyError).code).toBe('VAULT_BUSY');
    expect((busy as LatchkeyError).message).toContain('is not a lock Latchkey wrote');
    const old = new Date(Date.now() - 2 * 60 * 1000);
    utimesSync(path.join(dir, 'vault.lock'), old, old);
    expect(await codeOf(vault.update((content) => void content.accounts.push(sampleAccount())))).toBeNull();
    expect(readdirSync(dir).filter((name) => name.startsWith('vault.lock'))).toEqual([]);
  });
});

describe('leftovers of killed writers (item 9)', () => {
  it('removes lock drafts and aside files of dead processes and old ones, but not a live writer’s fresh draft', async () => {
    const dir = tempDir();
    const vault = await vaultIn(dir);
    const dead = await deadPid();
    const live = sleeper();
    const leftovers = [`vault.lock.new-${dead}-0a1b2c3d`, `vault.lock.stale-${dead}-0a1b2c3d`, `vault.lock.new-${live.pid}-99999999`];
    for (const name of leftovers) writeFileSync(path.join(dir, name), '{}');
    const old = new Date(Date.now() - 10 * 60 * 1000);
    utimesSync(path.join(dir, leftovers[2]!), old, old); // a live pid, but ten minutes old: the pid was reused
    const fresh = `vault.lock.new-${live.pid}-12345678`;
    writeFileSync(path.join(dir, fresh), '{}');
    mkdirSync(path.join(dir, 'vault.lock.claim-tdeadbeef'));

    await vault.update((content) => void content.accounts.push(sampleAccount()));

    expect(readdirSync(dir).filter((name) => name.startsWith('vault.lock')).sort()).toEqual([fresh]);
  });
});

describe('three processes racing for a stale lock (item 10)', () => {
  let racerScript = '';
  beforeAll(async () => {
    racerScript = await bundleForNode(path.join(repoRoot, 'test/support/lock-racer.ts'), 'lock-racer');
  });

  function startRacer(dir: string, logPath: string): Promise<{ child: ChildProcessWithoutNullStreams; done: (round: number) => Promise<void> }> {
    const child = spawn(process.execPath, [racerScript, dir, logPath, '2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    children.push(child);
    const seen = new Set<string>();
    const waiters = new Map<string, () => void>();
    let buffer = '';
    let errors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
    // A racer that dies (VAULT_BUSY, an I/O error) fails the round at once, with what it said.
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`racer exited (${code}): ${errors}`))));
    exited.catch(() => undefined);
    const done = (round: number) => Promise.race([exited, new Promise<void>((resolveDone) => (seen.has(`done ${round}`) ? resolveDone() : waiters.set(`done ${round}`, resolveDone)))]);
    return new Promise((resolve, reject) => {
      exited.catch(reject);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'ready') resolve({ child, done });
          seen.add(line);
          waiters.get(line)?.();
        }
      });
    });
  }

  it('lets exactly one process in at a time, round after round', async () => {
    const dir = tempDir();
    const logPath = path.join(dir, 'holders.log');
    writeFileSync(logPath, '');
    const racers = await Promise.all([0, 1, 2].map(() => startRacer(dir, logPath)));
    const ROUNDS = 400;
    const random = seededRandom('writer-lock race');
    const holder = sleeper();
    const dead = await deadPid();
    const lockPath = path.join(dir, 'vault.lock');
    for (let round = 0; round < ROUNDS; round += 1) {
      // A live writer holds the lock while the three wait for it, each polling at its own pace;
      // then the lock turns stale at once (as when its writer is killed), and the three find it so
      // at about the same moment.
      writeLock(dir, { pid: holder.pid, token: `held-${round}`, startMark: processStartMark(holder.pid as number) });
      for (const racer of racers) racer.child.stdin.write(`go ${round}\n`);
      await new Promise((resolve) => setTimeout(resolve, random.int(0, 8)));
      writeFileSync(`${lockPath}.test-draft`, JSON.stringify({ pid: dead, host: hostname(), token: `stale-${round}`, createdAt: Date.now(), startMark: null }));
      renameSync(`${lockPath}.test-draft`, lockPath);
      await Promise.all(racers.map((racer) => racer.done(round)));
    }
    const entries = readFileSync(logPath, 'utf8').trim().split('\n');
    expect(entries).toHaveLength(ROUNDS * 3 * 2);
    let inside: string | null = null;
    for (const [index, entry] of entries.entries()) {
      const [word, , pid] = entry.split(' ');
      if (word === 'enter') {
        if (inside !== null) throw new Error(`line ${index + 1}: ${pid} entered while ${inside} held the lock`);
        inside = pid as string;
      } else {
        expect(pid, `line ${index + 1}`).toBe(inside);
        inside = null;
      }
    }
  }, 120_000);
});
