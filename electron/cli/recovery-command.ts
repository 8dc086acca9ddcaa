import type { AccountSummary } from '../../shared/domain';
import { isLatchkeyError, LatchkeyError } from '../../shared/errors';
import type { AccountsService } from '../main/accounts';
import { recogniseCodes, type RecoveryService } from '../main/recovery';
import { accountsMatching, displayName, oneAccount } from './account-query';
import type { CliIo } from './io';

/** What `latchkey recovery …` needs from the command runner. */
export interface RecoveryCommandContext {
  io: CliIo;
  accounts: AccountsService;
  recovery: RecoveryService;
  json: boolean;
  dryRun: boolean;
  used: boolean;
  unused: boolean;
  passwordFromStdin: boolean;
  /** Unlocks the vault (password from LATCHKEY_PASSWORD / --password-stdin, else the keychain); returns the password used, if any. */
  unlock: (passwordFromStdin?: string) => Promise<string | null>;
  usage: (message: string) => Error;
}

export const RECOVERY_USAGE = `  recovery add <query> [--dry-run] [--json]
                                            store the backup codes read from stdin as the account's
                                            current set (with --password-stdin: password on the first line)
  recovery list [query] [--json]            the accounts' sets of backup codes, used or not
  recovery use <query>                      print the next unused backup code and mark it used
  recovery mark <query> <code> --used|--unused
                                            mark one backup code used or unused
`;

/** `latchkey recovery add|list|use|mark`: the recovery-code ledger on the command line. */
export async function runRecoveryCommand(argv: string[], context: RecoveryCommandContext): Promise<void> {
  try {
    await runSubcommand(argv, context);
  } catch (error) {
    if (isLatchkeyError(error, 'RECOVERY_SEALED')) throw new LatchkeyError('RECOVERY_SEALED', 'Give the vault password in LATCHKEY_PASSWORD or with --password-stdin.');
    throw error;
  }
}

async function runSubcommand([sub, ...args]: string[], context: RecoveryCommandContext): Promise<void> {
  switch (sub) {
    case 'add':
      return add(args, context);
    case 'list':
      return list(args, context);
    case 'use':
      return use(args, context);
    case 'mark':
      return mark(args, context);
    default:
      throw context.usage(`Unknown recovery command '${sub ?? ''}'. Use add, list, use or mark.`);
  }
}

async function add(args: string[], context: RecoveryCommandContext): Promise<void> {
  if (args.length !== 1) throw context.usage('Usage: latchkey recovery add <query> (codes on stdin)');
  let text = await context.io.readStdin();
  let password: string | undefined;
  if (context.passwordFromStdin) {
    const newline = text.indexOf('\n');
    password = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
    text = newline < 0 ? '' : text.slice(newline + 1);
  }
  const recognised = recogniseCodes(text);
  // A vault with a password but no seal yet gets one before the first codes (not on a dry run: it writes).
  await unlockAndUnseal(context, { sealIfNeeded: !context.dryRun, passwordFromStdin: password });
  const account = oneAccount(context.accounts, args[0] as string);
  if (context.dryRun) {
    if (context.json) return printJson(context, { accountId: account.id, codes: recognised.codes, from: recognised.from, skippedLines: recognised.skippedLines, duplicates: recognised.duplicates });
    context.io.stdout(recognised.codes.map((code) => `${code}\n`).join(''));
    context.io.stderr(`Would store ${recognised.codes.length} codes for ${displayName(account)}; nothing was saved (--dry-run).\n`);
    return;
  }
  const set = await context.recovery.addCodes(account.id, recognised.codes, 'pasted');
  if (context.json) return printJson(context, { accountId: account.id, setId: set.id, stored: set.count });
  context.io.stdout(`Stored ${set.count} backup codes for ${displayName(account)}${supersededNote(context, account.id)}.\n`);
}

