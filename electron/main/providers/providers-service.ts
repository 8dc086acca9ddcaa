import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import { ArklowApi } from './arklow';
import { type ConnectionSummary, type ProviderConnection, summarizeConnection, toConnection } from './connection';
import type { ConnectionStore, RecoveryLedger } from './dependencies';
import type { OnRetryWait, ProviderHttpClient } from './http-client';
import { MisakeyApi } from './misakey';
import { MoonKeyApi } from './moonkey';
import { asSaveError, isProviderError, withAddedDetail } from './provider-error';
import { StytchApi } from './stytch';

const OLD_CODES_MAY_BE_GONE = 'The old codes may have stopped working; regenerate again to get a set Latchkey can keep.';

export interface ProvidersServiceDeps {
  client: ProviderHttpClient;
  connections: ConnectionStore;
  ledger: RecoveryLedger;
  now?: () => number;
}

export interface CallOptions {
  onRetryWait?: OnRetryWait;
}

export type CodesResult =
  | { saved: true; count: number }
  /**
   * The provider made a new set but saving it failed: the codes are handed back once so they can be
   * shown with a warning, since the old set no longer works and these exist nowhere else.
   */
  | { saved: false; codes: string[]; saveError: LatchkeyError };

export interface SignInResult {
  totpId: string;
  userId: string;
  sessionCreated: boolean;
}

/**
 * Connects accounts to their provider and moves recovery codes between the provider and the ledger.
 * Dependencies come in through the constructor, so wiring it to the vault and the ledger is one step.
 */
export class ProvidersService {
  private readonly now: () => number;

