export type { SecretStore } from './secret-store';
export { OsKeychain, DEFAULT_KEYCHAIN_TIMEOUT_MS, type OsKeychainOptions } from './os-keychain';
