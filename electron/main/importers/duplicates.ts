import type { AccountSummary, Algorithm, OtpType } from '../../../shared/domain';
import { toSummary } from '../accounts/accounts-service';
import { decodeBase32 } from '../otp';
import type { VaultService } from '../vault';

/*
 * The duplicate rule of imports. Two entries are duplicates when their secrets are the same BYTES:
 * the secret is what identifies an enrollment with a service (the issue: "duplicates (same secret)
 * are marked and skipped by default"), and the vault holds one account per secret (addMany and
 * add refuse a second). So the text of the secret does not matter: lower case, '=' padding,
 * spaces and hyphens, non-zero leftover bits in the last base32 character, and the other
 * encodings files use (Steam's base64, FreeOTP's signed byte arrays, hex) of the same bytes are
 * all the same secret, within one import and against the vault.
 *
 * The settings that make a code (type, algorithm, digits, period; not the HOTP counter, which
 * moves with use) do not decide whether an entry is a duplicate, but the preview says which of
 * them differ: with the same secret and other settings one of the two makes wrong codes, and the
 * user should compare them with the old app before deciding which to keep.
 */

/** The settings that make a code, besides the secret. */
export type CodeSetting = 'type' | 'algorithm' | 'digits' | 'period';

export interface CodeSettings {
  type: OtpType;
  algorithm: Algorithm;
  digits: number;
  period: number;
}

/** The identity of a secret for the duplicate rule: its bytes (as hex), or null when it is not base32. */
export function secretIdentity(secret: string): string | null {
  try {
    return identityOf(decodeBase32(secret));
  } catch {
    return null;
  }
}

/** The identity of secret bytes already decoded. */
export function identityOf(secret: Uint8Array): string {
  return Buffer.from(secret).toString('hex');
}

/** The settings in which two entries with the same secret differ (none: they make the same codes). */
export function settingsThatDiffer(a: CodeSettings, b: CodeSettings): CodeSetting[] {
  const differ: CodeSetting[] = [];
  if (a.type !== b.type) differ.push('type');
  if (a.algorithm !== b.algorithm) differ.push('algorithm');
  if (a.digits !== b.digits) differ.push('digits');
  // HOTP has no period; a TOTP and an HOTP entry already differ in type.
  if (a.type !== 'hotp' && b.type !== 'hotp' && a.period !== b.period) differ.push('period');
  return differ;
}

/**
 * The saved account with a given secret (compared as bytes), looked up in a map built once: an
 * import of thousands of entries into a vault of thousands of accounts must not compare every pair.
 */
export function savedSecretLookup(vault: VaultService): (secret: string) => AccountSummary | null {
  const bySecret = new Map<string, AccountSummary>();
  for (const account of vault.content().accounts) {
    const identity = account.secret === null ? null : secretIdentity(account.secret);
    if (identity !== null && !bySecret.has(identity)) bySecret.set(identity, toSummary(account));
  }
  return (secret) => {
    const identity = secretIdentity(secret);
    return identity === null ? null : (bySecret.get(identity) ?? null);
  };
}
