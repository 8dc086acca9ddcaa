import type { AccountPreview, AccountSummary, ScanState } from '../../../shared/domain';
import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
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
  /** Links read so far (one per secret) and Google export parts, until confirmed or cancelled. */
  private links: ParsedOtpauth[] = [];
  private batches: MigrationBatchCollector | null = null;

  constructor(private readonly accounts: AccountsService, vault: VaultService) {
    vault.onEvent((event) => {
      if (event === 'locked') this.cancel();
    });
  }

  /**
   * Takes the text of one QR code and adds what it holds to what was read so far (a picture may
   * hold several codes). Throws a clear error for anything that is not an account.
   */
  read(text: string): ScanState {
    const trimmed = text.trim();
    if (trimmed.length > MAX_QR_TEXT) throw new LatchkeyError('INVALID_OTPAUTH_URI', 'The code holds far more text than an account link.');
    // Everything is checked before anything is kept: a bad part kept here would break every later scan.
    if (isMigrationUri(trimmed)) {
      const part = decodeMigrationUri(trimmed);
      part.accounts.forEach((account, index) => this.checkMigrationAccount(account, index + 1));
      const batches = this.batches ?? new MigrationBatchCollector();
      batches.add(part);
      this.batches = batches;
    } else {
      if (!trimmed.toLowerCase().startsWith('otpauth://')) throw new LatchkeyError('INVALID_OTPAUTH_URI', describeForeignText(trimmed));
      const account = parseOtpauthUri(trimmed);
      this.accounts.check(account);
      if (!this.links.some((link) => link.secret === account.secret)) this.links.push(account);
    }
    return this.state();
  }

  state(): ScanState {
    const all = this.pendingAccounts();
    if (all.length === 0 && !this.batches) throw new LatchkeyError('INVALID_INPUT', 'Nothing has been scanned yet.');
    const missing = this.batches?.missing() ?? [];
    return {
      kind: this.batches ? 'migration' : all.length === 1 ? 'account' : 'accounts',
      accounts: all.map((account) => this.preview(account)),
      missingParts: missing.map((batch) => ({ batchSize: batch.batchSize, parts: batch.missingParts })),
      complete: missing.length === 0,
    };
  }

  /**
   * Adds what was scanned. One account: refused as DUPLICATE_ACCOUNT unless `allowDuplicate` (the
   * user was asked). Several: in one save, those already saved skipped and counted.
   */
  async confirm({ allowDuplicate = false } = {}): Promise<{ added: AccountSummary[]; skipped: number }> {
    const state = this.state();
    if (!state.complete) throw new LatchkeyError('INVALID_INPUT', 'Some parts of the export have not been scanned yet.');
    const all = this.pendingAccounts();
    const result = state.kind === 'account' ? { added: [await this.accounts.add(all[0] as ParsedOtpauth, { allowDuplicate })], skipped: 0 } : await this.accounts.addMany(all);
    this.cancel();
    return result;
  }

  cancel(): void {
    this.links = [];
    this.batches = null;
  }

  /** An account of an export part must be one `confirm` can add. */
  private checkMigrationAccount(account: ParsedOtpauth, position: number): void {
    try {
      this.accounts.check(account);
    } catch (error) {
      if (!isLatchkeyError(error)) throw error;
      throw new LatchkeyError('INVALID_MIGRATION_URI', `Account ${position}: ${error.message}`);
    }
  }

  private pendingAccounts(): ParsedOtpauth[] {
    return [...this.links, ...(this.batches?.accounts() ?? [])];
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
