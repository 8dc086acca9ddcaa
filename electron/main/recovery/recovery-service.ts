import { randomUUID } from 'node:crypto';
import { LatchkeyError } from '../../../shared/errors';
import type { AccountRecovery, RecoverySetSummary, RecoveryStatus, RevealedCodes } from '../../../shared/recovery';
import { DEFAULT_PASSWORD_COST, type PasswordChangeHook, type PasswordCost, type VaultService } from '../vault';
import { type CodeUse, MAX_CODE_LENGTH, type RecoverySeal, MAX_CODES_PER_SET, recoveryCodeTextSchema, type RecoverySource, type StoredRecoverySet, type VaultContent } from '../vault/content';
import { loadSodium, type Sodium } from '../vault/sodium';
import { KEEP_UNSEALED_MS, KeptSealKey } from './kept-key';
import { recogniseCodes, type RecognisedCodes } from './recognize';
import { accountRecovery, toSetSummary } from './recovery-views';
import { applyPasswordChange, codesOfSet, createSeal, openSeal, sealCodes, sealSet } from './seal';

export interface RecoveryServiceOptions {
  now?: () => number;
  keepUnsealedMs?: number;
  /** Argon2id cost of a seal made by `unseal` (a vault's password changes use the vault's own). */
  passwordCost?: PasswordCost;
}

/** The code handed out by `useNext`, already marked used. */
export interface SpentCode {
  setId: string;
  index: number;
  code: string;
  /** Unused codes left in the set after this one. */
  left: number;
}

/**
 * Another sealed part of the content (provider credentials) following the seal inside the same
 * save: a new seal (seal what was plain), or no seal any more (unseal with `beforeSecretKey`).
 */
export type SealFollower = (content: VaultContent, sodium: Sodium, change: { before: RecoverySeal | null; after: RecoverySeal | null; beforeSecretKey: Uint8Array | null }) => void;

/**
 * The recovery-code ledger: sets of backup codes per account, which codes are spent, and the
 * password seal around the code texts. Every change is one vault save.
 */
export class RecoveryService {
  private readonly now: () => number;
  private readonly kept: KeptSealKey;
  private readonly passwordCost: PasswordCost;
  private readonly sealFollowers: SealFollower[] = [];

  constructor(private readonly vault: VaultService, options: RecoveryServiceOptions = {}) {
    this.now = options.now ?? Date.now;
    this.kept = new KeptSealKey(this.now, options.keepUnsealedMs ?? KEEP_UNSEALED_MS);
    this.passwordCost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
    vault.onEvent((event) => {
      if (event === 'locked') this.kept.forget();
    });
    vault.setPasswordChangeHook(this.passwordChangeHook);
  }

  status(): RecoveryStatus {
    const { seal } = this.vault.content().recovery;
    if (seal !== null) return { protection: 'password', unsealedUntil: this.kept.until(seal.publicKey) };
    const hasPassword = this.vault.knownStatus()?.hasPasswordSlot ?? false;
    return { protection: hasPassword ? 'needs-password' : 'keychain-only', unsealedUntil: null };
  }

  /** Every account's codes and warnings, in the accounts' order. */
  overview(): AccountRecovery[] {
    const content = this.vault.content();
    const now = this.now();
    return content.accounts.map((account) => accountRecovery(content, account.id, now));
  }

  forAccount(accountId: string): AccountRecovery {
    const content = this.vault.content();
    requireAccount(content, accountId);
    return accountRecovery(content, accountId, this.now());
  }

  recognise(text: string): RecognisedCodes {
    return recogniseCodes(text);
  }

  /** Recognises codes in `text` and stores them as the account's current set. */
  addFromText(accountId: string, text: string, source: RecoverySource): Promise<RecoverySetSummary> {
    return this.addCodes(accountId, recogniseCodes(text).codes, source);
  }

