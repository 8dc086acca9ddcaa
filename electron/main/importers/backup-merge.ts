import { randomUUID } from 'node:crypto';
import type { AccountSummary } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import type { ImportExtrasView } from '../../../shared/import';
import { toSummary } from '../accounts/accounts-service';
import { sealProviderEntry } from '../exporters/backup-seal';
import { sealSet } from '../recovery/seal';
import type { StoredAccount, VaultContent, VaultService } from '../vault';
import type { Sodium } from '../vault/sodium';
import type { AccountExtras, CodesOnlyEntry } from './types';

/**
 * How a Latchkey backup's backup codes and provider connections merge into a vault
 * (docs/backup-format.md, "Merge"): an imported account brings its own; a duplicate's go to the
 * saved account when it has none of that kind, otherwise the saved account keeps its own and the
 * report says so. Codes and credentials go under the vault's seal when it has one.
 */

/** What the plan needs to know of the vault beyond secrets. */
export interface SavedExtras {
  /** A saved entry with backup codes only and the same names: a codes-only entry's duplicate. */
  findCodesOnly(issuer: string, label: string): AccountSummary | null;
  /** What a saved account already has. */
  has(accountId: string): { codes: boolean; connection: boolean };
  /** True when the vault has a password but no seal yet, so codes cannot be sealed without it. */
  sealMissing(): boolean;
}

export function savedExtrasLookup(vault: VaultService): SavedExtras {
  const content = vault.content();
  const codesOnly = new Map<string, AccountSummary>();
  for (const account of content.accounts) if (account.secret === null) codesOnly.set(namesKey(account), toSummary(account));
  // Built once: a preview of thousands of entries must not scan every set for each.
  const holders = SavedHolders.of(content);
  return {
    findCodesOnly: (issuer, label) => codesOnly.get(namesKey({ issuer, label })) ?? null,
    has: (accountId) => holders.has(accountId),
    sealMissing: () => vault.content().recovery.seal === null && (vault.knownStatus()?.hasPasswordSlot ?? false),
  };
}

export function namesKey(entry: { issuer: string; label: string }): string {
  return JSON.stringify([entry.issuer, entry.label]);
}

/** Which accounts hold backup codes and which a connection, looked up without scanning. */
export class SavedHolders {
  private constructor(
    private readonly codes: Set<string>,
    private readonly connections: Set<string>,
  ) {}

  static of(content: Readonly<VaultContent>): SavedHolders {
    return new SavedHolders(new Set(content.recovery.sets.map((set) => set.accountId)), new Set((content.providers?.connections ?? []).map((entry) => entry.accountId)));
  }

  has(accountId: string): { codes: boolean; connection: boolean } {
    return { codes: this.codes.has(accountId), connection: this.connections.has(accountId) };
  }

  added(accountId: string, what: { codes: boolean; connection: boolean }): void {
    if (what.codes) this.codes.add(accountId);
    if (what.connection) this.connections.add(accountId);
  }
}

export function hasExtras(extras: AccountExtras | undefined): extras is AccountExtras {
  return extras !== undefined && (extras.recoverySets.length > 0 || extras.connection !== null);
}

