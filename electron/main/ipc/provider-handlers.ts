import { toErrorPayload } from '../../../shared/errors';
import type { Channel, ChannelOutput, ParsedInput } from '../../../shared/ipc';
import type { ProviderProgress } from '../../../shared/providers';
import type { AccountsService } from '../accounts';
import {
  type CodesResult,
  decodeQrImageInMain,
  enrollmentAccountsFrom,
  type HttpClientOptions,
  MisakeyEnrollment,
  ProviderHttpClient,
  ProvidersService,
  recoveryLedgerFrom,
  VaultConnectionStore,
  VaultEnrollmentStore,
} from '../providers';
import type { RecoveryService } from '../recovery';
import type { VaultService } from '../vault';

type ProviderChannel = Extract<Channel, `providers:${string}`>;
export type ProviderHandlers = { [C in ProviderChannel]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> };

export interface ProviderHandlerServices {
  vault: VaultService;
  accounts: AccountsService;
  recovery: RecoveryService;
  /** Retry waits and enrollment stages, for the window to show while a call runs. */
  onProgress?: (progress: ProviderProgress) => void;
  /** The HTTP client's options (tests shorten the timeout). */
  http?: HttpClientOptions;
}

/** The provider channels over the vault-backed stores. Nothing here answers a credential. */
export function createProviderHandlers({ vault, accounts, recovery, onProgress, http }: ProviderHandlerServices): ProviderHandlers {
  const client = new ProviderHttpClient({ ...http, onRetryWait: (wait) => onProgress?.({ kind: 'retry-wait', ...wait }) });
  const connections = new VaultConnectionStore(vault, recovery);
  const ledger = recoveryLedgerFrom(recovery);
  const providers = new ProvidersService({ client, connections, ledger });
  const enrollment = new MisakeyEnrollment({ client, store: new VaultEnrollmentStore(vault, recovery), accounts: enrollmentAccountsFrom(accounts), connections, ledger, decodeQrImage: decodeQrImageInMain });
  return {
    'providers:state': async ({ accountId }) => {
      // Whether there is a connection needs no password; its details, when sealed, do.
      const connected = connections.connectedAccountIds().includes(accountId);
      const connection = connected ? await providers.describe(accountId).catch(() => null) : null;
      return { connected, connection, protection: connections.protection() };
    },
    'providers:connect': ({ accountId, connection }) => providers.connect(accountId, connection),
    'providers:test': ({ accountId }) => providers.testConnection(accountId),
    'providers:fetch': async ({ accountId }) => toView(await providers.fetchCodes(accountId)),
    'providers:regenerate': async ({ accountId }) => toView(await providers.regenerateCodes(accountId)),
    'providers:signIn': async ({ accountId, code }) => {
      const result = await providers.signInWithRecoveryCode(accountId, code);
      return { userId: result.userId, sessionCreated: result.sessionCreated, unusedLeft: recovery.forAccount(accountId).unused };
    },
    'providers:enroll': async ({ connection }) => {
      const { unsaved, ...result } = await enrollment.enroll(connection, { onStage: (stage) => onProgress?.({ kind: 'enroll-stage', stage }) });
      return unsaved === undefined ? result : { ...result, unsaved: { codes: unsaved.codes, error: toErrorPayload(unsaved.saveError) } };
    },
    'providers:disconnect': async ({ accountId }) => {
      await providers.disconnect(accountId);
      return null;
    },
    'providers:deleteTotp': async ({ accountId }) => {
      await providers.deleteProviderTotp(accountId);
      return null;
    },
  };
}

function toView(result: CodesResult): ChannelOutput<'providers:fetch'> {
  return result.saved ? { saved: true, count: result.count } : { saved: false, codes: result.codes, error: toErrorPayload(result.saveError) };
}