  /** Stores `codes` as the account's current set; the previous current set becomes superseded. */
  async addCodes(accountId: string, codes: readonly string[], source: RecoverySource): Promise<RecoverySetSummary> {
    if (codes.length === 0 || codes.length > MAX_CODES_PER_SET || codes.some((code) => !recoveryCodeTextSchema.safeParse(code).success)) {
      throw new LatchkeyError('RECOVERY_CODES_NOT_RECOGNISED', `A set holds 1 to ${MAX_CODES_PER_SET} codes of at most ${MAX_CODE_LENGTH} characters.`);
    }
    const sodium = await loadSodium();
    const now = this.now();
    return this.vault.update((content) => {
      requireAccount(content, accountId);
      const id = randomUUID();
      const seal = content.recovery.seal;
      if (seal === null && this.vault.knownStatus()?.hasPasswordSlot) {
        throw new LatchkeyError('RECOVERY_SEALED', 'Type the vault password once, so the backup codes can be sealed with it.');
      }
      for (const set of content.recovery.sets) {
        if (set.accountId === accountId && set.supersededAt === null) set.supersededAt = now;
      }
      const set: StoredRecoverySet = {
        id,
        accountId,
        source,
        createdAt: now,
        supersededAt: null,
        count: codes.length,
        codes: seal === null ? { plain: [...codes] } : { sealed: sealCodes(sodium, seal, id, codes) },
        usage: codes.map(() => null),
      };
      content.recovery.sets.push(set);
      return toSetSummary(set);
    });
  }

  /**
   * Opens the seal with the password and keeps it open for a few minutes. A vault with a password
   * slot but no seal yet (upgraded, or given its password by an older Latchkey) is sealed now.
   */
  async unseal(password: string): Promise<RecoveryStatus> {
    const sodium = await loadSodium();
    const seal = this.vault.content().recovery.seal;
    if (seal !== null) {
      this.kept.keep(openSeal(sodium, seal, password), seal.publicKey);
      return this.status();
    }
    await this.vault.checkPassword(password);
    const created = createSeal(sodium, password, this.passwordCost);
    try {
      await this.vault.update((content) => {
        if (content.recovery.seal !== null) throw new LatchkeyError('VAULT_BUSY', 'The backup codes were sealed meanwhile; try again.');
        content.recovery.seal = created.seal;
        content.recovery.sets = content.recovery.sets.map((set) => sealSet(sodium, created.seal, set));
        for (const follow of this.sealFollowers) follow(content, sodium, { before: null, after: created.seal, beforeSecretKey: null });
      });
    } catch (error) {
      sodium.memzero(created.secretKey);
      throw error;
    }
    this.kept.keep(created.secretKey, created.seal.publicKey);
    return this.status();
  }

  /** See SealFollower: called inside every save that makes, re-wraps or removes the seal. */
  addSealFollower(follower: SealFollower): void {
    this.sealFollowers.push(follower);
  }

  /** A copy of the seal's secret key while the password is kept (the caller wipes it), else null. */
  keptSealSecretKey(): Uint8Array | null {
    const seal = this.vault.content().recovery.seal;
    const key = seal ? this.kept.keyFor(seal.publicKey) : null;
    return key ? new Uint8Array(key) : null;
  }

  /** Closes the seal now (the "forget password" button, and on lock). */
  forget(): void {
    this.kept.forget();
  }

  /** The codes of a set (or one of them): the explicit reveal, the one way code texts leave. */
  async reveal(setId: string, index?: number): Promise<RevealedCodes> {
    const sodium = await loadSodium();
    const content = this.vault.content();
    const set = requireSet(content, setId);
    const codes = this.readCodes(sodium, content, set);
    const all = codes.map((code, position) => ({ index: position, code, used: set.usage[position] !== null }));
    if (index === undefined) return { setId, codes: all };
    const one = all[index];
    if (one === undefined) throw new LatchkeyError('RECOVERY_CODE_NOT_FOUND', `The set has ${set.count} codes.`);
    return { setId, codes: [one] };
  }

  /** The next unused code of the account's current set, marked used in the same save. */
  async useNext(accountId: string, how: CodeUse = 'copied'): Promise<SpentCode> {
    const sodium = await loadSodium();
    const now = this.now();
    return this.vault.update((content) => {
      requireAccount(content, accountId);
      const set = content.recovery.sets.find((candidate) => candidate.accountId === accountId && candidate.supersededAt === null);
      if (!set) throw new LatchkeyError('NO_RECOVERY_CODES');
      const index = set.usage.findIndex((usage) => usage === null);
      if (index < 0) throw new LatchkeyError('RECOVERY_EXHAUSTED');
      const code = this.readCodes(sodium, content, set)[index] as string;
      set.usage[index] = { usedAt: now, how };
      return { setId: set.id, index, code, left: set.usage.filter((usage) => usage === null).length };
    });
  }