  constructor(private readonly deps: ProvidersServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Validates and stores the connection; returns it without its credentials. */
  async connect(accountId: string, input: unknown): Promise<ConnectionSummary> {
    const connection = toConnection(input);
    await this.deps.connections.put(accountId, connection);
    return summarizeConnection(connection);
  }

  async disconnect(accountId: string): Promise<void> {
    await this.requireConnection(accountId);
    await this.deps.connections.remove(accountId);
  }

  async describe(accountId: string): Promise<ConnectionSummary | null> {
    const connection = await this.deps.connections.get(accountId);
    return connection === null ? null : summarizeConnection(connection);
  }

  /**
   * Checks the connection with a call that changes nothing (reading the codes). Misakey and Arklow
   * document no such call: each of theirs changes the codes.
   */
  async testConnection(accountId: string, options: CallOptions = {}): Promise<{ codeCount: number }> {
    const codes = await this.readCodes(await this.requireConnection(accountId), options);
    return { codeCount: codes.length };
  }

  /** Reads the provider's current codes (MoonKey, Stytch) into the ledger as the current set. */
  async fetchCodes(accountId: string, options: CallOptions = {}): Promise<CodesResult> {
    const connection = await this.requireConnection(accountId);
    const codes = requireCodes(await this.readCodes(connection, options));
    await this.deps.ledger.replaceCurrentSet(accountId, codes, { provider: connection.provider, action: 'fetch', at: this.now() });
    return { saved: true, count: codes.length };
  }

  /** Has the provider make a new set (Misakey, Arklow; the old set stops working) and stores it. */
  async regenerateCodes(accountId: string, options: CallOptions = {}): Promise<CodesResult> {
    const connection = await this.requireConnection(accountId);
    let codes: string[];
    try {
      codes = requireCodes(await this.regenerateAtProvider(connection, options));
    } catch (error) {
      // The provider may have replaced the set even though we got no readable answer.
      if (isProviderError(error) && (error.requestMayHaveArrived || (error.code === 'PROVIDER_BAD_RESPONSE' && error.status === 200))) {
        throw withAddedDetail(error, OLD_CODES_MAY_BE_GONE);
      }
      if (isLatchkeyError(error, 'PROVIDER_NO_CODES')) throw new LatchkeyError('PROVIDER_NO_CODES', OLD_CODES_MAY_BE_GONE);
      throw error;
    }
    try {
      await this.deps.ledger.replaceCurrentSet(accountId, codes, { provider: connection.provider, action: 'regenerate', at: this.now() });
      return { saved: true, count: codes.length };
    } catch (error) {
      const saveError = asSaveError(error);
      return { saved: false, codes, saveError };
    }
  }

  private async regenerateAtProvider(connection: ProviderConnection, options: CallOptions): Promise<string[]> {
    if (connection.provider === 'misakey') {
      return (await this.misakey(connection).regenerateRecoveryCodes(connection.identityId, options)).recovery_codes;
    }
    if (connection.provider === 'arklow') {
      const api = new ArklowApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials });
      return (await api.regenerateBackupCodes(connection.deviceId, options)).backup_codes;
    }
    throw new LatchkeyError('PROVIDER_UNSUPPORTED', `${connection.provider === 'moonkey' ? 'MoonKey' : 'Stytch'} documents no way to regenerate codes; fetch them instead.`);
  }

  /**
   * Signs in at MoonKey with a recovery code, which spends it: the given code or the ledger's next
   * unused one. The code is marked used when MoonKey accepts it, and marked "maybe spent" when the
   * answer is lost after it was sent.
   */
  async signInWithRecoveryCode(accountId: string, code?: string, options: CallOptions = {}): Promise<SignInResult> {
    const connection = await this.requireConnection(accountId);
    if (connection.provider !== 'moonkey') throw new LatchkeyError('PROVIDER_UNSUPPORTED', 'Only MoonKey documents signing in with a recovery code.');
    const recoveryCode = code ?? (await this.deps.ledger.nextUnusedCode(accountId));
    if (recoveryCode === null) throw new LatchkeyError('PROVIDER_NO_UNUSED_CODE');
    const api = new MoonKeyApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials });
    let answer: Awaited<ReturnType<MoonKeyApi['signInWithRecoveryCode']>>;
    try {
      answer = await api.signInWithRecoveryCode(connection.userId, recoveryCode, options);
    } catch (error) {
      if (isProviderError(error) && error.code === 'PROVIDER_OUTCOME_UNKNOWN') {
        await this.markSpent(accountId, recoveryCode, 'maybe-spent', 'The recovery code may have been spent');
        throw withAddedDetail(error, 'Latchkey marked it used so that it is not offered again; if you are not signed in, try the next code.');
      } else if (isProviderError(error) && error.code === 'PROVIDER_BAD_RESPONSE' && error.status === 200) {
        // MoonKey said 200: it took the code, even though its answer could not be read.
        await this.markSpent(accountId, recoveryCode, 'spent', 'MoonKey accepted the recovery code');
        throw withAddedDetail(error, 'MoonKey accepted the recovery code, so it is marked used.');
      }
      throw error;
    }
    await this.markSpent(accountId, recoveryCode, 'spent', 'MoonKey accepted the recovery code');
    return { totpId: answer.totp_id, userId: answer.user_id, sessionCreated: answer.session_token !== undefined };
  }

  /**
   * Marks a code sent to MoonKey as used. When that save fails, the failure says what happened at
   * MoonKey too, so the person does not try a spent code again.
   */
  private async markSpent(accountId: string, code: string, how: 'spent' | 'maybe-spent', whatHappened: string): Promise<void> {
    try {
      await this.deps.ledger.markCodeUsed(accountId, code, how);
    } catch (error) {
      const saveError = asSaveError(error);
      throw new LatchkeyError(saveError.code, `${whatHappened}, but Latchkey could not mark it used: mark it used in its backup codes yourself.`, { cause: saveError });
    }
  }

  /** Deletes the TOTP secret at Misakey (204); the connection and the local account stay. */
  async deleteProviderTotp(accountId: string, options: CallOptions = {}): Promise<void> {
    const connection = await this.requireConnection(accountId);
    if (connection.provider !== 'misakey') throw new LatchkeyError('PROVIDER_UNSUPPORTED', 'Only Misakey documents deleting the TOTP secret.');
    try {
      await this.misakey(connection).deleteTotpSecret(connection.identityId, options);
    } catch (error) {
      const answered2xx = isProviderError(error) && error.status !== undefined && error.status < 300;
      if (isProviderError(error) && (error.requestMayHaveArrived || answered2xx)) throw withAddedDetail(error, 'Misakey may have deleted the TOTP secret.');
      throw error;
    }
  }

  private async readCodes(connection: ProviderConnection, options: CallOptions): Promise<string[]> {
    if (connection.provider === 'moonkey') {
      const answer = await new MoonKeyApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials }).getRecoveryCodes(connection.userId, options);
      return answer.totps.flatMap((totp) => totp.recovery_codes);
    }
    if (connection.provider === 'stytch') {
      const answer = await new StytchApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials }).getRecoveryCodes(connection.userId, options);
      return answer.totps.flatMap((totp) => totp.recovery_codes);
    }
    throw new LatchkeyError('PROVIDER_UNSUPPORTED', 'This provider documents no way to read the codes without replacing them; regenerate instead.');
  }

  private misakey(connection: Extract<ProviderConnection, { provider: 'misakey' }>): MisakeyApi {
    return new MisakeyApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials });
  }

  private async requireConnection(accountId: string): Promise<ProviderConnection> {
    const connection = await this.deps.connections.get(accountId);
    if (connection === null) throw new LatchkeyError('PROVIDER_NOT_CONNECTED');
    return connection;
  }
}

/** An empty answer must not replace the codes the ledger holds with nothing. */
function requireCodes(codes: string[]): string[] {
  if (codes.length === 0) throw new LatchkeyError('PROVIDER_NO_CODES');
  return codes;
}
