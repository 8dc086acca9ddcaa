import { randomUUID } from 'node:crypto';
import type { VaultStatus } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import type { SecretStore } from '../keychain/secret-store';
import type { BackupPolicy } from './backup-retention';
import { emptyContent, type VaultContent } from './content';
import { encodeVaultFile, type KeychainSlot, type ParsedVaultFile, parseVaultFile, type Slot, type VaultHeader } from './format';
import { reencryptBackupsUnderNewKey } from './key-rotation';
import {
  checkSlotChangeProof,
  createStoredKeychainSlot,
  forgetUnusedKeychainEntries,
  type SlotChangeProof,
  type SlotPlan,
  slotKindsAfter,
  slotsForNewKey,
  unwrapWithKeychainSlot,
} from './slot-changes';
import { createPasswordSlot, DEFAULT_PASSWORD_COST, KEY_BYTES, type PasswordCost } from './slots';
import { loadedSodium, loadSodium, type Sodium } from './sodium';
import { VaultFolder, WriterLock, type WriterLockOptions } from './storage';
import { decryptAndParseContent, passwordSlotOf, tryDecryptAndParseContent, unwrapWithPassword } from './vault-crypto';

export interface VaultServiceOptions {
  dir: string;
  keychain: SecretStore;
  /** Argon2id cost for new password slots; tests lower it, the stored slot says what was used. */
  passwordCost?: PasswordCost;
  writerLock?: WriterLockOptions;
  /** Which backup generations are kept (default: the newest 10, and one per day for 7 days). */
  backupPolicy?: BackupPolicy;
}

export interface CreateVaultOptions {
  /** A password slot is added when a password is given. */
  password?: string | null;
  /** A keychain slot is added unless this is false. */
  useKeychain?: boolean;
  /**
   * The content written by the creating save itself (a restore), so that the vault never exists
   * without it. With a seal it is written as given (its sets already sealed for `password`);
   * without one the password-change hook seals it as it does an empty vault.
   */
  content?: VaultContent;
}

export type VaultEvent = 'unlocked' | 'locked' | 'changed';

/**
 * Called inside the save that adds, changes or removes the password slot, with a copy of the
 * content to rewrite: the recovery seal (electron/main/recovery/seal.ts) follows the password.
 * `currentPassword` is null when there was no password slot, `newPassword` when it is removed.
 */
export type PasswordChangeHook = (content: VaultContent, change: { currentPassword: string | null; newPassword: string | null; cost: PasswordCost }) => void | Promise<void>;

/** What is held in memory while the vault is unlocked. */
interface OpenVault {
  masterKey: Uint8Array;
  header: VaultHeader;
  content: VaultContent;
  /** The checksum of the file as last read or written: tells whether another process saved since. */
  checksum: Uint8Array;
}

interface Change {
  header?: VaultHeader;
  content?: VaultContent;
  masterKey?: Uint8Array;
  /**
   * Usage data only (when a code was last copied): written over the current generation, with no
   * new generation and no backup, so that copying codes never pushes older generations out.
   */
  usageOnly?: boolean;
  /** The backups were written again under the new key already: the replaced file needs no backup link. */
  backupsRewritten?: boolean;
}

/**
 * The encrypted vault of one folder: create, unlock, lock, and change it in transactions that
 * write atomically under the writer lock. Secrets never leave this object except through `content()`.
 */
export class VaultService {
  private readonly folder: VaultFolder;
  private readonly writerLock: WriterLock;
  private readonly passwordCost: PasswordCost;
  private open: OpenVault | null = null;
  /** The slots of the file as last read or written, so the state can be told without reading it again. */
  private knownSlots: Slot[] | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(event: VaultEvent) => void>();
  private passwordChangeHook: PasswordChangeHook | null = null;

  constructor(private readonly options: VaultServiceOptions) {
    this.folder = new VaultFolder(options.dir, options.backupPolicy);
    this.writerLock = new WriterLock(options.dir, options.writerLock);
    this.passwordCost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
  }

