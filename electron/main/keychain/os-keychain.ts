import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { LatchkeyError } from '../../../shared/errors';
import type { SecretStore } from './secret-store';

/** How long one keychain call may take before it counts as unavailable (a hung D-Bus peer, a prompt nobody answers). */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5_000;

export interface OsKeychainOptions {
  /** Milliseconds before a call that has not answered fails with KEYCHAIN_UNAVAILABLE. */
  timeoutMs?: number;
}

type Operation = 'read' | 'save' | 'delete';

/**
 * The real OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and on
 * Linux the Secret Service (gnome-keyring, KWallet) over D-Bus.
 *
 * On Linux the entry is pinned to the Secret Service. Unpinned, the library silently falls back to
 * the kernel keyutils keyring when no Secret Service runs; that keyring does not survive a reboot,
 * so a vault "saved to the keychain" there would be lost. Pinned, a missing session bus is an error.
 *
 * Every failure of the native module (a synchronous throw, a rejection, or no answer within the
 * timeout) becomes KEYCHAIN_UNAVAILABLE with a short reason that never contains the secret.
 */
export class OsKeychain implements SecretStore {
  private readonly serviceName: string;
  private readonly entryOptions: EntryOptions | undefined;
  private readonly timeoutMs: number;

  constructor(serviceName = 'Latchkey', options: OsKeychainOptions = {}) {
    this.serviceName = serviceName;
    this.entryOptions = process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  }

  /** The caller owns the returned key and wipes it once used; the native copy is wiped here. */
  async get(name: string): Promise<Uint8Array | null> {
    const secret = await this.call('read', name, (entry) => entry.getSecret());
    if (secret === null) return null;
    const key = Uint8Array.from(secret);
    secret.fill(0);
    return key;
  }

  async set(name: string, secret: Uint8Array): Promise<void> {
    await this.call('save', name, (entry) => entry.setSecret(secret));
  }

  async delete(name: string): Promise<boolean> {
    return this.call('delete', name, (entry) => entry.deleteCredential());
  }

  private async call<T>(operation: Operation, name: string, run: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // On Linux the constructor already talks to the Secret Service, synchronously: it throws when
      // there is no session bus, and if the service hangs it blocks this thread until the native
      // D-Bus reply timeout (about 2 s, measured with @napi-rs/keyring 2.1.2) and then throws. The
      // timer below can only bound the asynchronous part of the call.
      const pending = run(new AsyncEntry(this.serviceName, name, this.entryOptions));
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KeychainTimeout(this.timeoutMs)), this.timeoutMs);
      });
      // If the timeout wins, the native call keeps running; swallow its late outcome.
      pending.catch(() => undefined);
      return await Promise.race([pending, timedOut]);
    } catch (cause) {
      throw new LatchkeyError('KEYCHAIN_UNAVAILABLE', describeFailure(operation, cause), { cause });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}

class KeychainTimeout extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The keychain did not answer within ${timeoutMs} ms.`);
    this.timeoutMs = timeoutMs;
    this.name = 'KeychainTimeout';
  }
}

const VERB: Record<Operation, string> = { read: 'reading', save: 'saving', delete: 'deleting' };

/**
 * A short, fixed reason for the error message. The native text is classified rather than copied, so
 * whatever the platform layer puts in it can never reach the UI; the original stays in `cause`.
 */
function describeFailure(operation: Operation, cause: unknown): string {
  const context = `while ${VERB[operation]} a key`;
  if (cause instanceof KeychainTimeout) {
    return `(The keychain did not answer within ${Math.round(cause.timeoutMs / 100) / 10} s ${context}.)`;
  }
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/did not receive a reply|timed? ?out/i.test(text)) return `(The Secret Service did not answer in time ${context}.)`;
  if (/\blocked\b|prompt|dismissed/i.test(text)) return `(The keychain is locked ${context}.)`;
  if (/no result found|no such (object|collection)|collection/i.test(text)) {
    return `(The keychain has no default collection ${context}.)`;
  }
  if (/dbus|d-bus|bus address|session bus/i.test(text)) return `(Could not reach the Secret Service over D-Bus ${context}.)`;
  if (/ambiguous/i.test(text)) return `(The keychain holds more than one matching entry ${context}.)`;
  return `(The keychain failed ${context}.)`;
}
