import { LatchkeyError } from '../../../shared/errors';
import type { AccountsService } from '../accounts/accounts-service';
import { parseOtpauthUri } from '../otp';
import type { EnrollmentAccounts } from './dependencies';

/** The accounts service as the Misakey enrollment needs it. */
export function enrollmentAccountsFrom(accounts: AccountsService): EnrollmentAccounts {
  return {
    async addOrFindFromOtpauthUri(uri) {
      const parsed = parseOtpauthUri(uri);
      if (parsed.type !== 'totp') throw new LatchkeyError('PROVIDER_QR_UNREADABLE', 'The link is not a TOTP link.');
      // A resumed enrollment may come here twice with the same link: the first account is the one.
      const existing = accounts.findBySecret(parsed.secret);
      if (existing !== null) return { id: existing.id };
      return { id: (await accounts.addFromUri(uri)).id };
    },
    currentCode(accountId, atMs) {
      const [code] = accounts.codes([accountId], atMs);
      if (code === undefined) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
      return code.code;
    },
  };
}
