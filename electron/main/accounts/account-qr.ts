import { setImmediate as nextTurn } from 'node:timers/promises';
import type { QrReveal } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { ACCOUNTS_PER_MIGRATION_QR, encodeMigrationUris, formatOtpauthUri, MAX_MIGRATION_BATCH_SIZE, migrationIncompatibility, randomBatchId } from '../otp';
import type { VaultService } from '../vault';
import type { AccountsService, ExportableAccount } from './accounts-service';
import { qrPngDataUrl } from './qr-png';
import { RevealGrants, type RevealKind } from './reveal-grants';

/** How long a QR code of secrets stays on screen. */
export const QR_REVEAL_MS = 60_000;
/** The most accounts one Google export holds: the most codes an export may have, ten accounts each. */
export const MAX_GOOGLE_EXPORT_ACCOUNTS = ACCOUNTS_PER_MIGRATION_QR * MAX_MIGRATION_BATCH_SIZE;

/** What main asks the person before it shows secrets. */
export interface RevealQuestion {
  title: string;
  detail: string;
  confirmLabel: string;
}

/**
 * A question main asks in a dialog of its own (Electron's native message box), which the page
 * cannot see, click or answer: consent that a compromised renderer cannot fake.
 */
export interface ConfirmPort {
  confirm(question: RevealQuestion): Promise<boolean>;
}

export type RevealRequest = { kind: 'account'; id: string } | { kind: 'google'; ids: readonly string[] };

/**
 * Renders accounts as QR codes, to move them to a phone, only with consent main has seen itself:
 * `requestReveal` checks the request, the password (when the vault has one) and asks main's own
 * confirmation, then hands out a token for exactly that one reveal.
 */
export class AccountQr {
  private readonly grants: RevealGrants;

  constructor(
    private readonly accounts: AccountsService,
    private readonly vault: VaultService,
    private readonly confirmation: ConfirmPort,
    private readonly now: () => number = Date.now,
    /** Tests fix it, so that the same accounts always make the same pictures. */
    private readonly newBatchId: () => number = randomBatchId,
  ) {
    this.grants = new RevealGrants(now);
    vault.onEvent((event) => {
      if (event === 'locked') this.grants.clear();
    });
  }

  /** Asks for consent to show these accounts; a token for `account` / `googleExport` when given. */
  async requestReveal(request: RevealRequest, password?: string): Promise<{ token: string; expiresAt: number }> {
    const ids = request.kind === 'account' ? [request.id] : [...request.ids];
    const stored = this.revealable(request.kind, ids);
    const status = this.vault.knownStatus() ?? (await this.vault.status());
    if (status.hasPasswordSlot) {
      if (password === undefined) throw new LatchkeyError('PASSWORD_REQUIRED', 'Showing secrets needs the vault password.');
      await this.vault.verifyPassword(password);
    }
    if (!(await this.confirmation.confirm(questionFor(request.kind, stored)))) throw new LatchkeyError('CONFIRMATION_REQUIRED', 'You chose not to show them.');
    // The vault may have locked while the dialog was open; consent given to a locked vault is void.
    if (!this.vault.isUnlocked) throw new LatchkeyError('VAULT_LOCKED');
    return this.grants.issue(request.kind, ids);
  }

  /** The account's otpauth:// link as one QR code. */
  async account(id: string, token: string): Promise<QrReveal> {
    this.grants.redeem(token, 'account', [id]);
    const [stored] = this.accounts.storedForExport([id]) as [ExportableAccount];
    return { images: [await qrPngDataUrl(formatOtpauthUri(stored))], expiresAt: this.now() + QR_REVEAL_MS };
  }

  /** Google Authenticator export codes for these accounts, batched ten to a code. */
  async googleExport(ids: readonly string[], token: string): Promise<QrReveal> {
    this.grants.redeem(token, 'google', ids);
    const uris = encodeMigrationUris(this.accounts.storedForExport(ids), ACCOUNTS_PER_MIGRATION_QR, this.newBatchId());
    const images: string[] = [];
    for (const uri of uris) {
      images.push(await qrPngDataUrl(uri));
      // One code at a time: IPC, timers and the auto-lock run in between.
      await nextTurn();
    }
    if (!this.vault.isUnlocked) throw new LatchkeyError('VAULT_LOCKED');
    return { images, expiresAt: this.now() + QR_REVEAL_MS };
  }

  /** Checked before anyone is asked: no duplicates, not too many, every account there and exportable. */
  private revealable(kind: RevealKind, ids: readonly string[]): ExportableAccount[] {
    if (ids.length === 0) throw new LatchkeyError('INVALID_INPUT', 'Choose at least one account to show.');
    if (new Set(ids).size !== ids.length) throw new LatchkeyError('INVALID_INPUT', 'The same account is listed more than once.');
    const most = kind === 'account' ? 1 : MAX_GOOGLE_EXPORT_ACCOUNTS;
    if (ids.length > most) throw new LatchkeyError('INVALID_INPUT', `At most ${most} accounts can be shown at once.`);
    const stored = this.accounts.storedForExport(ids);
    if (kind === 'google') {
      for (const account of stored) {
        const problem = migrationIncompatibility(account);
        if (problem) throw new LatchkeyError('INVALID_ACCOUNT', `${nameOf(account)}: ${problem}`);
      }
    }
    return stored;
  }
}

function nameOf(account: { issuer: string; label: string }): string {
  return [account.issuer, account.label].filter(Boolean).join(' – ') || 'an unnamed account';
}

function questionFor(kind: RevealKind, accounts: readonly ExportableAccount[]): RevealQuestion {
  const warning = 'Anyone who sees or photographs it can make your login codes. Make sure nobody is watching your screen.';
  if (kind === 'account') {
    return { title: 'Show as QR code?', detail: `The QR code holds the secret of ${nameOf(accounts[0] as ExportableAccount)}. ${warning}`, confirmLabel: 'Show QR code' };
  }
  const count = `${accounts.length} account${accounts.length === 1 ? '' : 's'}`;
  return { title: 'Show export QR codes?', detail: `The QR codes hold the secrets of ${count}. ${warning}`, confirmLabel: 'Show QR codes' };
}
