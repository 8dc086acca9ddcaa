import { parseArgs } from 'node:util';
import type { AccountSummary, Code } from '../../shared/domain';
import { ERROR_SENTENCES, isLatchkeyError, LatchkeyError } from '../../shared/errors';
import { AccountsService } from '../main/accounts';
import { OsKeychain, type SecretStore } from '../main/keychain';
import { defaultVaultDir, VaultService } from '../main/vault';
import { RecoveryService } from '../main/recovery';
import { accountsMatching, displayName } from './account-query';
import { runExport, runRestore } from './export-commands';
import { runImport } from './import-command';
import { CANCELLED_EXIT_STATUS, type CliIo, PromptCancelled } from './io';
import { type Flags, OPTIONS, USAGE, UsageError } from './options';
import { runRecoveryCommand } from './recovery-command';
import { runProviderCommand } from './provider-command';
import { VaultAccess } from './vault-access';

export { USAGE } from './options';

export interface CliDependencies {
  keychain?: SecretStore;
  now?: () => number;
}

/** Runs one command; returns the exit status (0 ok, 1 a Latchkey error, 2 a usage error). */
export async function runCli(argv: string[], io: CliIo, deps: CliDependencies = {}): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const flags = values as Flags;
    if (flags.help || positionals.length === 0) {
      io.stdout(USAGE);
      return flags.help ? 0 : 2;
    }
    const command = new Command(flags, io, deps);
    await command.run(positionals);
    return 0;
  } catch (error) {
    if (error instanceof PromptCancelled) {
      io.stderr('latchkey: cancelled; nothing was changed.\n');
      return CANCELLED_EXIT_STATUS;
    }
    if (isLatchkeyError(error)) {
      io.stderr(`latchkey: ${error.code}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`latchkey: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`latchkey: INTERNAL_ERROR: ${ERROR_SENTENCES.INTERNAL_ERROR}\n`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') === true;
}

class Command {
  private readonly vault: VaultService;
  private readonly accounts: AccountsService;
  private readonly recovery: RecoveryService;
  private readonly now: () => number;
  private readonly access: VaultAccess;

  constructor(private readonly flags: Flags, private readonly io: CliIo, deps: CliDependencies) {
    const dir = flags.vault ?? defaultVaultDir(io.env);
    this.now = deps.now ?? Date.now;
    this.vault = new VaultService({ dir, keychain: deps.keychain ?? new OsKeychain() });
    this.accounts = new AccountsService(this.vault, this.now);
    // Installs the vault's password-change hook, so `init` and `password set` seal the backup codes.
    this.recovery = new RecoveryService(this.vault, { now: this.now });
    this.access = new VaultAccess(this.vault, flags, io);
  }

  async run([name, ...args]: string[]): Promise<void> {
    switch (name) {
      case 'init':
        return this.init(args);
      case 'add':
        return this.add(args);
      case 'list':
        return this.list(args);
      case 'code':
      case 'codes':
        return this.code(args);
      case 'import':
        return this.importFile(args);
      case 'export':
        return this.exportFile(args);
      case 'restore':
        return this.restore(args);
      case 'remove':
        return this.remove(args);
      case 'password':
        return this.password(args);
      case 'recovery':
        return runRecoveryCommand(args, {
          io: this.io,
          accounts: this.accounts,
          recovery: this.recovery,
          json: this.flags.json,
          dryRun: this.flags['dry-run'],
          used: this.flags.used,
          unused: this.flags.unused,
          passwordFromStdin: this.flags['password-stdin'],
          unlock: (fromStdin) => this.access.unlockWith(fromStdin),
          usage: (message) => new UsageError(message),
        });
      case 'provider':
        return runProviderCommand(args, {
          io: this.io,
          vault: this.vault,
          accounts: this.accounts,
          recovery: this.recovery,
          json: this.flags.json,
          passwordFromStdin: this.flags['password-stdin'],
          provider: this.flags.provider,
          baseUrl: this.flags['base-url'],
          environment: this.flags.environment,
          userId: this.flags['user-id'],
          identityId: this.flags['identity-id'],
          deviceId: this.flags['device-id'],
          unlock: (fromStdin) => this.access.unlockWith(fromStdin),
          usage: (message) => new UsageError(message),
        });
      default:
        throw new UsageError(`Unknown command '${name ?? ''}'.`);
    }
  }

  private async init(args: string[]): Promise<void> {
    expectArgs(args, 0, 'init');
    const useKeychain = !this.flags['no-keychain'];
    const password = await this.access.passwordFromInput({ required: !useKeychain, prompt: 'New vault password: ', askTwice: true });
    await this.vault.create({ password, useKeychain });
    const ways = [useKeychain ? 'the system keychain' : null, password !== null ? 'your password' : null].filter(Boolean).join(' and ');
    this.io.stderr(`Created a vault in ${this.vault.dir}, opened by ${ways}.\n`);
  }

  private async add(args: string[]): Promise<void> {
    const uri = await this.linkToAdd(args);
    await this.access.unlock();
    const account = await this.accounts.addFromUri(uri);
    this.io.stdout(`${account.id}\n`);
  }

  /** The link from stdin (`add -`, `--uri-stdin`), or from argv with a warning that its secret shows there. */
  private async linkToAdd(args: string[]): Promise<string> {
    const fromStdin = this.flags['uri-stdin'] || (args.length === 1 && args[0] === '-');
    if (args.length !== (this.flags['uri-stdin'] ? 0 : 1)) throw new UsageError('Usage: latchkey add - (the link on stdin), or latchkey add <otpauth-uri>');
    if (!fromStdin) {
      const uri = args[0] as string;
      if (/secret=/i.test(uri)) this.io.stderr('latchkey: warning: a secret in the command line shows in shell history and process lists; use `latchkey add -` with the link on stdin.\n');
      return uri;
    }
    if (this.flags['password-stdin'] && !this.io.promptSecret) throw new UsageError('The link and the password cannot both come from stdin; give the password in LATCHKEY_PASSWORD.');
    const lines = (await this.readStdinText()).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
    if (lines.length === 0) throw new LatchkeyError('INVALID_OTPAUTH_URI', 'Standard input held no link.');
    if (lines.length > 1) throw new UsageError('`add -` takes one link; for several, use: latchkey import -');
    return lines[0] as string;
  }

  private async readStdinText(): Promise<string> {
    try {
      return await this.io.readStdin();
    } catch (error) {
      throw new LatchkeyError('IO_ERROR', `Could not read standard input (${(error as Error).message}).`);
    }
  }

  private async list(args: string[]): Promise<void> {
    expectArgs(args, 0, 'list');
    await this.access.unlock();
    const accounts = this.accounts.list();
    if (this.flags.json) return this.printJson(accounts.map(listEntry));
    if (accounts.length === 0) return this.io.stderr('The vault has no accounts yet. Add one with: latchkey add <otpauth-uri>\n');
    for (const account of accounts) this.io.stdout(`${account.id}  ${displayName(account)}  (${account.type.toUpperCase()}, ${account.algorithm}, ${account.digits})\n`);
  }

  private async code(args: string[]): Promise<void> {
    if (args.length > 1) throw new UsageError('code takes at most one query.');
    const query = args[0] ?? '';
    const atMs = this.flags.at === undefined ? this.now() : parseUnixSeconds(this.flags.at) * 1000;
    await this.access.unlock();
    const matching = accountsMatching(this.accounts, query);
    if (this.flags.next) {
      for (const account of matching.filter((candidate) => candidate.type === 'hotp')) await this.accounts.nextHotpCode(account.id);
    }
    const codes = this.accounts.codes(matching.map((account) => account.id), atMs);
    if (this.flags.json) return this.printJson(codes.map(codeEntry));
    if (codes.length === 0) throw new LatchkeyError('ACCOUNT_NOT_FOUND', query ? `No account matches '${query}'.` : 'The vault has no accounts yet.');
    for (const code of codes) this.io.stdout(`${code.code}  ${displayName(code)}${code.expiresAt ? `  (${Math.ceil((code.expiresAt - atMs) / 1000)} s left)` : ''}\n`);
  }

  private async importFile(args: string[]): Promise<void> {
    if (args.length === 0) throw new UsageError('Usage: latchkey import <file|folder>... [--format F] [--file-password-stdin] [--dry-run] [--json]');
    this.refuseTwoStdinPasswords();
    if (args.includes('-') && (this.flags['password-stdin'] || this.flags['file-password-stdin']) && !this.io.promptSecret) {
      throw new UsageError('The links and a password cannot both come from stdin; give the password in LATCHKEY_PASSWORD (or LATCHKEY_IMPORT_PASSWORD).');
    }
    await runImport(args, {
      io: this.io,
      json: this.flags.json,
      dryRun: this.flags['dry-run'],
      format: this.flags.format,
      filePasswordStdin: this.flags['file-password-stdin'],
      accounts: this.accounts,
      vault: this.vault,
      now: this.now,
      unlock: () => this.access.unlock(),
      readSecret: (prompt) => this.access.readSecret(prompt),
    });
  }

  private async exportFile(args: string[]): Promise<void> {
    const [file] = expectArgs(args, 1, 'export <file> --format latchkey|aegis|aegis-plain|uris|qr-html [--file-password-stdin]');
    this.refuseTwoStdinPasswords();
    await runExport(file as string, {
      io: this.io,
      vault: this.vault,
      format: this.flags.format,
      filePasswordStdin: this.flags['file-password-stdin'],
      unlock: () => this.access.unlock(),
      unlockPassword: () => this.access.unlockPassword,
      readSecret: (prompt) => this.access.readSecret(prompt),
    });
  }

  private async restore(args: string[]): Promise<void> {
    const [file] = expectArgs(args, 1, 'restore <file> [--file-password-stdin] [--no-keychain]');
    this.refuseTwoStdinPasswords();
    await runRestore(file as string, {
      io: this.io,
      vault: this.vault,
      filePasswordStdin: this.flags['file-password-stdin'],
      useKeychain: !this.flags['no-keychain'],
      vaultPassword: () => this.access.passwordFromInput({ required: false, prompt: 'New vault password: ' }),
      readSecret: (prompt) => this.access.readSecret(prompt),
    });
  }

  private refuseTwoStdinPasswords(): void {
    if (this.flags['file-password-stdin'] && this.flags['password-stdin']) {
      throw new UsageError('Standard input can carry one password: give the vault password in LATCHKEY_PASSWORD when the file password comes from stdin.');
    }
  }

  private async remove(args: string[]): Promise<void> {
    const [id] = expectArgs(args, 1, 'remove <id>');
    await this.access.unlock();
    const account = this.accounts.list().find((candidate) => candidate.id === id);
    if (!account) throw new LatchkeyError('ACCOUNT_NOT_FOUND', `No account has the id ${id}.`);
    await this.accounts.remove(account.id);
    this.io.stderr(`Removed ${displayName(account)}.\n`);
  }

  private async password(args: string[]): Promise<void> {
    const [sub] = expectArgs(args, 1, 'password set');
    if (sub !== 'set') throw new UsageError(`Unknown password command '${sub}'. Did you mean 'password set'?`);
    if (this.flags['password-stdin']) throw new UsageError("'password set' reads the new password from stdin; give the current one in LATCHKEY_PASSWORD.");
    await this.access.unlock();
    // Changing a slot needs the current password when there is one (LATCHKEY_PASSWORD, or asked at the terminal).
    const currentPassword = (await this.vault.status()).hasPasswordSlot ? await this.access.currentPassword() : undefined;
    const password = await this.access.readSecret('New vault password: ', { askTwice: true });
    await this.vault.setPassword(password, { currentPassword });
    this.io.stderr('The vault password is set.\n');
  }

  private printJson(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  }
}

/** The positional arguments, when there are exactly `count` of them; else a usage error. */
function expectArgs(args: string[], count: number, usage: string): string[] {
  if (args.length !== count) throw new UsageError(`Usage: latchkey ${usage}`);
  return args;
}

function parseUnixSeconds(text: string): number {
  if (!/^\d{1,12}$/.test(text)) throw new UsageError(`--at takes unix seconds (a whole number), not '${text}'.`);
  return Number(text);
}


/** The `list --json` shape other tools rely on. */
export function listEntry(account: AccountSummary) {
  return {
    id: account.id,
    issuer: account.issuer,
    label: account.label,
    type: account.type,
    algorithm: account.algorithm,
    digits: account.digits,
    period: account.type === 'hotp' ? null : account.period,
    counter: account.type === 'hotp' ? account.counter : null,
    group: account.group,
  };
}

/** The `code --json` shape: expiresAt in unix seconds like --at, null for HOTP. */
export function codeEntry(code: Code) {
  return { id: code.id, issuer: code.issuer, label: code.label, code: code.code, expiresAt: code.expiresAt === null ? null : code.expiresAt / 1000 };
}
