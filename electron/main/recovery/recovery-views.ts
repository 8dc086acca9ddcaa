import { type AccountRecovery, LOW_CODES, OLD_SET_MS, type RecoverySetSummary, type RecoveryWarning } from '../../../shared/recovery';
import type { StoredRecoverySet, VaultContent } from '../vault/content';

/** The stored set as the window sees it: states and counts, no code text. */
export function toSetSummary(set: StoredRecoverySet): RecoverySetSummary {
  const codes = set.usage.map((usage, index) => ({ index, used: usage !== null, usedAt: usage?.usedAt ?? null, how: usage?.how ?? null }));
  return {
    id: set.id,
    accountId: set.accountId,
    source: set.source,
    createdAt: set.createdAt,
    current: set.supersededAt === null,
    supersededAt: set.supersededAt,
    count: set.count,
    unused: codes.filter((code) => !code.used).length,
    codes,
  };
}

/** One account's codes: the current set first, then superseded ones, newest first. */
export function accountRecovery(content: VaultContent, accountId: string, now: number): AccountRecovery {
  const sets = content.recovery.sets
    .filter((set) => set.accountId === accountId)
    .map(toSetSummary)
    .sort((a, b) => Number(b.current) - Number(a.current) || b.createdAt - a.createdAt);
  const current = sets.find((set) => set.current) ?? null;
  return {
    accountId,
    unused: current?.unused ?? 0,
    total: current?.count ?? 0,
    currentSetId: current?.id ?? null,
    warnings: warningsOf(current, now),
    sets,
  };
}

function warningsOf(current: RecoverySetSummary | null, now: number): RecoveryWarning[] {
  if (current === null) return ['none-at-all'];
  const warnings: RecoveryWarning[] = [];
  if (current.unused === 0) warnings.push('none-left');
  else if (current.unused <= LOW_CODES) warnings.push('low');
  if (now - current.createdAt > OLD_SET_MS) warnings.push('old');
  return warnings;
}
