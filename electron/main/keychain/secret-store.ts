/**
 * The OS keychain, as the vault needs it: a small map from a name to a secret.
 * One implementation talks to the real keychain (macOS Keychain, Windows Credential Manager,
 * Secret Service on Linux); every failure to reach it becomes KEYCHAIN_UNAVAILABLE.
 */
export interface SecretStore {
  /** The stored secret, or null when the keychain has no entry of that name. */
  get(name: string): Promise<Uint8Array | null>;
  set(name: string, secret: Uint8Array): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  delete(name: string): Promise<boolean>;
}
