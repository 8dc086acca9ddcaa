import type { AccountSummary, OtpType } from '../../shared/domain';

/**
 * A code in groups people read at a glance: 123 456, 123 4567, 1234 5678, 123 456 789, 12345 67890.
 * Steam Guard codes (letters) and anything shorter than six characters stay as they are.
 */
export function groupCode(code: string, type?: OtpType): string {
  if (type === 'steam' || code.length < 6) return code;
  const sizes: Record<number, number[]> = { 6: [3, 3], 7: [3, 4], 8: [4, 4], 9: [3, 3, 3], 10: [5, 5] };
  const groups = sizes[code.length];
  if (!groups) return code;
  const parts: string[] = [];
  let start = 0;
  for (const size of groups) {
    parts.push(code.slice(start, start + size));
    start += size;
  }
  return parts.join(' ');
}

/** The same shape as the code, in dots: what a hidden code looks like. */
export function maskedCode(length: number, type?: OtpType): string {
  return groupCode('•'.repeat(Math.max(length, 5)), type);
}

/** How an account is named in buttons, dialogs and toasts. */
export function displayName(account: { issuer: string; label: string }): string {
  if (account.issuer && account.label) return `${account.issuer} (${account.label})`;
  return account.issuer || account.label || 'Unnamed account';
}

export function primaryName(account: { issuer: string; label: string }): string {
  return account.issuer || account.label || 'Unnamed account';
}

/** One letter (or digit) for the monogram icon. */
export function monogramLetter(account: { issuer: string; label: string }): string {
  const name = (account.issuer || account.label).trim();
  const first = [...name].find((char) => /[\p{L}\p{N}]/u.test(char));
  return first ? first.toLocaleUpperCase() : '?';
}

/**
 * Monogram backgrounds, each dark enough for white text at WCAG AA (4.5:1) on its own,
 * so the icon reads the same in the light and the dark theme.
 */
export const MONOGRAM_COLOURS = [
  '#2f5bd3', // blue
  '#6d3fd6', // violet
  '#b42f7a', // magenta
  '#c2362b', // red
  '#b4480e', // orange
  '#8a5a00', // amber
  '#2e7d32', // green
  '#0f7468', // teal
  '#0b6e8a', // cyan
  '#4b52c9', // indigo
  '#8e3bb0', // purple
  '#51606f', // slate
] as const;

/** FNV-1a over the issuer, so an issuer keeps its colour everywhere and across restarts. */
export function monogramColour(account: { issuer: string; label: string }): string {
  const key = (account.issuer || account.label).trim().toLocaleLowerCase();
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return MONOGRAM_COLOURS[hash % MONOGRAM_COLOURS.length] as string;
}

export type SortOrder = 'manual' | 'issuer' | 'recent';

export function matchesQuery(account: AccountSummary, query: string): boolean {
  const needle = query.trim().toLocaleLowerCase();
  if (needle === '') return true;
  return (
    account.issuer.toLocaleLowerCase().includes(needle) ||
    account.label.toLocaleLowerCase().includes(needle) ||
    (account.group ?? '').toLocaleLowerCase().includes(needle)
  );
}

/** The rows the list shows: filtered by the search and the group, in the chosen order. */
export function visibleAccounts(accounts: readonly AccountSummary[], query: string, group: string | null, order: SortOrder): AccountSummary[] {
  const rows = accounts.filter((account) => (group === null || account.group === group) && matchesQuery(account, query));
  if (order === 'issuer') {
    rows.sort(
      (a, b) =>
        primaryName(a).localeCompare(primaryName(b), undefined, { sensitivity: 'base' }) ||
        a.label.localeCompare(b.label, undefined, { sensitivity: 'base' }),
    );
  } else if (order === 'recent') {
    // Stable: accounts never used keep their manual order, after the used ones.
    rows.sort((a, b) => (b.lastUsedAt ?? 0) - (a.lastUsedAt ?? 0));
  }
  return rows;
}

export function groupsOf(accounts: readonly AccountSummary[]): string[] {
  const names = new Set<string>();
  for (const account of accounts) if (account.group) names.add(account.group);
  return [...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
}

/**
 * The full manual order after moving `id` one step up or down among the rows the user can see
 * (a filter may hide the accounts in between; those keep their places).
 */
export function moveAmongVisible(order: readonly string[], visible: readonly string[], id: string, direction: -1 | 1): string[] | null {
  const at = visible.indexOf(id);
  const neighbour = visible[at + direction];
  if (at < 0 || neighbour === undefined) return null;
  return moveRelativeTo(order, id, neighbour, direction === 1 ? 'after' : 'before');
}

/** The full order with `id` placed just before or after `target`. */
export function moveRelativeTo(order: readonly string[], id: string, target: string, position: 'before' | 'after'): string[] | null {
  if (id === target) return null;
  const without = order.filter((candidate) => candidate !== id);
  const targetIndex = without.indexOf(target);
  if (targetIndex < 0 || without.length !== order.length - 1) return null;
  without.splice(position === 'before' ? targetIndex : targetIndex + 1, 0, id);
  return without.every((candidate, index) => candidate === order[index]) ? null : without;
}

export function typeName(type: OtpType): string {
  return type === 'totp' ? 'Time-based (TOTP)' : type === 'hotp' ? 'Counter-based (HOTP)' : 'Steam Guard';
}

export function secondsPhrase(seconds: number): string {
  return `${seconds} s`;
}
