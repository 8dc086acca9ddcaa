import { LatchkeyError } from '../../shared/errors';
import type { AccountsService } from '../main/accounts';
import {
  DEFAULT_TIMEOUT_MS,
  decodeQrImageInMain,
  enrollmentAccountsFrom,
  isProviderError,
  MisakeyEnrollment,
  PROVIDER_NAMES,
  ProviderHttpClient,
  ProvidersService,
  type RetryWait,
  recoveryLedgerFrom,
  summarizeConnection,
  VaultConnectionStore,
  VaultEnrollmentStore,
} from '../main/providers';
import type { RecoveryService } from '../main/recovery';
import type { VaultService } from '../main/vault';
import { displayName, oneAccount } from './account-query';
import type { CliIo } from './io';

/** What `latchkey provider …` needs from the command runner. */
export interface ProviderCommandContext {
  io: CliIo;
  vault: VaultService;
  accounts: AccountsService;
  recovery: RecoveryService;
  json: boolean;
  passwordFromStdin: boolean;
  provider?: string;
  baseUrl?: string;
  environment?: string;
  userId?: string;
  identityId?: string;
  deviceId?: string;
  /** Unlocks the vault (the password given, else LATCHKEY_PASSWORD, else the keychain); returns the password used, if any. */
  unlock: (passwordFromStdin?: string) => Promise<string | null>;
  usage: (message: string) => Error;
}

export const PROVIDER_USAGE = `  provider connect <query> --provider moonkey|stytch|misakey|arklow [--base-url URL]
           [--environment test|live] [--user-id ID | --identity-id ID | --device-id ID]
                                            connect the account to its provider; the credentials
                                            as JSON on stdin (moonkey, arklow {"apiKey"}; stytch
                                            {"projectId","secret"}; misakey {"accessToken","csrfToken"})
  provider fetch <query>                    the provider's backup codes, stored as the current set
  provider regenerate <query>               a new set from the provider (the old codes stop working)
  provider verify <query> [<code>]          sign in at the provider with that code, or the next
                                            unused one, and mark it used (MoonKey)
  provider enroll --provider misakey --identity-id ID [--base-url URL]
                                            enroll a new TOTP secret at Misakey (credentials on
                                            stdin); prints the new account's id
  provider delete-totp <query>              delete the TOTP secret at the provider (Misakey); the
                                            account and its backup codes stay in Latchkey
  provider disconnect <query>               forget the connection and its credentials
`;

/**
 * LATCHKEY_PROVIDER_TIMEOUT_MS shortens the providers' 10 s timeout (tests of slow answers, scripts
 * that would rather fail fast). It can only shorten it, and not below a floor where a healthy
 * provider could answer in time.
 */
export const PROVIDER_TIMEOUT_ENV = 'LATCHKEY_PROVIDER_TIMEOUT_MS';
const MIN_PROVIDER_TIMEOUT_MS = 200;

export function providerTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env[PROVIDER_TIMEOUT_ENV]?.trim();
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return DEFAULT_TIMEOUT_MS;
  return Math.min(DEFAULT_TIMEOUT_MS, Math.max(MIN_PROVIDER_TIMEOUT_MS, Number(raw)));
}

/** The credentials JSON on stdin is small; anything larger is not credentials. */
const MAX_CREDENTIALS_CHARS = 16 * 1024;

/** Each stage of a Misakey enrollment, as the command says it on stderr while it runs. */
const ENROLL_STAGE_TEXT = {
  started: 'Misakey started the enrollment; its QR code was read.',
  'account-added': 'The account is added; finishing with its current code…',
  finished: 'Misakey finished the enrollment; storing the backup codes…',
  stored: 'Stored.',
} as const;

/** `latchkey provider connect|fetch|regenerate|verify|enroll|disconnect`. */
export async function runProviderCommand(argv: string[], context: ProviderCommandContext): Promise<void> {
  try {
    await runSubcommand(argv, context);
  } catch (error) {
    // With --json a failure is machine-readable on stdout too; stderr still gets the usual line.
    if (context.json && error instanceof LatchkeyError && !printedAsJson.has(error)) printJson(context, { error: errorJson(error) });
    throw error;
  }
}

/** Errors already printed within a --json result (the unsaved codes), not to be printed twice. */
const printedAsJson = new WeakSet<Error>();

/** An error as `--json` prints it: the code and sentence, plus what the provider told us. */
export function errorJson(error: LatchkeyError): Record<string, unknown> {
  const base: Record<string, unknown> = { code: error.code, message: error.message };
  if (!isProviderError(error)) return base;
  return {
    ...base,
    provider: error.provider,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    mayHaveArrived: error.requestMayHaveArrived,
  };
}