  get dir(): string {
    return this.options.dir;
  }

  /** The Argon2id cost of new password slots; a restore seals the backup codes with the same. */
  get newPasswordCost(): PasswordCost {
    return this.passwordCost;
  }

  get isUnlocked(): boolean {
    return this.open !== null;
  }

  /** One hook (the recovery service's); see PasswordChangeHook. */
  setPasswordChangeHook(hook: PasswordChangeHook | null): void {
    this.passwordChangeHook = hook;
  }

  onEvent(listener: (event: VaultEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async status(): Promise<VaultStatus> {
    const slots = this.open ? this.open.header.slots : await this.readSlotsIfPresent();
    if (slots === null) return { state: 'missing', hasPasswordSlot: false, hasKeychainSlot: false };
    return {
      state: this.open ? 'unlocked' : 'locked',
      hasPasswordSlot: slots.some((slot) => slot.type === 'password'),
      hasKeychainSlot: slots.some((slot) => slot.type === 'keychain'),
    };
  }

  private async readSlotsIfPresent(): Promise<Slot[] | null> {
    if (!(await this.folder.exists())) return null;
    return (await this.readFile()).header.slots;
  }

  /**
   * The state as of the last read or write, without touching the disk: what an event reports, in
   * the order the events happened.
   */
  knownStatus(): VaultStatus | null {
    const slots = this.open?.header.slots ?? this.knownSlots;
    if (slots === null) return null;
    return {
      state: this.open ? 'unlocked' : 'locked',
      hasPasswordSlot: slots.some((slot) => slot.type === 'password'),
      hasKeychainSlot: slots.some((slot) => slot.type === 'keychain'),
    };
  }

  async create(options: CreateVaultOptions = {}): Promise<void> {
    const useKeychain = options.useKeychain ?? true;
    const password = options.password ?? null;
    if (!useKeychain && password === null) {
      throw new LatchkeyError('INVALID_INPUT', 'A vault needs a password, the system keychain, or both.');
    }
    await this.folder.ensureDir();
    await this.serialized(() =>
      this.withWriterLock(async () => {
        if (await this.folder.exists()) throw new LatchkeyError('VAULT_EXISTS', `Found ${this.folder.vaultPath}.`);
        const sodium = await loadSodium();
        const vaultId = randomUUID();
        const masterKey = sodium.randombytes_buf(KEY_BYTES);
        const slots: Slot[] = [];
        if (useKeychain) slots.push(await createStoredKeychainSlot(sodium, this.options.keychain, vaultId, masterKey));
        if (password !== null) slots.push(createPasswordSlot(sodium, vaultId, masterKey, password, this.passwordCost));
        const header: VaultHeader = { vaultId, generation: 0, createdAt: Date.now(), slots };
        const content = options.content ? structuredClone(options.content) : emptyContent();
        if (password !== null && content.recovery.seal === null) await this.passwordChangeHook?.(content, { currentPassword: null, newPassword: password, cost: this.passwordCost });
        const checksum = await this.write(sodium, header, masterKey, content, null);
        this.open = { masterKey, header, content, checksum };
      }),
    );
    this.emit('unlocked');
  }

  /** Opens through the keychain slot when it can, otherwise through the password. */
  async unlock(password?: string): Promise<void> {
    if (password !== undefined) return this.unlockWithPassword(password);
    return this.unlockWithKeychain();
  }

  async unlockWithKeychain(): Promise<void> {
    const sodium = await loadSodium();
    const file = await this.readFile();
    const slot = file.header.slots.find((candidate): candidate is KeychainSlot => candidate.type === 'keychain');
    if (!slot) throw new LatchkeyError('NO_KEYCHAIN_SLOT');
    this.openWith(sodium, file, await unwrapWithKeychainSlot(sodium, this.options.keychain, file.header.vaultId, slot));
  }

  async unlockWithPassword(password: string): Promise<void> {
    const sodium = await loadSodium();
    const file = await this.readFile();
    const slot = passwordSlotOf(file.header);
    const masterKey = unwrapWithPassword(sodium, file.header.vaultId, slot, password);
    if (masterKey === null) throw new LatchkeyError('WRONG_PASSWORD');
    this.openWith(sodium, file, masterKey);
  }

  private openWith(sodium: Sodium, file: ParsedVaultFile, masterKey: Uint8Array): void {
    let content: VaultContent;
    try {
      content = decryptAndParseContent(sodium, file, masterKey);
    } catch (error) {
      sodium.memzero(masterKey);
      throw error;
    }
    this.wipe();
    this.open = { masterKey, header: file.header, content, checksum: new Uint8Array(file.checksum) };
    this.emit('unlocked');
  }

  /** Drops the content and wipes the master key. */
  lock(): void {
    if (!this.open) return;
    this.wipe();
    this.emit('locked');
  }

  private wipe(): void {
    if (!this.open) return;
    // Synchronous on purpose: a lock must not wait for anything. libsodium is loaded whenever a key exists.
    loadedSodium()?.memzero(this.open.masterKey);
    this.open = null;
  }

  /** The decrypted content. Callers read it; only `update` changes it. */
  content(): Readonly<VaultContent> {
    return this.requireOpen().content;
  }

  /**
   * Checks the password against the open vault's password slot, changing nothing: for actions that
   * need the owner's proof while unlocked (showing secrets as QR codes). Throws NO_PASSWORD_SLOT,
   * WRONG_PASSWORD, VAULT_LOCKED.
   */
  async verifyPassword(password: string): Promise<void> {
    const open = this.requireOpen();
    const sodium = await loadSodium();
    const masterKey = unwrapWithPassword(sodium, open.header.vaultId, passwordSlotOf(open.header), password);
    if (masterKey === null) throw new LatchkeyError('WRONG_PASSWORD');
    sodium.memzero(masterKey);
  }

  /**
   * Applies `mutate` to a copy of the content and saves it. The change is visible, and the
   * promise resolves, only once the file is on disk; if anything fails nothing changes.
   */
  update<T>(mutate: (content: VaultContent) => T): Promise<T> {
    return this.transaction(async (open) => {
      const content = structuredClone(open.content);
      const result = mutate(content);
      return { change: { content }, result };
    });
  }

  /**
   * Records usage data (`lastUsedAt`) as `update` does, but over the current generation: no new
   * generation and no backup, so copying codes never pushes earlier generations out of backups/.
   * `mutate` must change nothing but usage data.
   */
  recordUsage(mutate: (content: VaultContent) => void): Promise<void> {
    return this.transaction(async (open) => {
      const content = structuredClone(open.content);
      mutate(content);
      return { change: { content, usageOnly: true }, result: undefined };
    });
  }

  /**
   * Picks up a save made by another process (the CLI, a second window): the content is read again
   * with the key in memory. Returns true when something changed.
   */
  reloadIfChangedOnDisk(): Promise<boolean> {
    return this.serialized(async () => {
      if (!this.open) return false;
      const before = this.open;
      const after = await this.refreshFromDisk(await loadSodium(), before);
      if (after === before) return false;
      this.emit('changed');
      return true;
    });
  }

  /**
   * Adds the password slot, or replaces it with one for the new password. Needs the current
   * password when there is one (else a fresh keychain unlock); rotates the master key.
   */
  setPassword(newPassword: string, proof: SlotChangeProof): Promise<void> {
    return this.changeSlots(proof, { password: { set: newPassword }, keychain: 'keep' });
  }

  /** Removes the password slot (never the last slot); needs the current password; rotates the master key. */
  removePasswordSlot(proof: SlotChangeProof): Promise<void> {
    return this.changeSlots(proof, { password: 'remove', keychain: 'keep' });
  }

  /** Checks a password against the password slot of the open vault: WRONG_PASSWORD or NO_PASSWORD_SLOT. */
  async checkPassword(password: string): Promise<void> {
    const sodium = await loadSodium();
    const open = this.requireOpen();
    const masterKey = unwrapWithPassword(sodium, open.header.vaultId, passwordSlotOf(open.header), password);
    if (masterKey === null) throw new LatchkeyError('WRONG_PASSWORD');
    sodium.memzero(masterKey);
  }

  /** Adds a keychain slot (a new random key stored in the OS keychain); does nothing if there is one. */
  addKeychainSlot(proof: SlotChangeProof): Promise<void> {
    return this.changeSlots(proof, { password: 'keep', keychain: 'add' });
  }

  /** Removes the keychain slot (never the last slot); needs the current password; rotates the master key. */
  removeKeychainSlot(proof: SlotChangeProof): Promise<void> {
    return this.changeSlots(proof, { password: 'keep', keychain: 'remove' });
  }

  /** Replaces the master key and re-wraps it in the same kinds of slots, with new keys. */
  rotateMasterKey(password?: string): Promise<void> {
    return this.changeSlots(password === undefined ? {} : { currentPassword: password }, { password: 'keep', keychain: 'keep' }, { always: true });
  }

  /**
   * Every slot change goes through here (docs/vault-format.md, "Changing slots"): check the proof,
   * make a new master key and new slots, write every backup the old key opens again under the new
   * key, save, and only then delete the keychain entries that no file in the folder names any more.
   * A crash at any step leaves every file openable by the slots it names.
   */
  private async changeSlots(proof: SlotChangeProof, plan: SlotPlan, { always = false } = {}): Promise<void> {
    const { keychain } = this.options;
    let replacedKeychainSlots: KeychainSlot[] = [];
    const changed = await this.transaction(async (open) => {
      const sodium = await loadSodium();
      await checkSlotChangeProof(sodium, keychain, open.header, proof);
      const { want, unchanged } = slotKindsAfter(open.header, plan);
      if (unchanged && !always) return { change: null, result: false };
      const masterKey = sodium.randombytes_buf(KEY_BYTES);
      try {
        const slots = await slotsForNewKey(sodium, keychain, open.header, masterKey, { plan, want, currentPassword: proof.currentPassword, newPasswordCost: this.passwordCost });
        const hadPassword = open.header.slots.some((slot) => slot.type === 'password');
        const content = await this.contentAfterPasswordChange(open, plan, hadPassword, proof);
        await reencryptBackupsUnderNewKey(sodium, this.folder, { file: await this.readFile(), generation: open.header.generation }, open.masterKey, masterKey, slots);
        replacedKeychainSlots = open.header.slots.filter((slot): slot is KeychainSlot => slot.type === 'keychain');
        return { change: { masterKey, header: { ...open.header, slots }, backupsRewritten: true, ...(content ? { content } : {}) }, result: true };
      } catch (error) {
        sodium.memzero(masterKey);
        throw error;
      }
    });
    if (changed) await forgetUnusedKeychainEntries(await loadSodium(), keychain, this.folder, replacedKeychainSlots);
  }

  /**
   * The content rewritten by the password-change hook (the recovery seal follows the password),
   * or null when the password is neither set, changed nor removed.
   */
  private async contentAfterPasswordChange(open: OpenVault, plan: SlotPlan, hadPassword: boolean, proof: SlotChangeProof): Promise<VaultContent | null> {
    if (this.passwordChangeHook === null) return null;
    const currentPassword = hadPassword ? (proof.currentPassword ?? null) : null;
    let change: { currentPassword: string | null; newPassword: string | null } | null = null;
    if (typeof plan.password === 'object') change = { currentPassword, newPassword: plan.password.set };
    else if (plan.password === 'remove' && hadPassword) change = { currentPassword, newPassword: null };
    if (change === null) return null;
    const content = structuredClone(open.content);
    await this.passwordChangeHook(content, { ...change, cost: this.passwordCost });
    return content;
  }

  /** `work` answers a change to save, or null to save nothing. */
  private transaction<T>(work: (open: OpenVault) => Promise<{ change: Change | null; result: T }>): Promise<T> {
    return this.serialized(() =>
      this.withWriterLock(async () => {
        const sodium = await loadSodium();
        const open = await this.refreshFromDisk(sodium, this.requireOpen());
        const { change, result } = await work(open);
        // Locked while the change was being prepared: the key in hand is wiped, so nothing may be written with it.
        if (this.open !== open) {
          if (change?.masterKey) sodium.memzero(change.masterKey);
          throw new LatchkeyError('VAULT_LOCKED', 'The vault was locked before the change could be saved.');
        }
        if (change === null) return result;
        const masterKey = change.masterKey ?? open.masterKey;
        const generation = change.usageOnly ? open.header.generation : open.header.generation + 1;
        const header = { ...(change.header ?? open.header), generation };
        const content = change.content ?? open.content;
        const keepsBackup = !change.usageOnly && !change.backupsRewritten;
        const checksum = await this.write(sodium, header, masterKey, content, keepsBackup ? open.header.generation : null);
        if (this.open !== open) {
          // Locked while the file was being written: the change is saved, and the vault stays locked.
          if (change.masterKey) sodium.memzero(change.masterKey);
          return result;
        }
        if (change.masterKey) sodium.memzero(open.masterKey);
        this.open = { masterKey, header, content, checksum };
        this.emit('changed');
        return result;
      }),
    );
  }

  /** Another process may have saved since we read: continue from what is on disk, not from memory. */
  private async refreshFromDisk(sodium: Sodium, open: OpenVault): Promise<OpenVault> {
    const file = await this.readFile();
    if (this.open !== open) throw new LatchkeyError('VAULT_LOCKED', 'The vault was locked meanwhile.');
    if (sodium.compare(file.checksum, open.checksum) === 0) return open;
    refuseOlderFile(file.header, open.header);
    const content = tryDecryptAndParseContent(sodium, file, open.masterKey);
    if (content === null) {
      this.lock();
      throw new LatchkeyError('VAULT_LOCKED', 'Another Latchkey process changed the vault’s keys; unlock it again.');
    }
    const refreshed = { ...open, header: file.header, content, checksum: new Uint8Array(file.checksum) };
    this.open = refreshed;
    return refreshed;
  }

  private async write(sodium: Sodium, header: VaultHeader, masterKey: Uint8Array, content: VaultContent, previousGeneration: number | null): Promise<Uint8Array> {
    const plaintext = new TextEncoder().encode(JSON.stringify(content));
    const bytes = encodeVaultFile(sodium, header, masterKey, plaintext);
    sodium.memzero(plaintext);
    await this.folder.writeAtomically(bytes, previousGeneration);
    this.knownSlots = header.slots;
    return bytes.slice(bytes.length - 32);
  }

  private async readFile(): Promise<ParsedVaultFile> {
    const sodium = await loadSodium();
    const file = parseVaultFile(sodium, await this.folder.read());
    this.knownSlots = file.header.slots;
    return file;
  }

  private requireOpen(): OpenVault {
    if (!this.open) throw new LatchkeyError('VAULT_LOCKED');
    return this.open;
  }

  private async withWriterLock<T>(work: () => Promise<T>): Promise<T> {
    await this.writerLock.acquire();
    try {
      return await work();
    } finally {
      await this.writerLock.release();
    }
  }

  /** One change at a time within this process; the writer lock orders processes. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private emit(event: VaultEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/**
 * A vault file of a lower generation than the one open (an old copy put in place by hand, a sync
 * tool or a disk image) would bring back old slots, deleted accounts and used HOTP counters: it is
 * refused, and nothing is saved over it.
 */
function refuseOlderFile(onDisk: VaultHeader, known: VaultHeader): void {
  if (onDisk.vaultId === known.vaultId && onDisk.generation >= known.generation) return;
  const found = onDisk.vaultId === known.vaultId ? `generation ${onDisk.generation}, older than generation ${known.generation}` : 'a different vault than the one';
  throw new LatchkeyError('VAULT_ROLLED_BACK', `The file on disk is ${found} open now. Nothing was saved. Put the newer file back, or lock and unlock to open the file on disk on purpose.`);
}