async function list(args: string[], context: RecoveryCommandContext): Promise<void> {
  if (args.length > 1) throw context.usage('Usage: latchkey recovery list [query] [--json]');
  await unlockAndUnseal(context);
  const query = args[0] ?? '';
  const accounts = accountsMatching(context.accounts, query);
  if (query !== '' && accounts.length === 0) throw new LatchkeyError('ACCOUNT_NOT_FOUND', `No account matches '${query}'.`);
  // Through the keychain alone, sealed codes cannot be read: say how many there are instead.
  if (!context.json && context.recovery.status().protection === 'password' && context.recovery.status().unsealedUntil === null) {
    return printCounts(context, accounts);
  }
  const entries = [];
  for (const account of accounts) {
    for (const set of context.recovery.forAccount(account.id).sets) {
      const revealed = await context.recovery.reveal(set.id);
      entries.push({
        accountId: account.id,
        setId: set.id,
        current: set.current,
        source: set.source,
        createdAt: toUnixSeconds(set.createdAt),
        codes: revealed.codes.map((code) => {
          const usedAt = set.codes[code.index]?.usedAt ?? null;
          return { code: code.code, used: code.used, usedAt: usedAt === null ? null : toUnixSeconds(usedAt) };
        }),
      });
    }
  }
  if (context.json) return printJson(context, entries);
  if (entries.length === 0) return context.io.stderr('No backup codes stored yet. Add some with: latchkey recovery add <query> < codes.txt\n');
  for (const entry of entries) {
    const account = accounts.find((candidate) => candidate.id === entry.accountId) as AccountSummary;
    const unused = entry.codes.filter((code) => !code.used).length;
    context.io.stdout(`${displayName(account)}  ${entry.current ? 'current' : 'superseded'} set, ${unused} of ${entry.codes.length} unused (${entry.source}, ${new Date(entry.createdAt * 1000).toISOString().slice(0, 10)})\n`);
    for (const code of entry.codes) context.io.stdout(`  ${code.code}${code.used ? '  (used)' : ''}\n`);
  }
}

function printCounts(context: RecoveryCommandContext, accounts: AccountSummary[]): void {
  for (const account of accounts) {
    const view = context.recovery.forAccount(account.id);
    if (view.total === 0) continue;
    context.io.stdout(`${displayName(account)}  ${view.unused} of ${view.total} unused\n`);
  }
  context.io.stderr('The codes are sealed with the vault password; give it (LATCHKEY_PASSWORD or --password-stdin) to see them.\n');
}

async function use(args: string[], context: RecoveryCommandContext): Promise<void> {
  if (args.length !== 1) throw context.usage('Usage: latchkey recovery use <query>');
  await unlockAndUnseal(context);
  const account = oneAccount(context.accounts, args[0] as string);
  const spent = await context.recovery.useNext(account.id, 'copied');
  if (context.json) return printJson(context, { accountId: account.id, setId: spent.setId, code: spent.code, left: spent.left });
  context.io.stdout(`${spent.code}\n`);
  context.io.stderr(`Marked used. ${spent.left} unused backup code${spent.left === 1 ? '' : 's'} left for ${displayName(account)}.\n`);
}

async function mark(args: string[], context: RecoveryCommandContext): Promise<void> {
  if (args.length !== 2) throw context.usage('Usage: latchkey recovery mark <query> <code> --used|--unused');
  if (context.used === context.unused) throw context.usage('Say --used or --unused (one of them).');
  await unlockAndUnseal(context);
  const account = oneAccount(context.accounts, args[0] as string);
  await context.recovery.markByText(account.id, args[1] as string, context.used);
  context.io.stderr(`Marked ${context.used ? 'used' : 'unused'}.\n`);
}

/** Unlocks, then opens the seal with the same password when the codes are sealed with it. */
async function unlockAndUnseal(context: RecoveryCommandContext, options: { sealIfNeeded?: boolean; passwordFromStdin?: string } = {}): Promise<void> {
  const password = await context.unlock(options.passwordFromStdin);
  if (password === null) return;
  const { protection } = context.recovery.status();
  if (protection === 'password' || (protection === 'needs-password' && options.sealIfNeeded)) await context.recovery.unseal(password);
}


function supersededNote(context: RecoveryCommandContext, accountId: string): string {
  const superseded = context.recovery.forAccount(accountId).sets.filter((set) => !set.current).length;
  return superseded > 0 ? `; the earlier set is kept as superseded` : '';
}

function toUnixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}


function printJson(context: RecoveryCommandContext, value: unknown): void {
  context.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