async function runSubcommand([sub, ...args]: string[], context: ProviderCommandContext): Promise<void> {
  switch (sub) {
    case 'connect':
      return connect(args, context);
    case 'fetch':
    case 'regenerate':
      return codes(sub, args, context);
    case 'verify':
      return verify(args, context);
    case 'enroll':
      return enroll(args, context);
    case 'delete-totp':
      return deleteTotp(args, context);
    case 'disconnect':
      return disconnect(args, context);
    default:
      throw context.usage(`Unknown provider command '${sub ?? ''}'. Use connect, fetch, regenerate, verify, enroll, delete-totp or disconnect.`);
  }
}

function services(context: ProviderCommandContext) {
  // Every retry wait is said on stderr, so a person sees why the command is quiet.
  const client = new ProviderHttpClient({ timeoutMs: providerTimeoutFromEnv(context.io.env), onRetryWait: (wait) => context.io.stderr(describeWait(wait)) });
  const connections = new VaultConnectionStore(context.vault, context.recovery);
  const ledger = recoveryLedgerFrom(context.recovery);
  const providers = new ProvidersService({ client, connections, ledger });
  const enrollment = new MisakeyEnrollment({
    client,
    store: new VaultEnrollmentStore(context.vault, context.recovery),
    accounts: enrollmentAccountsFrom(context.accounts),
    connections,
    ledger,
    decodeQrImage: decodeQrImageInMain,
  });
  return { connections, providers, enrollment };
}

export function describeWait(wait: RetryWait): string {
  const why = wait.reason === 'rate-limited' ? 'is limiting requests' : wait.reason === 'unavailable' ? 'is unavailable' : 'could not be reached';
  const when = wait.waitMs <= 0 ? 'now' : `in ${Math.ceil(wait.waitMs / 1000)} s`;
  return `latchkey: ${PROVIDER_NAMES[wait.provider]} ${why}; retry ${wait.retry} of ${wait.maxRetries} ${when}.\n`;
}

async function connect(args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length !== 1 || context.provider === undefined) throw context.usage('Usage: latchkey provider connect <query> --provider moonkey|stytch|misakey|arklow (credentials as JSON on stdin)');
  const credentials = await credentialsFromStdin(context);
  const { connections, providers } = services(context);
  const account = oneAccount(context.accounts, args[0] as string);
  const input = { provider: context.provider, baseUrl: context.baseUrl, environment: context.environment, ...subject(context), credentials };
  const summary = await providers.connect(account.id, input);
  const protection = connections.protection();
  if (context.json) return printJson(context, { accountId: account.id, ...summary, protection });
  context.io.stdout(`Connected ${displayName(account)} to ${summary.provider} at ${summary.baseUrl} (${summary.subjectId}).\n`);
  context.io.stderr(
    protection === 'password'
      ? 'The credentials are sealed with the vault password.\n'
      : 'The credentials are protected by the vault key alone (this vault has no password; set one with `latchkey password set` to seal them).\n',
  );
}

/** The id flag the provider takes; the others are refused, so a mistyped flag does not go unnoticed. */
function subject(context: ProviderCommandContext): Record<string, string> {
  const given = { userId: context.userId, identityId: context.identityId, deviceId: context.deviceId };
  const wanted = context.provider === 'misakey' ? 'identityId' : context.provider === 'arklow' ? 'deviceId' : 'userId';
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && key !== wanted) throw context.usage(`--${flagName(key)} does not apply to ${context.provider}; it takes --${flagName(wanted)}.`);
  }
  const value = given[wanted as keyof typeof given];
  if (value === undefined) throw context.usage(`${context.provider} needs --${flagName(wanted)}.`);
  return { [wanted]: value };
}

function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

async function codes(action: 'fetch' | 'regenerate', args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length !== 1) throw context.usage(`Usage: latchkey provider ${action} <query>`);
  await unlockAndUnseal(context);
  const { providers } = services(context);
  const account = oneAccount(context.accounts, args[0] as string);
  const result = action === 'fetch' ? await providers.fetchCodes(account.id) : await providers.regenerateCodes(account.id);
  if (!result.saved) {
    // The provider replaced the codes but the vault save failed: these are the only copy left.
    if (context.json) {
      printJson(context, { accountId: account.id, saved: false, codes: result.codes, error: errorJson(result.saveError) });
      printedAsJson.add(result.saveError);
    } else context.io.stdout(result.codes.map((code) => `${code}\n`).join(''));
    context.io.stderr('latchkey: warning: the new backup codes above could not be saved, and the old ones no longer work. Write them down now.\n');
    throw result.saveError;
  }
  if (context.json) return printJson(context, { accountId: account.id, saved: true, count: result.count });
  context.io.stdout(`Stored ${result.count} backup codes from the provider for ${displayName(account)} as the current set.\n`);
}

