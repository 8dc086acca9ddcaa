/**
 * OsKeychain against the REAL Secret Service: a private gnome-keyring on a private D-Bus session,
 * prepared by scripts/with-secret-service.sh (see DESIGN.md, "Testing, for real"). No mocks.
 *
 *   bash scripts/with-secret-service.sh npx vitest run test/unit/keychain
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OsKeychain } from '../../../electron/main/keychain';
import { seededRandom } from '../../support/seeded-random';

const execFileAsync = promisify(execFile);

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const osKeychainModule = resolve(repoRoot, 'electron/main/keychain/os-keychain.ts');
const withSecretService = resolve(repoRoot, 'scripts/with-secret-service.sh');

const RUN_THROUGH = 'Run the keychain tests through scripts/with-secret-service.sh, e.g. `bash scripts/with-secret-service.sh npx vitest run test/unit/keychain`.';

/** A service name of its own, so parallel test files and earlier runs never see each other's entries. */
const random = seededRandom('os-keychain');
const service = `Latchkey-test-${random.id('service')}`;
const keychain = new OsKeychain(service);
const created = new Set<string>();

function uniqueName(label: string): string {
  const name = `${label}-${random.id('entry')}`;
  created.add(name);
  return name;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

interface ChildOutcome {
  op: string;
  ok: boolean;
  result?: unknown;
  code?: string;
  name?: string;
  message?: string;
  cause?: string;
}

/**
 * Runs OsKeychain in a fresh Node process (TypeScript through tsx) and reports each operation's
 * outcome as JSON. A child is needed to test an unreachable keychain: the native module connects to
 * the session bus once per process and keeps that connection, so changing DBUS_SESSION_BUS_ADDRESS
 * in this process after the first call has no effect (checked on @napi-rs/keyring 2.1.2).
 */
async function runChild(script: string, env: NodeJS.ProcessEnv, command: string[] = []): Promise<ChildOutcome[]> {
  const program = `
    const { OsKeychain } = await import(${JSON.stringify(osKeychainModule)});
    const outcomes = [];
    async function attempt(op, fn) {
      try {
        const result = await fn();
        outcomes.push({ op, ok: true, result: result instanceof Uint8Array ? Array.from(result) : result });
      } catch (error) {
        outcomes.push({ op, ok: false, code: error?.code, name: error?.name, message: error?.message, cause: error?.cause?.message });
      }
    }
    ${script}
    console.log(JSON.stringify(outcomes));
  `;
  const node = [process.execPath, '--import', 'tsx', '--input-type=module', '-e', program];
  const [file, ...args] = [...command, ...node] as [string, ...string[]];
  const { stdout, stderr } = await execFileAsync(file, args, { cwd: repoRoot, env, timeout: 30_000 });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(lastLine) as ChildOutcome[];
  } catch {
    throw new Error(`The child process printed no outcome.\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
}

beforeAll(async () => {
  const bus = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (!bus) {
    throw new Error(`No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so there is no Secret Service to test against. ${RUN_THROUGH}`);
  }
  if (process.env.LATCHKEY_SECRET_SERVICE_BUS !== bus) {
    throw new Error(`This session bus was not prepared by scripts/with-secret-service.sh; refusing to write test entries into a real keyring. ${RUN_THROUGH}`);
  }
  const probe = uniqueName('probe');
  try {
    await keychain.set(probe, new Uint8Array([1, 2, 3]));
    await keychain.delete(probe);
  } catch (error) {
    throw new Error(`The private Secret Service does not answer (${String(error)}). ${RUN_THROUGH}`, { cause: error });
  }
});

afterAll(async () => {
  for (const name of created) {
    try {
      await keychain.delete(name);
    } catch {
      // best effort: the private keyring is thrown away with its session anyway
    }
  }
});

describe('OsKeychain on the real Secret Service', () => {
  it('stores, reads back and deletes a random 32-byte secret', async () => {
    const name = uniqueName('vault-key');
    const secret = random.bytes(32);

    await keychain.set(name, secret);
    const read = await keychain.get(name);
    expect(read).toBeInstanceOf(Uint8Array);
    expect(hex(read!)).toBe(hex(secret));

    expect(await keychain.delete(name)).toBe(true);
    expect(await keychain.get(name)).toBeNull();
  });

  it('keeps every byte value, including 0x00 and bytes that are not UTF-8', async () => {
    const name = uniqueName('all-bytes');
    const secret = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
    await keychain.set(name, secret);
    expect(hex((await keychain.get(name))!)).toBe(hex(secret));
  });

  it('returns null for a name that was never stored', async () => {
    expect(await keychain.get(uniqueName('missing'))).toBeNull();
  });

  it('returns false when deleting a name that is not there', async () => {
    expect(await keychain.delete(uniqueName('missing'))).toBe(false);
  });

  it('overwrites an existing entry', async () => {
    const name = uniqueName('overwrite');
    const first = random.bytes(32);
    const second = random.bytes(32);

    await keychain.set(name, first);
    await keychain.set(name, second);
    expect(hex((await keychain.get(name))!)).toBe(hex(second));

    expect(await keychain.delete(name)).toBe(true);
    expect(await keychain.delete(name)).toBe(false);
  });

  it('keeps entries of different service names apart', async () => {
    const name = uniqueName('namespaced');
    const other = new OsKeychain(`${service}-other`);
    await keychain.set(name, random.bytes(32));
    expect(await other.get(name)).toBeNull();
    expect(await other.delete(name)).toBe(false);
    expect(await keychain.get(name)).not.toBeNull();
  });

  it('is seen by other processes on the same session (it really is the Secret Service)', async () => {
    const name = uniqueName('cross-process');
    const secret = random.bytes(32);
    await keychain.set(name, secret);
    const [outcome] = await runChild(
      `await attempt('get', () => new OsKeychain(${JSON.stringify(service)}).get(${JSON.stringify(name)}));`,
      process.env,
    );
    expect(outcome).toMatchObject({ op: 'get', ok: true });
    expect(hex(Uint8Array.from(outcome!.result as number[]))).toBe(hex(secret));
  });
});

describe('OsKeychain when the keychain cannot be reached', () => {
  it('turns a missing session bus into KEYCHAIN_UNAVAILABLE for get, set and delete', async () => {
    const secret = random.bytes(32);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=/nonexistent/latchkey-${random.id('bus')}/bus`,
    };
    delete env.LATCHKEY_SECRET_SERVICE_BUS;

    const outcomes = await runChild(
      `
      const keychain = new OsKeychain(${JSON.stringify(service)});
      await attempt('get', () => keychain.get('unreachable'));
      await attempt('set', () => keychain.set('unreachable', Uint8Array.from(${JSON.stringify(Array.from(secret))})));
      await attempt('delete', () => keychain.delete('unreachable'));
      `,
      env,
    );

    expect(outcomes.map((o) => o.op)).toEqual(['get', 'set', 'delete']);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ ok: false, name: 'LatchkeyError', code: 'KEYCHAIN_UNAVAILABLE' });
      expect(outcome.message).toMatch(/^The system keychain is not available/);
      expect(outcome.message).toContain('D-Bus');
      // The native error is kept as the cause, for logs; the secret appears nowhere.
      expect(outcome.cause).toMatch(/DBus error/);
      expect(outcome.message).not.toContain(hex(secret));
      expect(outcome.message).not.toContain(Buffer.from(secret).toString('base64'));
    }
  });

  it('turns a Secret Service that stops answering into KEYCHAIN_UNAVAILABLE within seconds', async () => {
    // A private session of its own (the marker is dropped so the script makes a fresh one), whose
    // gnome-keyring-daemon the child freezes with SIGSTOP after a first successful call.
    // Note: with the Secret Service pinned, `new AsyncEntry` talks to the service synchronously, so a
    // frozen service blocks the calling thread until the native module's own D-Bus reply timeout
    // (about 2 s, measured) and OsKeychain's timer cannot fire earlier; either way the caller gets
    // KEYCHAIN_UNAVAILABLE instead of hanging.
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LATCHKEY_SECRET_SERVICE_BUS;

    const outcomes = await runChild(
      `
      const { execFileSync } = await import('node:child_process');
      const keychain = new OsKeychain(${JSON.stringify(service)}, { timeoutMs: 300 });
      await attempt('warm-up', () => keychain.get('frozen'));
      const reply = execFileSync('dbus-send', ['--session', '--print-reply=literal', '--dest=org.freedesktop.DBus', '/',
        'org.freedesktop.DBus.GetConnectionUnixProcessID', 'string:org.freedesktop.secrets'], { encoding: 'utf8' });
      const pid = Number(reply.trim().split(/\\s+/).at(-1));
      process.kill(pid, 'SIGSTOP');
      try {
        const started = Date.now();
        await attempt('get', () => keychain.get('frozen'));
        outcomes.at(-1).elapsedMs = Date.now() - started;
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      `,
      env,
      ['bash', withSecretService],
    );

    expect(outcomes[0]).toMatchObject({ op: 'warm-up', ok: true, result: null });
    expect(outcomes[1]).toMatchObject({ op: 'get', ok: false, name: 'LatchkeyError', code: 'KEYCHAIN_UNAVAILABLE' });
    expect(outcomes[1]!.message).toMatch(/did not answer/);
    expect((outcomes[1] as ChildOutcome & { elapsedMs: number }).elapsedMs).toBeLessThan(5_000);
  });
});
