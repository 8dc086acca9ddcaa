import { LatchkeyError } from '../../../shared/errors';
import { openBackupSeal, openWithAny } from '../exporters/backup-seal';
import { providerConnectionSchema } from '../providers/connection';
import { PROVIDER_NAMES } from '../providers/provider-error';
import { openProviderData } from '../providers/vault-stores';
import { codesOfSet } from '../recovery/seal';
import type { ProviderEntryData, RecoverySeal, StoredRecoverySet, VaultContent } from '../vault/content';
import { loadSodium, type Sodium } from '../vault/sodium';
import { badFile } from './entry';
import type { ImportFileResult } from './registry';
import type { AccountExtras } from './types';

/**
 * A Latchkey backup's backup codes and provider connections, account by account. When the vault
 * it was made from had a password seal, they are sealed to that vault's seal: opened at once when
 * the backup password opens it too (the same password), otherwise kept sealed until
 * openSealedExtras is given that vault's password. An import never saves an account without them.
 */

/** The backup's content with what the backup password opens opened, and the seal of what stays sealed. */
export async function openWithBackupPassword(content: VaultContent, password: string | null): Promise<{ content: VaultContent; seal: RecoverySeal | null }> {
  try {
    return { content: await openBackupSeal(content, [password]), seal: null };
  } catch (error) {
    if (!(error instanceof LatchkeyError) || error.code !== 'BACKUP_CODES_SEALED') throw error;
    return { content, seal: content.recovery.seal };
  }
}

/** Each account's sets and connection, grouped once (a backup may hold 10,000 accounts and as many sets). */
export function byAccount(content: VaultContent): (accountId: string) => { sets: StoredRecoverySet[]; connection: ProviderEntryData | null } {
  const sets = new Map<string, StoredRecoverySet[]>();
  for (const set of content.recovery.sets) {
    const own = sets.get(set.accountId);
    if (own) own.push(set);
    else sets.set(set.accountId, [set]);
  }
  const connections = new Map((content.providers?.connections ?? []).map((entry) => [entry.accountId, entry.data]));
  return (accountId) => ({ sets: sets.get(accountId) ?? [], connection: connections.get(accountId) ?? null });
}

/** One account's extras; null when its connection is not one Latchkey reads. */
export function extrasOf(accountId: string, own: { sets: StoredRecoverySet[]; connection: ProviderEntryData | null }, seal: RecoverySeal | null): AccountExtras | null {
  const { sets, connection } = own;
  if (seal !== null && (sets.some((set) => 'sealed' in set.codes) || (connection !== null && 'sealed' in connection))) {
    return { recoverySets: [], connection: null, sealed: { seal, accountId, sets, connection } };
  }
  return plainExtras(sets, connection && 'plain' in connection ? connection.plain : null);
}

function plainExtras(sets: StoredRecoverySet[], connectionJson: string | null): AccountExtras | null {
  const recoverySets = sets.map(({ id, accountId, source, createdAt, supersededAt, count, codes, usage }) => ({ id, accountId, source, createdAt, supersededAt, count, codes: 'plain' in codes ? [...codes.plain] : [], usage: [...usage] }));
  if (connectionJson === null) return { recoverySets, connection: null, sealed: null };
  const connection = parseConnection(connectionJson);
  if (connection === null) return null;
  return { recoverySets, connection: { provider: PROVIDER_NAMES[connection.provider], json: JSON.stringify(connection) }, sealed: null };
}

function parseConnection(json: string) {
  try {
    const parsed = providerConnectionSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Opens every extras still sealed in these files with the first of `passwords` that opens its seal
 * (the password of the vault the backup was made from). BACKUP_CODES_SEALED when none does.
 */
export async function openSealedExtras(results: ImportFileResult[], passwords: readonly (string | null)[]): Promise<void> {
  const sodium = await loadSodium();
  const keys = new Map<string, Uint8Array>();
  try {
    for (const result of results) {
      result.items = result.items.map((item) => {
        const extras = item.kind === 'entry' ? item.extras : item.codesOnly?.extras;
        if (!extras?.sealed) return item;
        const opened = openOne(sodium, extras.sealed, keyFor(sodium, keys, extras.sealed.seal, passwords));
        if (opened === null) return { kind: 'refused', issuer: item.kind === 'entry' ? item.entry.issuer : item.issuer, label: item.kind === 'entry' ? item.entry.label : item.label, reason: 'Its provider connection is not one Latchkey reads.' };
        return item.kind === 'entry' ? { ...item, extras: opened } : { ...item, codesOnly: { entry: item.codesOnly?.entry as NonNullable<typeof item.codesOnly>['entry'], extras: opened } };
      });
    }
  } finally {
    for (const key of keys.values()) sodium.memzero(key);
  }
}

function keyFor(sodium: Sodium, keys: Map<string, Uint8Array>, seal: RecoverySeal, passwords: readonly (string | null)[]): Uint8Array {
  const known = keys.get(seal.publicKey);
  if (known) return known;
  const key = openWithAny(sodium, seal, passwords);
  if (key === null) throw new LatchkeyError('BACKUP_CODES_SEALED', 'Give that vault’s password too.');
  keys.set(seal.publicKey, key);
  return key;
}

function openOne(sodium: Sodium, sealed: NonNullable<AccountExtras['sealed']>, secretKey: Uint8Array): AccountExtras | null {
  try {
    const sets = sealed.sets.map((set) => ({ ...set, codes: { plain: codesOfSet(sodium, sealed.seal, secretKey, set) as string[] } }));
    const data: ProviderEntryData | null = sealed.connection;
    const json = data === null ? null : 'plain' in data ? data.plain : JSON.stringify(openProviderData(sodium, sealed.seal, secretKey, 'connection', sealed.accountId, data.sealed));
    return plainExtras(sets, json);
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'VAULT_CORRUPT') throw badFile('Its sealed backup codes or provider credentials are damaged.');
    throw error;
  }
}

/** True while some extras in these files still wait for the password of the vault they came from. */
export function hasSealedExtras(results: readonly ImportFileResult[]): boolean {
  return results.some((result) => result.items.some((item) => (item.kind === 'entry' ? item.extras : item.codesOnly?.extras)?.sealed));
}
