import { z } from 'zod';

/**
 * Every failure Latchkey can report, with the sentence a person reads.
 * The UI shows the sentence, the CLI prints `CODE: sentence` and exits non-zero.
 */
export const ERROR_SENTENCES = {
  VAULT_NOT_FOUND: 'There is no vault in this folder yet. Create one first.',
  VAULT_EXISTS: 'A vault already exists in this folder; Latchkey will not overwrite it.',
  VAULT_CORRUPT: 'The vault file is damaged or has been altered, so it cannot be opened. Restore it from a backup.',
  VAULT_LOCKED: 'The vault is locked. Unlock it first.',
  VAULT_BUSY: 'Another Latchkey process is saving this vault right now. Try again in a moment.',
  UNSUPPORTED_VAULT_VERSION: 'This vault was written by a newer version of Latchkey. Update Latchkey to open it.',
  WRONG_PASSWORD: 'That password is not right for this vault.',
  PASSWORD_REQUIRED: 'This action needs the vault password.',
  NO_PASSWORD_SLOT: 'This vault has no password yet. Set one first.',
  LAST_SLOT: 'This is the only way left to open the vault; add another one before removing it.',
  KEYCHAIN_UNAVAILABLE: 'The system keychain is not available (no Secret Service is running). Unlock with your password instead.',
  KEYCHAIN_KEY_MISSING: "The system keychain does not hold this vault's key any more. Unlock with your password instead.",
  NO_KEYCHAIN_SLOT: 'This vault cannot be opened through the system keychain. Unlock with your password.',
  INVALID_OTPAUTH_URI: 'That is not a valid otpauth:// link.',
  INVALID_MIGRATION_URI: 'That is not a valid Google Authenticator export (otpauth-migration://) code.',
  INVALID_IMPORT_FILE: 'The file could not be imported; nothing was added.',
  INVALID_SECRET: 'The secret key is not valid base32.',
  INVALID_ACCOUNT: 'The account details are not valid.',
  DUPLICATE_ACCOUNT: 'An account with this secret already exists.',
  ACCOUNT_NOT_FOUND: 'There is no account with that id.',
  NOT_HOTP: 'Only counter-based (HOTP) accounts have a next code to advance to.',
  INVALID_INPUT: 'The request was not valid.',
  FORBIDDEN_ORIGIN: 'The request did not come from Latchkey’s own window.',
  IO_ERROR: 'Latchkey could not read or write the vault folder.',
  CONFIRMATION_REQUIRED: 'Nothing was shown: showing secrets needs your confirmation first.',
  INTERNAL_ERROR: 'Something went wrong inside Latchkey.',
  INVALID_PICTURE: 'The picture could not be read.',
  NO_QR_CODE: 'No QR code was found in the picture.',
  VAULT_ROLLED_BACK: 'The vault file was replaced by an older copy while it was open; Latchkey will not use it.',
  RECOVERY_CODES_NOT_RECOGNISED: 'No backup codes were recognised; nothing was saved.',
  RECOVERY_EXHAUSTED: 'Every backup code of this account has been used. Get new ones from the service and add them.',
  NO_RECOVERY_CODES: 'This account has no backup codes yet.',
  RECOVERY_SET_NOT_FOUND: 'There is no such set of backup codes.',
  RECOVERY_CODE_NOT_FOUND: 'That code is not among this account’s backup codes.',
  RECOVERY_SEALED: 'The backup codes are sealed with the vault password. Type the password to reveal them.',
  PROVIDER_RATE_LIMITED: 'The provider is refusing requests for a while because too many were made. Wait a little and try again.',
  PROVIDER_UNAUTHORIZED: 'The provider did not accept the credentials of this connection. Check the key, secret or token.',
  PROVIDER_NOT_FOUND: 'The provider does not know that user, identity or device.',
  PROVIDER_REJECTED: 'The provider refused the request.',
  PROVIDER_SERVER_ERROR: 'The provider had a problem on its side and could not answer.',
  PROVIDER_UNAVAILABLE: 'The provider is unavailable right now. Try again later.',
  PROVIDER_BAD_RESPONSE: 'The provider answered with something Latchkey does not understand.',
  PROVIDER_TIMEOUT: 'The provider did not answer in time.',
  PROVIDER_UNREACHABLE: 'Latchkey could not reach the provider. Check the network and the address.',
  PROVIDER_OUTCOME_UNKNOWN: 'The answer from the provider was lost, so Latchkey cannot tell whether the request went through.',
  PROVIDER_INSECURE_URL: 'Provider addresses must start with https:// (plain http:// only for this computer).',
  PROVIDER_INVALID_CONNECTION: 'The provider connection details are not valid.',
  PROVIDER_NOT_CONNECTED: 'This account is not connected to a provider.',
  PROVIDER_UNSUPPORTED: 'This provider does not offer that action.',
  PROVIDER_NO_CODES: 'The provider returned no recovery codes, so the ones Latchkey has were kept.',
  PROVIDER_NO_UNUSED_CODE: 'There is no unused recovery code left for this account.',
  PROVIDER_NO_ENROLLMENT: 'There is no started enrollment to continue.',
  PROVIDER_QR_UNREADABLE: 'The enrollment QR image from the provider could not be read as a TOTP link.',
  IMPORT_PASSWORD_REQUIRED: 'This export file is encrypted; give its password to import it.',
  IMPORT_WRONG_PASSWORD: 'That password does not open this export file.',
  UNSUPPORTED_IMPORT_VERSION: 'This export file was written in a version of its format that Latchkey does not read.',
  UNKNOWN_IMPORT_FORMAT: 'Latchkey does not recognise this file as an export of an authenticator app it reads.',
  BACKUP_CODES_SEALED: 'The backup codes and provider credentials in this backup are sealed with the password of the vault it was made from.',
} as const;

export type ErrorCode = keyof typeof ERROR_SENTENCES;
export const errorCodeSchema = z.enum(Object.keys(ERROR_SENTENCES) as [ErrorCode, ...ErrorCode[]]);

/** The shape of an error once it crosses a process boundary (IPC, CLI JSON). */
export const errorPayloadSchema = z.object({ code: errorCodeSchema, message: z.string() });
export type ErrorPayload = z.infer<typeof errorPayloadSchema>;

export class LatchkeyError extends Error {
  readonly code: ErrorCode;

  /** `detail` says exactly what is wrong; it is appended to the sentence, so it must hold no secret. */
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${ERROR_SENTENCES[code]} ${detail}` : ERROR_SENTENCES[code], options);
    this.name = 'LatchkeyError';
    this.code = code;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

export function isLatchkeyError(error: unknown, code?: ErrorCode): error is LatchkeyError {
  return error instanceof LatchkeyError && (code === undefined || error.code === code);
}

/** Anything thrown becomes a payload; unknown errors never leak their text (it may hold secrets). */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof LatchkeyError) return error.toPayload();
  return { code: 'INTERNAL_ERROR', message: ERROR_SENTENCES.INTERNAL_ERROR };
}
