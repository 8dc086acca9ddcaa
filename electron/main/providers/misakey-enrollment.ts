import { LatchkeyError } from '../../../shared/errors';
import { type MisakeyConnection, toConnection } from './connection';
import type { ConnectionStore, DecodeQrImage, EnrollmentAccounts, EnrollmentStore, RecoveryLedger } from './dependencies';
import type { OnRetryWait, ProviderHttpClient } from './http-client';
import { MisakeyApi } from './misakey';
import type { EnrollmentStage, MisakeyEnrollmentState } from './misakey-enrollment-state';
import { asSaveError, isProviderError, withAddedDetail } from './provider-error';

export interface MisakeyEnrollmentDeps {
  client: ProviderHttpClient;
  store: EnrollmentStore;
  accounts: EnrollmentAccounts;
  connections: ConnectionStore;
  ledger: RecoveryLedger;
  decodeQrImage: DecodeQrImage;
  now?: () => number;
}

export interface EnrollOptions {
  onStage?: (stage: EnrollmentStage) => void;
  onRetryWait?: OnRetryWait;
}

export interface EnrollResult {
  accountId: string;
  codeCount: number;
  /** True when an enrollment stopped half way was continued. */
  resumed: boolean;
  /**
   * Misakey finished the enrollment but saving its backup codes failed: they exist nowhere else, so
   * they are handed back once to be shown with a warning.
   */
  unsaved?: { codes: string[]; saveError: LatchkeyError };
}

/** A QR image is a few KB of base64; anything far larger is not one. */
const MAX_IMAGE_BYTES = 384 * 1024;

/**
 * Misakey TOTP enrollment from the desktop, without a phone: start, read the QR image, add the
 * account, finish with its current code, connect the account and store the recovery codes. Each
 * step is saved before the next, so a run that stops half way resumes where it stopped.
 */
export class MisakeyEnrollment {
  private readonly now: () => number;

