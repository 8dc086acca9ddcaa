import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { RecoveryService, SealFollower } from '../recovery';
import type { VaultService } from '../vault';
import type { ProviderEntryData, ProvidersContent, RecoverySeal, VaultContent } from '../vault/content';
import { loadSodium, type Sodium } from '../vault/sodium';
import { type ProviderConnection, providerConnectionSchema } from './connection';
import type { ConnectionStore, EnrollmentStore } from './dependencies';
import { type MisakeyEnrollmentState, misakeyEnrollmentStateSchema } from './misakey-enrollment-state';

/**
 * Connections and started enrollments in the vault content (`providers`, docs/vault-format.md).
 * With a password, each entry is sealed to the recovery seal's public key, exactly as backup codes
 * are: a vault opened through the keychain can add and remove them but not read them. Without a
 * password (keychain-only) they are plain JSON under the vault key alone.
 */

const B64 = 1; // sodium.base64_variants.ORIGINAL, as the recovery seal
type Kind = 'connection' | 'enrollment';

/** The key and kind sealed with the value: a sealed box has no associated data, so the payload names its entry. */
const sealedPayloadSchema = z.object({ kind: z.enum(['connection', 'enrollment']), key: z.string(), value: z.unknown() });

function seal(sodium: Sodium, recoverySeal: RecoverySeal, kind: Kind, key: string, json: string): string {
  const plaintext = new TextEncoder().encode(JSON.stringify({ kind, key, value: JSON.parse(json) as unknown }));
  try {
    return sodium.to_base64(sodium.crypto_box_seal(plaintext, sodium.from_base64(recoverySeal.publicKey, B64)), B64);
  } finally {
    sodium.memzero(plaintext);
  }
}

function openSealed(sodium: Sodium, recoverySeal: RecoverySeal, secretKey: Uint8Array, kind: Kind, key: string, sealed: string): unknown {
  let plaintext: Uint8Array;
  try {
    plaintext = sodium.crypto_box_seal_open(sodium.from_base64(sealed, B64), sodium.from_base64(recoverySeal.publicKey, B64), secretKey);
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'A provider connection does not open with the seal.');
  }
  try {
    const payload = sealedPayloadSchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)));
    if (payload.kind !== kind || payload.key !== key) throw new Error('moved');
    return payload.value;
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'A sealed provider connection is not readable, or belongs to another entry.');
  } finally {
    sodium.memzero(plaintext);
  }
}

function providersOf(content: VaultContent): ProvidersContent {
  content.providers ??= { connections: [], enrollments: [] };
  return content.providers;
}

/** Reads and writes one list of the `providers` section (connections by account, enrollments by identity). */
class SealedEntries {
  constructor(
    private readonly vault: VaultService,
    private readonly recovery: RecoveryService,
    private readonly kind: Kind,
  ) {}

  async read(key: string): Promise<unknown> {
    const content = this.vault.content();
    const entry = this.list(content).find((candidate) => candidate.key === key);
    if (entry === undefined) return null;
    if ('plain' in entry.data) return JSON.parse(entry.data.plain) as unknown;
    const recoverySeal = content.recovery.seal;
    const secretKey = this.recovery.keptSealSecretKey();
    if (recoverySeal === null || secretKey === null) throw new LatchkeyError('RECOVERY_SEALED', 'The provider credentials are sealed with the vault password. Type it first.');
    const sodium = await loadSodium();
    try {
      return openSealed(sodium, recoverySeal, secretKey, this.kind, key, entry.data.sealed);
    } finally {
      sodium.memzero(secretKey);
    }
  }

  /** Stores `json` for `key` in one atomic vault save, sealed when there is a seal. */
  async write(key: string, json: string): Promise<void> {
    const sodium = await loadSodium();
    await this.vault.update((content) => {
      const recoverySeal = content.recovery.seal;
      if (recoverySeal === null && this.vault.knownStatus()?.hasPasswordSlot) {
        throw new LatchkeyError('RECOVERY_SEALED', 'Type the vault password once, so the provider credentials can be sealed with it.');
      }
      const data: ProviderEntryData = recoverySeal === null ? { plain: json } : { sealed: seal(sodium, recoverySeal, this.kind, key, json) };
      this.remove(content, key);
      this.push(content, key, data);
    });
  }

  async delete(key: string): Promise<void> {
    if (!this.list(this.vault.content()).some((entry) => entry.key === key)) return;
    await this.vault.update((content) => this.remove(content, key));
  }

