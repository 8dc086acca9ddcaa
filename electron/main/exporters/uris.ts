import { formatOtpauthUri } from '../otp';
import type { StoredAccount } from '../vault';

/** One otpauth:// link per line: what every authenticator reads, every secret in clear text. */
export function otpauthUriExport(accounts: readonly StoredAccount[]): string {
  return accounts.map((account) => `${formatOtpauthUri(account)}\n`).join('');
}