/** "10 backup codes (2 used), 1 earlier set and a MoonKey connection", or null when there is nothing. */
export function describeExtras(extras: AccountExtras): string | null {
  const parts: string[] = [];
  const current = extras.recoverySets.find((set) => set.supersededAt === null);
  if (current) {
    const used = current.usage.filter((use) => use !== null).length;
    parts.push(`${current.count} backup code${current.count === 1 ? '' : 's'}${used > 0 ? ` (${used} used)` : ''}`);
  }
  const earlier = extras.recoverySets.length - (current ? 1 : 0);
  if (earlier > 0) parts.push(`${earlier} earlier set${earlier === 1 ? '' : 's'} of backup codes`);
  if (extras.connection) parts.push(`a ${extras.connection.provider} connection`);
  if (parts.length === 0) return null;
  return parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) as string}`;
}

/** The preview's view of an entry's extras; for a duplicate, what will happen to them. */
export function extrasView(extras: AccountExtras | undefined, duplicateOf: { id: string | null } | null, saved: SavedExtras | null): ImportExtrasView | null {
  if (!hasExtras(extras)) return null;
  const description = describeExtras(extras) as string;
  const current = extras.recoverySets.find((set) => set.supersededAt === null);
  const base = { backupCodes: current?.count ?? 0, codeSets: extras.recoverySets.length, connection: extras.connection?.provider ?? null, description, note: null as string | null };
  if (duplicateOf === null) return base;
  if (duplicateOf.id === null) return { ...base, note: EARLIER_IN_FILES };
  const has = saved?.has(duplicateOf.id) ?? { codes: false, connection: false };
  return { ...base, note: duplicateNote(extras, has) };
}

function duplicateNote(extras: AccountExtras, has: { codes: boolean; connection: boolean }): string {
  const kinds = (extras.recoverySets.length > 0 ? 1 : 0) + (extras.connection ? 1 : 0);
  const kept = (extras.recoverySets.length > 0 && has.codes ? 1 : 0) + (extras.connection && has.connection ? 1 : 0);
  if (kinds === 2 && kept === 0) return 'Both go to the saved account.';
  if (kinds === 2 && kept === 2) return 'The saved account keeps its own backup codes and connection; these are not imported.';
  const notes: string[] = [];
  if (extras.recoverySets.length > 0) notes.push(has.codes ? 'the saved account keeps its own backup codes' : 'its backup codes go to the saved account');
  if (extras.connection) notes.push(has.connection ? 'the saved account keeps its own provider connection' : 'its provider connection goes to the saved account');
  return `${notes.join('; ')}.`.replace(/^./, (first) => first.toUpperCase());
}

/** A duplicate of an entry earlier in the same files: only the first one's codes and connection are imported. */
export const EARLIER_IN_FILES = 'These are not imported: the same account earlier in these files is imported with its own.';

/** A codes-only entry as the vault stores it (defaults for the OTP fields, which mean nothing for it). */
export function codesOnlyAccount(entry: CodesOnlyEntry, now: number): StoredAccount {
  return { id: randomUUID(), type: 'totp', secret: null, issuer: entry.issuer, label: entry.label, algorithm: 'SHA1', digits: 6, period: 30, counter: 0, group: entry.group, notes: entry.notes, createdAt: now, updatedAt: now, lastUsedAt: null };
}

/** What happened to one entry's extras, for the report. */
export interface ExtrasOutcome {
  codeSets: number;
  connections: number;
  /** A sentence for the report. */
  outcome: string;
}

/**
 * Adds an entry's sets and connection to `accountId` inside the import's save, unless the account
 * has its own of that kind (then the saved ones stay, and the outcome says so).
 */
export function attachExtras(sodium: Sodium, content: VaultContent, holders: SavedHolders, accountId: string, extras: AccountExtras | undefined, intoSaved: boolean): ExtrasOutcome | null {
  if (!hasExtras(extras)) return null;
  const has = holders.has(accountId);
  const seal = content.recovery.seal;
  const said: string[] = [];
  let codeSets = 0;
  let connections = 0;
  if (extras.recoverySets.length > 0 && !has.codes) {
    for (const set of extras.recoverySets) {
      const stored = { ...set, id: randomUUID(), accountId, codes: { plain: [...set.codes] }, usage: [...set.usage] };
      content.recovery.sets.push(seal === null ? stored : sealSet(sodium, seal, stored));
    }
    codeSets = extras.recoverySets.length;
  } else if (extras.recoverySets.length > 0) said.push('the saved account kept its own backup codes, these were not imported');
  if (extras.connection && !has.connection) {
    content.providers ??= { connections: [], enrollments: [] };
    content.providers.connections.push({ accountId, data: sealProviderEntry(sodium, seal, 'connection', accountId, extras.connection.json) });
    connections = 1;
  } else if (extras.connection) said.push('the saved account kept its own provider connection, this one was not imported');
  holders.added(accountId, { codes: codeSets > 0, connection: connections > 0 });
  // Say what was saved, not what the entry brought: a kept part is said after it.
  const saved = describeExtras({ ...extras, recoverySets: codeSets > 0 ? extras.recoverySets : [], connection: connections > 0 ? extras.connection : null });
  const added = saved !== null ? `${intoSaved ? 'Added to the saved account' : 'Saved with'}: ${saved}` : `Brought ${describeExtras(extras) as string}`;
  return { codeSets, connections, outcome: said.length > 0 ? `${added}; ${said.join('; ')}.` : `${added}.` };
}

/** An entry's codes and connection that could not be saved, and why (the vault changed since the preview). */
export function notSaved(why: string): ExtrasOutcome {
  return { codeSets: 0, connections: 0, outcome: `Its backup codes and provider connection were not imported: ${why}. Import the file again to add them.` };
}

/** Codes cannot go into a vault whose password has no seal yet: the password must be typed once first. */
export function refuseUnsealable(saved: SavedExtras | null, anyExtras: boolean): void {
  if (anyExtras && saved?.sealMissing()) {
    throw new LatchkeyError('RECOVERY_SEALED', 'This vault has a password but its backup codes are not sealed with it yet: open the backup codes with the vault password once (an account’s backup codes page), then import again. Nothing was imported.');
  }
}
