import { randomUUID } from 'node:crypto';
import type { VaultStatus } from '../../../shared/domain';
import { isLatchkeyError, LatchkeyError } from '../../../shared/errors';
import type { SecretStore } from '../keychain/secret-store';
import { emptyContent, type VaultContent, vaultContentSchema } from './content';
import { decryptContent, encodeVaultFile, type KeychainSlot, type ParsedVaultFile, parseVaultFile, type PasswordSlot, type Slot, type VaultHeader } from './format';
import { createKeychainSlot, createPasswordSlot, DEFAULT_PASSWORD_COST, derivePasswordKey, KEY_BYTES, type PasswordCost, unwrapMasterKey } from './slots';
import { loadedSodium, loadSodium, type Sodium } from './sodium';
import { VaultFolder, WriterLock, type WriterLockOptions } from './storage';

export interface VaultServiceOptions {
  dir: string;
  keychain: SecretStore;
  /** Argon2id cost for new password slots; tests lower it, the stored slot says what was used. */
  passwordCost?: PasswordCost;
  writerLock?: WriterLockOptions;
  backupsKept?: number;
}

export interface CreateVaultOptions {
  /** A password slot is added when a password is given. */
  password?: string | null;
  /** A keychain slot is added unless this is false. */
  useKeychain?: boolean;
}