async function verify(args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length < 1 || args.length > 2) throw context.usage('Usage: latchkey provider verify <query> [<code>]');
  await unlockAndUnseal(context);
  const { providers } = services(context);
  const account = oneAccount(context.accounts, args[0] as string);
  context.io.stderr('Signing in with a backup code spends it at the provider.\n');
  const result = await providers.signInWithRecoveryCode(account.id, args[1]);
  const left = context.recovery.forAccount(account.id).unused;
  if (context.json) return printJson(context, { accountId: account.id, ...result, unusedLeft: left });
  context.io.stdout(`The provider accepted the code (user ${result.userId}${result.sessionCreated ? ', a session was created' : ''}). Marked used; ${left} unused left.\n`);
}

async function enroll(args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length !== 0 || context.provider !== 'misakey' || context.identityId === undefined) {
    throw context.usage('Usage: latchkey provider enroll --provider misakey --identity-id ID [--base-url URL] (credentials as JSON on stdin)');
  }
  const credentials = await credentialsFromStdin(context);
  const { enrollment } = services(context);
  const input = { provider: 'misakey', baseUrl: context.baseUrl, identityId: context.identityId, credentials };
  const { unsaved, ...result } = await enrollment.enroll(input, { onStage: (stage) => context.io.stderr(`latchkey: ${ENROLL_STAGE_TEXT[stage]}\n`) });
  if (unsaved !== undefined) {
    // Misakey finished, but the codes could not be saved: this is their only copy.
    if (context.json) {
      printJson(context, { ...result, saved: false, codes: unsaved.codes, error: errorJson(unsaved.saveError) });
      printedAsJson.add(unsaved.saveError);
    } else context.io.stdout(unsaved.codes.map((code) => `${code}\n`).join(''));
    context.io.stderr(`latchkey: warning: Misakey finished the enrollment (account ${result.accountId}), but its new backup codes could not be saved. Write them down now; then connect that account with \`latchkey provider connect\` (do not enroll again).\n`);
    throw unsaved.saveError;
  }
  if (context.json) return printJson(context, result);
  context.io.stdout(`${result.accountId}\n`);
  context.io.stderr(`Enrolled${result.resumed ? ' (continued where it stopped)' : ''}; stored ${result.codeCount} backup codes.\n`);
}

async function deleteTotp(args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length !== 1) throw context.usage('Usage: latchkey provider delete-totp <query>');
  await unlockAndUnseal(context);
  const { providers } = services(context);
  const account = oneAccount(context.accounts, args[0] as string);
  await providers.deleteProviderTotp(account.id);
  if (context.json) return printJson(context, { accountId: account.id, deleted: true });
  context.io.stdout(`The provider deleted the TOTP secret of ${displayName(account)}. The account and its backup codes stay in Latchkey, but the provider no longer asks for them.\n`);
}

async function disconnect(args: string[], context: ProviderCommandContext): Promise<void> {
  if (args.length !== 1) throw context.usage('Usage: latchkey provider disconnect <query>');
  await unlockAndUnseal(context);
  const { connections, providers } = services(context);
  const account = oneAccount(context.accounts, args[0] as string);
  const connection = await connections.get(account.id);
  await providers.disconnect(account.id);
  const summary = connection === null ? null : summarizeConnection(connection);
  if (context.json) return printJson(context, { accountId: account.id, disconnected: summary });
  context.io.stderr(`Disconnected ${displayName(account)}${summary ? ` from ${summary.provider}` : ''}; its credentials are gone from the vault.\n`);
}

/** Reads the credentials JSON (after the password line with --password-stdin), then unlocks and opens the seal. */
async function credentialsFromStdin(context: ProviderCommandContext): Promise<unknown> {
  let text = await context.io.readStdin();
  let password: string | undefined;
  if (context.passwordFromStdin) {
    const newline = text.indexOf('\n');
    password = (newline < 0 ? text : text.slice(0, newline)).replace(/\r$/, '');
    text = newline < 0 ? '' : text.slice(newline + 1);
  }
  if (text.length > MAX_CREDENTIALS_CHARS) throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'The credentials on stdin are too long.');
  let credentials: unknown;
  try {
    credentials = JSON.parse(text);
  } catch {
    // Never quote the text: it is a secret.
    throw new LatchkeyError('PROVIDER_INVALID_CONNECTION', 'Give the credentials as one JSON object on stdin.');
  }
  await unlockAndUnseal(context, password);
  return credentials;
}

/** Unlocks; with a password, opens the seal (and makes it, for a vault that has none yet). */
async function unlockAndUnseal(context: ProviderCommandContext, passwordFromStdin?: string): Promise<void> {
  let fromStdin = passwordFromStdin;
  if (fromStdin === undefined && context.passwordFromStdin) fromStdin = (await context.io.readStdin()).split(/\r?\n/)[0] ?? '';
  const password = await context.unlock(fromStdin);
  if (password !== null && context.recovery.status().protection !== 'keychain-only') await context.recovery.unseal(password);
}



function printJson(context: ProviderCommandContext, value: unknown): void {
  context.io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
