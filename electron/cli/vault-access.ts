import { isLatchkeyError, LatchkeyError } from '../../shared/errors';
import type { VaultService } from '../main/vault';
import type { CliIo } from './io';
import type { Flags } from './options';

/**
 * How the command line gets a vault password and opens the vault: LATCHKEY_PASSWORD, --password-stdin
 * or a prompt, else the system keychain. Remembers the password the vault was opened with, since
 * changing it re-seals the backup codes and provider credentials.
 */
export class VaultAccess {
  /** The password the vault was opened with, if any. */
  unlockPassword: string | null = null;

  constructor(private readonly vault: VaultService, private readonly flags: Flags, private readonly io: CliIo) {}

  /** Opens with a password a subcommand read from stdin itself, else as `unlock` does; returns the password used. */
  async unlockWith(fromStdin: string | undefined): Promise<string | null> {
    if (fromStdin !== undefined) {
      await this.vault.unlockWithPassword(fromStdin);
      return fromStdin;
    }
    await this.unlock();
    return this.unlockPassword;
  }

  async currentPassword(): Promise<string> {
    const fromEnv = this.io.env.LATCHKEY_PASSWORD;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (this.io.promptSecret) return this.readSecret('Current vault password: ');
    throw new LatchkeyError('PASSWORD_REQUIRED', 'Give the current password in LATCHKEY_PASSWORD.');
  }

  /** The password from LATCHKEY_PASSWORD or --password-stdin, else the keychain slot. */
  async unlock(): Promise<void> {
    const password = await this.passwordFromInput({ required: false });
    this.unlockPassword = password;
    if (password !== null) return this.vault.unlockWithPassword(password);
    try {
      await this.vault.unlockWithKeychain();
    } catch (error) {
      if (isLatchkeyError(error, 'KEYCHAIN_UNAVAILABLE') || isLatchkeyError(error, 'KEYCHAIN_KEY_MISSING') || isLatchkeyError(error, 'NO_KEYCHAIN_SLOT')) {
        throw new LatchkeyError(error.code, 'Give the password in LATCHKEY_PASSWORD or with --password-stdin.');
      }
      throw error;
    }
  }

  async passwordFromInput({ required, prompt, askTwice = false }: { required: boolean; prompt?: string; askTwice?: boolean }): Promise<string | null> {
    if (this.flags['password-stdin']) return this.readSecret(prompt ?? 'Vault password: ', { askTwice });
    const fromEnv = this.io.env.LATCHKEY_PASSWORD;
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (required) throw new LatchkeyError('PASSWORD_REQUIRED', 'Give it in LATCHKEY_PASSWORD or with --password-stdin.');
    return null;
  }

  /** A new password typed at a terminal is asked twice (`askTwice`): a typo there would lock its owner out. */
  async readSecret(prompt: string, { askTwice = false } = {}): Promise<string> {
    const text = this.io.promptSecret ? await this.io.promptSecret(prompt) : await this.io.readStdin();
    const secret = text.replace(/\r?\n$/, '');
    if (secret === '') throw new LatchkeyError('INVALID_INPUT', 'The password cannot be empty.');
    if (askTwice && this.io.promptSecret) {
      const again = await this.io.promptSecret('Type it again: ');
      if (again !== secret) throw new LatchkeyError('INVALID_INPUT', 'The two passwords are not the same; nothing was changed.');
    }
    return secret;
  }
}

