export { VaultService, type CreateVaultOptions, type PasswordChangeHook, type VaultEvent, type VaultServiceOptions } from './vault-service';
export { type SlotChangeProof } from './slot-changes';
export { type StoredAccount, type VaultContent } from './content';
export { DEFAULT_PASSWORD_COST, type PasswordCost } from './slots';
export { defaultVaultDir } from './paths';