  /** Follows the recovery seal (see SealFollower): seal plain entries, or unseal them all. */
  follow(content: VaultContent, sodium: Sodium, change: Parameters<SealFollower>[2]): void {
    const entries = this.list(content);
    if (entries.length === 0) return;
    this.replaceAll(
      content,
      entries.map(({ key, data }) => {
        if ('plain' in data) return { key, data: change.after === null ? data : { sealed: seal(sodium, change.after, this.kind, key, data.plain) } };
        if (change.after !== null && change.before?.publicKey === change.after.publicKey) return { key, data };
        if (change.before === null || change.beforeSecretKey === null) throw new LatchkeyError('PASSWORD_REQUIRED', 'The provider credentials are sealed with the current password; type it to change it.');
        const value = openSealed(sodium, change.before, change.beforeSecretKey, this.kind, key, data.sealed);
        const plain = JSON.stringify(value);
        return { key, data: change.after === null ? { plain } : { sealed: seal(sodium, change.after, this.kind, key, plain) } };
      }),
    );
  }

  private list(content: Readonly<VaultContent>): { key: string; data: ProviderEntryData }[] {
    const section = content.providers;
    if (!section) return [];
    return this.kind === 'connection' ? section.connections.map((entry) => ({ key: entry.accountId, data: entry.data })) : section.enrollments.map((entry) => ({ key: entry.identityId, data: entry.data }));
  }

  private push(content: VaultContent, key: string, data: ProviderEntryData): void {
    const section = providersOf(content);
    if (this.kind === 'connection') section.connections.push({ accountId: key, data });
    else section.enrollments.push({ identityId: key, data });
  }

  private remove(content: VaultContent, key: string): void {
    const section = providersOf(content);
    if (this.kind === 'connection') section.connections = section.connections.filter((entry) => entry.accountId !== key);
    else section.enrollments = section.enrollments.filter((entry) => entry.identityId !== key);
  }

  private replaceAll(content: VaultContent, entries: { key: string; data: ProviderEntryData }[]): void {
    const section = providersOf(content);
    if (this.kind === 'connection') section.connections = entries.map(({ key, data }) => ({ accountId: key, data }));
    else section.enrollments = entries.map(({ key, data }) => ({ identityId: key, data }));
  }
}

/** ConnectionStore over the vault; `protection` says whether credentials are sealed by the password. */
export class VaultConnectionStore implements ConnectionStore {
  private readonly entries: SealedEntries;

  constructor(private readonly vault: VaultService, recovery: RecoveryService) {
    this.entries = new SealedEntries(vault, recovery, 'connection');
    recovery.addSealFollower((content, sodium, change) => this.entries.follow(content, sodium, change));
  }

  async get(accountId: string): Promise<ProviderConnection | null> {
    const value = await this.entries.read(accountId);
    if (value === null) return null;
    const parsed = providerConnectionSchema.safeParse(value);
    if (!parsed.success) throw new LatchkeyError('VAULT_CORRUPT', 'A stored provider connection is not of the expected form.');
    return parsed.data;
  }

  async put(accountId: string, connection: ProviderConnection): Promise<void> {
    if (!this.vault.content().accounts.some((account) => account.id === accountId)) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
    await this.entries.write(accountId, JSON.stringify(providerConnectionSchema.parse(connection)));
  }

  remove(accountId: string): Promise<void> {
    return this.entries.delete(accountId);
  }

  /** The accounts with a connection, readable without the password. */
  connectedAccountIds(): string[] {
    return (this.vault.content().providers?.connections ?? []).map((entry) => entry.accountId);
  }

  /** 'password': sealed with the vault password; 'vault-key': a keychain-only vault, the vault key alone. */
  protection(): 'password' | 'vault-key' {
    return this.vault.content().recovery.seal === null && !this.vault.knownStatus()?.hasPasswordSlot ? 'vault-key' : 'password';
  }
}

/** EnrollmentStore over the vault: a started enrollment holds the new TOTP secret, so it is sealed like a connection. */
export class VaultEnrollmentStore implements EnrollmentStore {
  private readonly entries: SealedEntries;

  constructor(vault: VaultService, recovery: RecoveryService) {
    this.entries = new SealedEntries(vault, recovery, 'enrollment');
    recovery.addSealFollower((content, sodium, change) => this.entries.follow(content, sodium, change));
  }

  async load(identityId: string): Promise<MisakeyEnrollmentState | null> {
    const value = await this.entries.read(identityId);
    if (value === null) return null;
    const parsed = misakeyEnrollmentStateSchema.safeParse(value);
    if (!parsed.success) throw new LatchkeyError('VAULT_CORRUPT', 'A stored Misakey enrollment is not of the expected form.');
    return parsed.data;
  }

  save(state: MisakeyEnrollmentState): Promise<void> {
    return this.entries.write(state.identityId, JSON.stringify(misakeyEnrollmentStateSchema.parse(state)));
  }

  clear(identityId: string): Promise<void> {
    return this.entries.delete(identityId);
  }
}

/**
 * One entry's data sealed to a seal, or opened with its secret key, in the format above: a Latchkey
 * backup's entries are opened and sealed again for the vault they are restored or merged into.
 */
export const sealProviderData = seal;
export const openProviderData = openSealed;
