import type { AccountPreview, AccountSummary, ScanState } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { decodeMigrationUri, isMigrationUri, MigrationBatchCollector, type ParsedOtpauth, parseOtpauthUri } from '../otp';
import type { VaultService } from '../vault';
import type { AccountsService } from './accounts-service';

/** Longest text a QR code can hold (version 40, binary): anything longer did not come from one. */
const MAX_QR_TEXT = 4296;

/**
 * What was read from QR codes and not yet added. The decoded text comes straight here from the
 * renderer, which keeps nothing: the secrets wait in main until the user confirms or cancels.
 */
export class ScanSession {
  private pending: { kind: 'account'; account: ParsedOtpauth } | { kind: 'migration'; batches: MigrationBatchCollector } | null = null;

  constructor(private readonly accounts: AccountsService, vault: VaultService) {
    vault.onEvent((event) => {
      if (event === 'locked') this.cancel();
    });
  }

  /** Takes the text of one QR code. Throws a clear error for anything that is not an account. */
  read(text: string): ScanState {
    const trimmed = text.trim();
    if (trimmed.length > MAX_QR_TEXT) throw new LatchkeyError('INVALID_OTPAUTH_URI', 'The code holds far more text than an account link.');
    if (isMigrationUri(trimmed)) return this.readMigration(trimmed);
    if (!trimmed.toLowerCase().startsWith('otpauth://')) throw new LatchkeyError('INVALID_OTPAUTH_URI', describeForeignText(trimmed));
    this.pending = { kind: 'account', account: parseOtpauthUri(trimmed) };
    return this.state();
  }

  private readMigration(text: string): ScanState {
    const part = decodeMigrationUri(text);
    const batches = this.pending?.kind === 'migration' ? this.pending.batches : new MigrationBatchCollector();
    batches.add(part);
    this.pending = { kind: 'migration', batches };
    return this.state();
  }

  state(): ScanState {
    if (!this.pending) throw new LatchkeyError('INVALID_INPUT', 'Nothing has been scanned yet.');
    if (this.pending.kind === 'account') {
      return { kind: 'account', accounts: [this.preview(this.pending.account)], missingParts: [], complete: true };
    }
    const missing = this.pending.batches.missing();
    return {
      kind: 'migration',
      accounts: this.pending.batches.accounts().map((account) => this.preview(account)),
      missingParts: missing.map((batch) => ({ batchSize: batch.batchSize, parts: batch.missingParts })),
      complete: missing.length === 0,
    };
  }

  /**
   * Adds what was scanned. A single account: refused as DUPLICATE_ACCOUNT unless `allowDuplicate`
   * (the user was asked). An export: in one save, duplicates skipped and counted.
   */
  async confirm({ allowDuplicate = false } = {}): Promise<{ added: AccountSummary[]; skipped: number }> {
    const state = this.state();
    if (!state.complete) throw new LatchkeyError('INVALID_INPUT', 'Some parts of the export have not been scanned yet.');
    const pending = this.pending;
    let result: { added: AccountSummary[]; skipped: number };
    if (pending?.kind === 'account') result = { added: [await this.accounts.add(pending.account, { allowDuplicate })], skipped: 0 };
    else result = await this.accounts.addMany(pending?.kind === 'migration' ? pending.batches.accounts() : []);
    this.pending = null;
    return result;
  }

  cancel(): void {
    this.pending = null;
  }

  private preview(account: ParsedOtpauth): AccountPreview {
    const { secret, ...parameters } = account;
    const existing = this.accounts.findBySecret(secret);
    return { ...parameters, duplicateOf: existing ? { id: existing.id, issuer: existing.issuer, label: existing.label } : null };
  }
}

function describeForeignText(text: string): string {
  if (/^https?:\/\//i.test(text)) return 'This QR code holds a web address, not an account.';
  if (text === '') return 'This QR code is empty.';
  return 'This QR code holds text that is not an account link.';
}