  constructor(private readonly deps: MisakeyEnrollmentDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The enrollment remembered for this identity, if one was started and not completed. */
  pending(identityId: string): Promise<MisakeyEnrollmentState | null> {
    return this.deps.store.load(identityId.toLowerCase());
  }

  /** Forgets a started enrollment (the person gave up on it); the account, if added, stays. */
  abandon(identityId: string): Promise<void> {
    return this.deps.store.clear(identityId.toLowerCase());
  }

  /**
   * Runs the enrollment for `input` (a Misakey connection), continuing a started one if there is
   * one. A resumed run uses the credentials just given (the stored ones may be what expired), but
   * the server the enrollment was started on.
   */
  async enroll(input: unknown, options: EnrollOptions = {}): Promise<EnrollResult> {
    const entered = toConnection(input);
    if (entered.provider !== 'misakey') throw new LatchkeyError('PROVIDER_UNSUPPORTED', 'Only Misakey offers enrollment.');
    const state = await this.deps.store.load(entered.identityId);
    return this.run(state === null ? entered : { ...entered, baseUrl: state.baseUrl }, state, options);
  }

  /** Continues the remembered enrollment of this identity with the credentials it was started with. */
  async resume(identityId: string, options: EnrollOptions = {}): Promise<EnrollResult> {
    const state = await this.deps.store.load(identityId.toLowerCase());
    if (state === null) throw new LatchkeyError('PROVIDER_NO_ENROLLMENT');
    const connection = toConnection({ provider: 'misakey', baseUrl: state.baseUrl, identityId: state.identityId, credentials: state.credentials });
    if (connection.provider !== 'misakey') throw new LatchkeyError('INTERNAL_ERROR');
    return this.run(connection, state, options);
  }

  private async run(connection: MisakeyConnection, saved: MisakeyEnrollmentState | null, options: EnrollOptions): Promise<EnrollResult> {
    const api = new MisakeyApi(this.deps.client, { baseUrl: connection.baseUrl, ...connection.credentials });
    const resumed = saved !== null;
    let state = saved ?? (await this.start(api, connection, options));
    for (;;) {
      options.onStage?.(state.stage);
      if (state.stage === 'started') state = await this.addAccount(state);
      else if (state.stage === 'account-added') {
        const finished = await this.finish(api, state, options);
        state = finished;
        try {
          await this.deps.store.save(finished);
        } catch (error) {
          return { accountId: finished.accountId, resumed, codeCount: finished.recoveryCodes.length, unsaved: { codes: finished.recoveryCodes, saveError: asSaveError(error) } };
        }
        continue;
      } else {
        const { accountId } = await this.storeResult(connection, state);
        options.onStage?.('stored');
        return { accountId, resumed, codeCount: state.recoveryCodes.length };
      }
      await this.deps.store.save(state);
    }
  }

  private async start(api: MisakeyApi, connection: MisakeyConnection, options: EnrollOptions): Promise<MisakeyEnrollmentState> {
    const started = await api.startEnrollment(connection.identityId, { onRetryWait: options.onRetryWait });
    const otpauthUri = await this.readTotpLink(started.base64_image);
    const state: MisakeyEnrollmentState = {
      stage: 'started',
      identityId: connection.identityId,
      baseUrl: connection.baseUrl,
      credentials: connection.credentials,
      enrollmentId: started.id,
      startedAt: this.now(),
      otpauthUri,
    };
    await this.deps.store.save(state);
    return state;
  }

  private async readTotpLink(base64Image: string): Promise<string> {
    const cleaned = base64Image.replace(/^data:image\/[a-z+]+;base64,/i, '');
    if (!/^[A-Za-z0-9+/=\s]+$/.test(cleaned)) throw new LatchkeyError('PROVIDER_QR_UNREADABLE', 'The image is not base64.');
    const bytes = Buffer.from(cleaned, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_IMAGE_BYTES) throw new LatchkeyError('PROVIDER_QR_UNREADABLE', 'The image is empty or too large.');
    let texts: string[];
    try {
      texts = await this.deps.decodeQrImage(new Uint8Array(bytes));
    } catch {
      throw new LatchkeyError('PROVIDER_QR_UNREADABLE');
    }
    const link = texts.find((text) => text.toLowerCase().startsWith('otpauth://totp/'));
    if (link === undefined) throw new LatchkeyError('PROVIDER_QR_UNREADABLE', texts.length === 0 ? 'No QR code was found in it.' : 'Its QR code holds no TOTP link.');
    return link;
  }

  private async addAccount(state: Extract<MisakeyEnrollmentState, { stage: 'started' }>): Promise<MisakeyEnrollmentState> {
    const account = await this.deps.accounts.addOrFindFromOtpauthUri(state.otpauthUri);
    const { otpauthUri: _secretLink, ...rest } = state;
    return { ...rest, stage: 'account-added', accountId: account.id, finishMayHaveArrived: false };
  }

  private async finish(api: MisakeyApi, state: Extract<MisakeyEnrollmentState, { stage: 'account-added' }>, options: EnrollOptions): Promise<Extract<MisakeyEnrollmentState, { stage: 'finished' }>> {
    const code = this.deps.accounts.currentCode(state.accountId, this.now());
    let recoveryCodes: string[];
    try {
      recoveryCodes = (await api.finishEnrollment(state.identityId, state.enrollmentId, code, { onRetryWait: options.onRetryWait })).recovery_codes;
    } catch (error) {
      if (isProviderError(error) && error.requestMayHaveArrived) {
        await this.deps.store.save({ ...state, finishMayHaveArrived: true });
        throw withAddedDetail(error, 'The enrollment may be finished; run it again to continue.', 'PROVIDER_OUTCOME_UNKNOWN');
      }
      // A 200 that could not be read: Misakey finished the flow, and its codes were lost with the answer.
      if (isProviderError(error) && error.code === 'PROVIDER_BAD_RESPONSE' && error.status === 200) {
        await this.deps.store.save({ ...state, finishMayHaveArrived: true });
        throw withAddedDetail(error, 'Misakey finished the enrollment, but its backup codes were lost with the answer; run it again to get a new set.');
      }
      // The earlier finish did arrive: the flow is closed and its codes were lost, so make a new set.
      if (state.finishMayHaveArrived && isProviderError(error) && error.code === 'PROVIDER_NOT_FOUND') {
        recoveryCodes = (await api.regenerateRecoveryCodes(state.identityId, { onRetryWait: options.onRetryWait })).recovery_codes;
      } else if (isProviderError(error) && error.code === 'PROVIDER_NOT_FOUND') {
        // Misakey no longer has the flow (it expired) and never finished it: continuing can only fail
        // the same way, so the started enrollment is forgotten and the next run starts over.
        await this.deps.store.clear(state.identityId);
        throw withAddedDetail(error, 'Misakey no longer knows this enrollment (it expired, or it was finished but Latchkey could not save that), so Latchkey forgot it: enroll again to start over.');
      } else {
        throw error;
      }
    }
    const { finishMayHaveArrived: _lost, ...rest } = state;
    return { ...rest, stage: 'finished', recoveryCodes };
  }

  private async storeResult(connection: MisakeyConnection, state: Extract<MisakeyEnrollmentState, { stage: 'finished' }>): Promise<{ accountId: string }> {
    await this.deps.connections.put(state.accountId, connection);
    await this.deps.ledger.replaceCurrentSet(state.accountId, state.recoveryCodes, { provider: 'misakey', action: 'enroll', at: this.now() });
    await this.deps.store.clear(state.identityId);
    return { accountId: state.accountId };
  }
}
