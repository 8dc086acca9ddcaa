import { LatchkeyError } from '../../../shared/errors';
import { badFile } from '../importers/entry';
import { openProviderData, sealProviderData } from '../providers/vault-stores';
import { codesOfSet, createSeal, openSeal, sealSet } from '../recovery/seal';
import type { ProviderEntryData, RecoverySeal, VaultContent } from '../vault/content';
import type { PasswordCost } from '../vault/slots';
import { loadSodium, type Sodium } from '../vault/sodium';

/**
 * A backup holds the vault content as the vault held it: with a password seal, its backup codes and
 * provider credentials are sealed to the seal of the vault it was made from, which that vault's
 * password opens (not the backup password, unless they are the same). A restore or a merge opens
 * them with that password and seals them again for the vault they go into.
 */

type Kind = 'connection' | 'enrollment';

export function sealedParts(content: Readonly<VaultContent>): boolean {
  const providers = content.providers;
  return content.recovery.sets.some((set) => 'sealed' in set.codes) || [...(providers?.connections ?? []), ...(providers?.enrollments ?? [])].some((entry) => 'sealed' in entry.data);
}

/** The seal's secret key from the first password that opens it, or null when none does. */
export function openWithAny(sodium: Sodium, seal: RecoverySeal, passwords: readonly (string | null)[]): Uint8Array | null {
  for (const password of new Set(passwords)) {
    if (password === null || password === '') continue;
    try {
      return openSeal(sodium, seal, password);
    } catch (error) {
      if (error instanceof LatchkeyError && error.code === 'WRONG_PASSWORD') continue;
      throw badFile('The seal of its backup codes is damaged.');
    }
  }
  return null;
}

/**
 * A copy of the content with every sealed part opened (codes and provider entries plain, no seal),
 * trying each password in turn. BACKUP_CODES_SEALED when none opens the seal; nothing is half opened.
 */
export async function openBackupSeal(content: Readonly<VaultContent>, passwords: readonly (string | null)[]): Promise<VaultContent> {
  const seal = content.recovery.seal;
  if (!sealedParts(content)) return withoutSeal(content);
  if (seal === null) throw badFile('Its backup codes are sealed but it has no seal.');
  const sodium = await loadSodium();
  const secretKey = openWithAny(sodium, seal, passwords);
  if (secretKey === null) {
    throw new LatchkeyError('BACKUP_CODES_SEALED', 'Give that vault’s password too.');
  }
  try {
    return await openSealedParts(content, secretKey);
  } finally {
    sodium.memzero(secretKey);
  }
}

/**
 * A copy of the content with every sealed part opened with the seal's secret key (the caller keeps
 * and wipes it). Writing a backup uses it when the seal is open, so that the backup password alone
 * restores everything.
 */
export async function openSealedParts(content: Readonly<VaultContent>, secretKey: Uint8Array): Promise<VaultContent> {
  const copy = withoutSeal(content);
  const seal = content.recovery.seal;
  if (seal === null || !sealedParts(copy)) return copy;
  const sodium = await loadSodium();
  try {
    copy.recovery.sets = copy.recovery.sets.map((set) => ({ ...set, codes: { plain: codesOfSet(sodium, seal, secretKey, set) as string[] } }));
    const open = (kind: Kind, key: string, data: ProviderEntryData): ProviderEntryData => ('plain' in data ? data : { plain: JSON.stringify(openProviderData(sodium, seal, secretKey, kind, key, data.sealed)) });
    if (copy.providers) {
      copy.providers.connections = copy.providers.connections.map((entry) => ({ ...entry, data: open('connection', entry.accountId, entry.data) }));
      copy.providers.enrollments = copy.providers.enrollments.map((entry) => ({ ...entry, data: open('enrollment', entry.identityId, entry.data) }));
    }
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'VAULT_CORRUPT') throw badFile('Its sealed backup codes or provider credentials are damaged.');
    throw error;
  }
  return copy;
}

function withoutSeal(content: Readonly<VaultContent>): VaultContent {
  const copy = structuredClone(content) as VaultContent;
  copy.recovery.seal = null;
  return copy;
}

/** One provider entry sealed to `seal` (only its public key is used), or left plain without a seal. */
export function sealProviderEntry(sodium: Sodium, seal: RecoverySeal | null, kind: Kind, key: string, plainJson: string): ProviderEntryData {
  return seal === null ? { plain: plainJson } : { sealed: sealProviderData(sodium, seal, kind, key, plainJson) };
}

/**
 * The opened content of a backup made ready for a new vault with this password: a new seal under
 * the password and every part sealed to it (as the vault's own first password would), or, for a
 * keychain-only vault, everything plain.
 */
export async function sealForNewVault(opened: VaultContent, password: string | null, cost: PasswordCost): Promise<VaultContent> {
  const content = structuredClone(opened);
  if (password === null) return content;
  const sodium = await loadSodium();
  const { seal, secretKey } = createSeal(sodium, password, cost);
  sodium.memzero(secretKey);
  content.recovery.seal = seal;
  content.recovery.sets = content.recovery.sets.map((set) => sealSet(sodium, seal, set));
  const sealEntry = (kind: Kind, key: string, data: ProviderEntryData): ProviderEntryData => ('plain' in data ? sealProviderEntry(sodium, seal, kind, key, data.plain) : data);
  if (content.providers) {
    content.providers.connections = content.providers.connections.map((entry) => ({ ...entry, data: sealEntry('connection', entry.accountId, entry.data) }));
    content.providers.enrollments = content.providers.enrollments.map((entry) => ({ ...entry, data: sealEntry('enrollment', entry.identityId, entry.data) }));
  }
  return content;
}