export type VaultEvent = 'unlocked' | 'locked' | 'changed';

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

  constructor(private readonly options: VaultServiceOptions) {
    this.folder = new VaultFolder(options.dir, options.backupsKept);
    this.writerLock = new WriterLock(options.dir, options.writerLock);
    this.passwordCost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
  }

  get dir(): string {
    return this.options.dir;
  }

  get isUnlocked(): boolean {
    return this.open !== null;
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
        if (useKeychain) slots.push(await this.createStoredKeychainSlot(sodium, vaultId, masterKey));
        if (password !== null) slots.push(createPasswordSlot(sodium, vaultId, masterKey, password, this.passwordCost));
        const header: VaultHeader = { vaultId, generation: 0, createdAt: Date.now(), slots };
        const content = emptyContent();
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
    const keychainKey = await this.options.keychain.get(slot.keychainEntry);
    if (keychainKey === null) throw new LatchkeyError('KEYCHAIN_KEY_MISSING');
    const masterKey = unwrapMasterKey(sodium, file.header.vaultId, slot, keychainKey);
    sodium.memzero(keychainKey);
    if (masterKey === null) throw new LatchkeyError('KEYCHAIN_KEY_MISSING', 'The key it holds does not open this vault.');
    this.openWith(sodium, file, masterKey);
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

  /** Adds the password slot, or replaces it with one for the new password. */
  setPassword(newPassword: string): Promise<void> {
    return this.changeSlots(async (sodium, open) => {
      const others = open.header.slots.filter((slot) => slot.type !== 'password');
      return [...others, createPasswordSlot(sodium, open.header.vaultId, open.masterKey, newPassword, this.passwordCost)];
    });
  }

  removePasswordSlot(): Promise<void> {
    return this.changeSlots(async (_sodium, open) => withoutLastSlot(open.header.slots, 'password'));
  }

  /** Adds a keychain slot (a new random key stored in the OS keychain); does nothing if there is one. */
  addKeychainSlot(): Promise<void> {
    return this.changeSlots(async (sodium, open) => {
      if (open.header.slots.some((slot) => slot.type === 'keychain')) return open.header.slots;
      return [...open.header.slots, await this.createStoredKeychainSlot(sodium, open.header.vaultId, open.masterKey)];
    });
  }

  async removeKeychainSlot(): Promise<void> {
    const removed = this.open?.header.slots.filter((slot): slot is KeychainSlot => slot.type === 'keychain') ?? [];
    await this.changeSlots(async (_sodium, open) => withoutLastSlot(open.header.slots, 'keychain'));
    await this.forgetKeychainEntries(removed);
  }

  /**
   * Replaces the master key and re-wraps it in every slot: new keychain keys under new entries, and
   * a new password slot, which needs the password (it is checked against the current slot first).
   */
  async rotateMasterKey(password?: string): Promise<void> {
    let oldKeychainSlots: KeychainSlot[] = [];
    await this.transaction(async (open) => {
      const sodium = await loadSodium();
      const passwordSlot = open.header.slots.find((slot): slot is PasswordSlot => slot.type === 'password');
      if (passwordSlot) {
        if (password === undefined) throw new LatchkeyError('PASSWORD_REQUIRED');
        const check = unwrapWithPassword(sodium, open.header.vaultId, passwordSlot, password);
        if (check === null) throw new LatchkeyError('WRONG_PASSWORD');
        sodium.memzero(check);
      }
      const masterKey = sodium.randombytes_buf(KEY_BYTES);
      const slots: Slot[] = [];
      for (const slot of open.header.slots) {
        if (slot.type === 'keychain') slots.push(await this.createStoredKeychainSlot(sodium, open.header.vaultId, masterKey));
        else slots.push(createPasswordSlot(sodium, open.header.vaultId, masterKey, password ?? '', { opsLimit: slot.kdf.opsLimit, memLimit: slot.kdf.memLimit }));
      }
      oldKeychainSlots = open.header.slots.filter((slot): slot is KeychainSlot => slot.type === 'keychain');
      return { change: { masterKey, header: { ...open.header, slots } }, result: undefined };
    });
    await this.forgetKeychainEntries(oldKeychainSlots);
  }

  private changeSlots(makeSlots: (sodium: Sodium, open: OpenVault) => Promise<Slot[]>): Promise<void> {
    return this.transaction(async (open) => {
      const slots = await makeSlots(await loadSodium(), open);
      return { change: { header: { ...open.header, slots } }, result: undefined };
    });
  }

  private async createStoredKeychainSlot(sodium: Sodium, vaultId: string, masterKey: Uint8Array): Promise<KeychainSlot> {
    const keychainKey = sodium.randombytes_buf(KEY_BYTES);
    try {
      const slot = createKeychainSlot(sodium, vaultId, masterKey, keychainKey);
      // The key is in the keychain before any file names it, so a crash leaves at most an unused entry.
      await this.options.keychain.set(slot.keychainEntry, keychainKey);
      return slot;
    } finally {
      sodium.memzero(keychainKey);
    }
  }

  /** Best effort: the slots are already gone from the file, so a leftover entry opens nothing. */
  private async forgetKeychainEntries(slots: KeychainSlot[]): Promise<void> {
    for (const slot of slots) {
      await this.options.keychain.delete(slot.keychainEntry).catch((error: unknown) => {
        if (!isLatchkeyError(error, 'KEYCHAIN_UNAVAILABLE')) throw error;
      });
    }
  }

  private transaction<T>(work: (open: OpenVault) => Promise<{ change: Change; result: T }>): Promise<T> {
    return this.serialized(() =>
      this.withWriterLock(async () => {
        const sodium = await loadSodium();
        const open = await this.refreshFromDisk(sodium, this.requireOpen());
        const { change, result } = await work(open);
        // Locked while the change was being prepared: the key in hand is wiped, so nothing may be written with it.
        if (this.open !== open) {
          if (change.masterKey) sodium.memzero(change.masterKey);
          throw new LatchkeyError('VAULT_LOCKED', 'The vault was locked before the change could be saved.');
        }
        const masterKey = change.masterKey ?? open.masterKey;
        const header = { ...(change.header ?? open.header), generation: open.header.generation + 1 };
        const content = change.content ?? open.content;
        const checksum = await this.write(sodium, header, masterKey, content, open.header.generation);
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
    if (decryptContent(sodium, file, open.masterKey) === null) {
      this.lock();
      throw new LatchkeyError('VAULT_LOCKED', 'Another Latchkey process changed the vault’s keys; unlock it again.');
    }
    const refreshed = { ...open, header: file.header, content: decryptAndParseContent(sodium, file, open.masterKey), checksum: new Uint8Array(file.checksum) };
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

function passwordSlotOf(header: VaultHeader): PasswordSlot {
  const slot = header.slots.find((candidate): candidate is PasswordSlot => candidate.type === 'password');
  if (!slot) throw new LatchkeyError('NO_PASSWORD_SLOT', 'This vault opens only through the system keychain.');
  return slot;
}

function unwrapWithPassword(sodium: Sodium, vaultId: string, slot: PasswordSlot, password: string): Uint8Array | null {
  const passwordKey = derivePasswordKey(sodium, password, slot.kdf);
  try {
    return unwrapMasterKey(sodium, vaultId, slot, passwordKey);
  } finally {
    sodium.memzero(passwordKey);
  }
}

function decryptAndParseContent(sodium: Sodium, file: ParsedVaultFile, masterKey: Uint8Array): VaultContent {
  const plaintext = decryptContent(sodium, file, masterKey);
  if (plaintext === null) throw new LatchkeyError('VAULT_CORRUPT', 'Its content does not decrypt with the vault key.');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    throw new LatchkeyError('VAULT_CORRUPT', 'Its content is not readable.');
  } finally {
    sodium.memzero(plaintext);
  }
  const parsed = vaultContentSchema.safeParse(json);
  if (!parsed.success) throw new LatchkeyError('VAULT_CORRUPT', 'Its content is not of the expected form.');
  return parsed.data;
}

function withoutLastSlot(slots: Slot[], type: Slot['type']): Slot[] {
  const remaining = slots.filter((slot) => slot.type !== type);
  if (remaining.length === slots.length) return slots;
  if (remaining.length === 0) throw new LatchkeyError('LAST_SLOT');
  return remaining;
}
