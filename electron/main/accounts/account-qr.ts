import QRCode from 'qrcode';
import type { QrReveal } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import { ACCOUNTS_PER_MIGRATION_QR, encodeMigrationUris, formatOtpauthUri, randomBatchId } from '../otp';
import type { AccountsService, ExportableAccount } from './accounts-service';

/** How long a QR code of secrets stays on screen. */
export const QR_REVEAL_MS = 60_000;

/** A PNG data URL: every phone camera reads it, and it needs no canvas in the main process. */
function pngDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, { errorCorrectionLevel: 'M', margin: 4, scale: 8, type: 'image/png' });
}

/** Renders accounts as QR codes, to move them to a phone. Only on an explicit request. */
export class AccountQr {
  constructor(
    private readonly accounts: AccountsService,
    private readonly now: () => number = Date.now,
    /** Tests fix it, so that the same accounts always make the same pictures. */
    private readonly newBatchId: () => number = randomBatchId,
  ) {}

  /** The account's otpauth:// link as one QR code. */
  async account(id: string): Promise<QrReveal> {
    const stored = this.accounts.storedForExport([id])[0] as ExportableAccount;
    return { images: [await pngDataUrl(formatOtpauthUri(stored))], expiresAt: this.now() + QR_REVEAL_MS };
  }

  /** Google Authenticator export codes for these accounts, batched ten to a code. */
  async googleExport(ids: string[]): Promise<QrReveal> {
    if (ids.length === 0) throw new LatchkeyError('INVALID_INPUT', 'Choose at least one account to export.');
    const uris = encodeMigrationUris(this.accounts.storedForExport(ids), ACCOUNTS_PER_MIGRATION_QR, this.newBatchId());
    return { images: await Promise.all(uris.map(pngDataUrl)), expiresAt: this.now() + QR_REVEAL_MS };
  }
}