  /** Marks one code used or unused by its position; needs no password. */
  setUsed(setId: string, index: number, used: boolean, how: CodeUse = 'marked'): Promise<RecoverySetSummary> {
    const now = this.now();
    return this.vault.update((content) => {
      const set = requireSet(content, setId);
      if (!Number.isInteger(index) || index < 0 || index >= set.count) throw new LatchkeyError('RECOVERY_CODE_NOT_FOUND', `The set has ${set.count} codes.`);
      set.usage[index] = used ? (set.usage[index] ?? { usedAt: now, how }) : null;
      return toSetSummary(set);
    });
  }

  /** Marks a code given by its text (as typed, spacing and case ignored) in any of the account's sets. */
  async markByText(accountId: string, code: string, used: boolean): Promise<{ setId: string; index: number }> {
    const sodium = await loadSodium();
    const content = this.vault.content();
    requireAccount(content, accountId);
    const wanted = comparable(code);
    const sets = content.recovery.sets.filter((set) => set.accountId === accountId).sort((a, b) => Number(a.supersededAt !== null) - Number(b.supersededAt !== null));
    for (const set of sets) {
      const index = this.readCodes(sodium, content, set).findIndex((candidate) => comparable(candidate) === wanted);
      if (index >= 0) {
        await this.setUsed(set.id, index, used);
        return { setId: set.id, index };
      }
    }
    throw new LatchkeyError('RECOVERY_CODE_NOT_FOUND');
  }

  /** Deletes a superseded set; the current one is replaced by adding a new set, never deleted alone. */
  deleteSet(setId: string): Promise<void> {
    return this.vault.update((content) => {
      const set = requireSet(content, setId);
      if (set.supersededAt === null) throw new LatchkeyError('INVALID_INPUT', 'Only superseded sets can be deleted; add new codes to replace the current set.');
      content.recovery.sets = content.recovery.sets.filter((candidate) => candidate.id !== setId);
    });
  }

  private readCodes(sodium: Sodium, content: VaultContent, set: StoredRecoverySet): string[] {
    const seal = content.recovery.seal;
    const codes = codesOfSet(sodium, seal, seal ? this.kept.keyFor(seal.publicKey) : null, set);
    if (codes === null) throw new LatchkeyError('RECOVERY_SEALED');
    return codes;
  }

  /** The vault calls this inside the save that changes the password slot (see seal.ts). */
  private readonly passwordChangeHook: PasswordChangeHook = async (content, change) => {
    const sodium = await loadSodium();
    const seal = content.recovery.seal;
    const kept = seal ? this.kept.keyFor(seal.publicKey) : null;
    // Followers unseal their parts when the seal goes away: they need the key it had.
    const beforeSecretKey = seal !== null && change.newPassword === null && this.sealFollowers.length > 0 ? (kept ? new Uint8Array(kept) : change.currentPassword === null ? null : openSeal(sodium, seal, change.currentPassword)) : null;
    const secretKey = applyPasswordChange(sodium, content, change, change.cost, kept);
    const after = content.recovery.seal;
    try {
      for (const follow of this.sealFollowers) follow(content, sodium, { before: seal, after, beforeSecretKey });
    } finally {
      if (beforeSecretKey) sodium.memzero(beforeSecretKey);
    }
    if (secretKey !== null && after !== null) this.kept.keep(secretKey, after.publicKey);
    else this.kept.forget();
  };
}

/** Codes are compared as people type them: case, spaces and dashes do not matter. */
function comparable(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

function requireAccount(content: VaultContent, accountId: string): void {
  if (!content.accounts.some((account) => account.id === accountId)) throw new LatchkeyError('ACCOUNT_NOT_FOUND');
}

function requireSet(content: VaultContent, setId: string): StoredRecoverySet {
  const set = content.recovery.sets.find((candidate) => candidate.id === setId);
  if (!set) throw new LatchkeyError('RECOVERY_SET_NOT_FOUND');
  return set;
}
