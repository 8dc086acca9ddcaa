import type { ProviderConnection } from './connection';
import type { ProviderId } from './provider-error';
import type { MisakeyEnrollmentState } from './misakey-enrollment-state';

/**
 * What the providers service needs from the rest of main, as interfaces, so the vault and the
 * recovery-code ledger plug in by constructor injection and tests use real small implementations.
 */

/** Connections live in the vault (inside the password seal where there is one). */
export interface ConnectionStore {
  get(accountId: string): Promise<ProviderConnection | null>;
  /** Resolves once the connection is on disk. */
  put(accountId: string, connection: ProviderConnection): Promise<void>;
  remove(accountId: string): Promise<void>;
}

export interface CodeSetOrigin {
  provider: ProviderId;
  /** 'fetch' read the provider's current set; 'regenerate' and 'enroll' made a new one. */
  action: 'fetch' | 'regenerate' | 'enroll';
  at: number;
}

/** The recovery-code ledger (issue 10), as far as providers use it. */
export interface RecoveryLedger {
  /** Saves `codes` as the account's new current set; resolves only once it is on disk. */
  replaceCurrentSet(accountId: string, codes: readonly string[], origin: CodeSetOrigin): Promise<void>;
  /** The next code not yet used, or null when none is left. */
  nextUnusedCode(accountId: string): Promise<string | null>;
  /** 'maybe-spent' when the provider's answer was lost after the code was sent. */
  markCodeUsed(accountId: string, code: string, how: 'spent' | 'maybe-spent'): Promise<void>;
}

/** The accounts service, as the Misakey enrollment uses it. */
export interface EnrollmentAccounts {
  /**
   * Adds the account of an otpauth:// link, or returns the existing one with the same secret (a
   * resumed enrollment may add the same link twice). Resolves once it is on disk.
   */
  addOrFindFromOtpauthUri(uri: string): Promise<{ id: string }>;
  /** The account's current code at `atMs`. */
  currentCode(accountId: string, atMs: number): string;
}

/** Started enrollments are remembered (in the vault: the link holds the new TOTP secret). */
export interface EnrollmentStore {
  load(identityId: string): Promise<MisakeyEnrollmentState | null>;
  save(state: MisakeyEnrollmentState): Promise<void>;
  clear(identityId: string): Promise<void>;
}

/** Decodes the QR codes in a picture (the zxing-wasm decoder of the `qr` work); the texts found. */
export type DecodeQrImage = (bytes: Uint8Array) => Promise<string[]>;
