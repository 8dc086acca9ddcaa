import { formatOtpauthUri } from '../otp';
import type { ExportableAccount } from '../accounts/accounts-service';

/** One otpauth:// link per line: what every authenticator reads, every secret in clear text. */
export function otpauthUriExport(accounts: readonly ExportableAccount[]): string {
  return accounts.map((account) => `${formatOtpauthUri(account)}\n`).join('');
}
