import type { AccountsService } from '../accounts';
import { loadSodium } from '../vault/sodium';
import { attachExtras, codesOnlyAccount, type ExtrasOutcome, hasExtras, notSaved, refuseUnsealable, type SavedExtras, SavedHolders } from './backup-merge';
import type { ImportPreviewEntry, ImportReport } from './preview';
import type { AccountExtras, CodesOnlyEntry, ImportedEntry } from './types';

/** What became of one entry's backup codes and connection, for the report. */
export interface ExtrasLine {
  index: number;
  accountId: string;
  outcome: ExtrasOutcome;
}

/** The chosen entries of an import, sorted by what saving them means. */
export interface ImportBatch {
  toSave: { index: number; entry: ImportedEntry; extras?: AccountExtras }[];
  /** Latchkey entries with backup codes and no secret. */
  codesOnly: { index: number; entry: CodesOnlyEntry; extras: AccountExtras }[];
  /** Duplicates of saved accounts whose codes and connection go to those accounts. */
  intoSaved: { index: number; id: string; extras: AccountExtras }[];
  /** Lines for the report about extras that are not imported (a duplicate earlier in the files). */
  notImported: ExtrasLine[];
}

/**
 * Saves accounts, codes-only entries, backup codes and provider connections in one vault save: all
 * or none. The vault may have changed since the preview: addMany skips what is a duplicate by now,
 * and the report says when codes could not go where the preview said.
 */
export async function saveImport(accounts: AccountsService, saved: SavedExtras | null, batch: ImportBatch, report: ImportReport, preview: readonly ImportPreviewEntry[]): Promise<ImportReport> {
  const { toSave, codesOnly, intoSaved } = batch;
  refuseUnsealable(saved, [...toSave, ...codesOnly, ...intoSaved].some(({ extras }) => hasExtras(extras)));
  const sodium = await loadSodium();
  const lines: ExtrasLine[] = [];
  const codesOnlyIds: string[] = [];
  const now = Date.now();
  const result = await accounts.addMany(
    toSave.map(({ entry }) => entry),
    (content, stored) => {
      lines.length = 0;
      codesOnlyIds.length = 0;
      const holders = SavedHolders.of(content);
      const accountIds = new Set(content.accounts.map((account) => account.id));
      const attach = (index: number, accountId: string, extras: AccountExtras | undefined, existing: boolean) => {
        const outcome = attachExtras(sodium, content, holders, accountId, extras, existing);
        if (outcome) lines.push({ index, accountId, outcome });
      };
      toSave.forEach(({ index, extras }, position) => {
        const account = stored[position];
        if (account) attach(index, account.id, extras, false);
        else if (hasExtras(extras)) lines.push({ index, accountId: '', outcome: notSaved('an account with the same secret was saved meanwhile') });
      });
      for (const { index, entry, extras } of codesOnly) {
        const account = codesOnlyAccount(entry, now);
        content.accounts.push(account);
        codesOnlyIds.push(account.id);
        attach(index, account.id, extras, false);
      }
      for (const { index, id, extras } of intoSaved) {
        if (accountIds.has(id)) attach(index, id, extras, true);
        else lines.push({ index, accountId: '', outcome: notSaved('the saved account was removed meanwhile') });
      }
    },
  );
  report.imported = result.added.length + codesOnly.length;
  report.skippedDuplicates += result.skipped;
  report.ids = [...result.added.map((account) => account.id), ...codesOnlyIds];
  return withExtras(report, [...lines, ...batch.notImported], preview);
}

/** The report with what became of each entry's backup codes and connection, in the files' order. */
export function withExtras(report: ImportReport, lines: ExtrasLine[], preview: readonly ImportPreviewEntry[]): ImportReport {
  if (lines.length === 0) return report;
  lines.sort((a, b) => a.index - b.index);
  report.backupCodeSets = lines.reduce((sum, { outcome }) => sum + outcome.codeSets, 0);
  report.connections = lines.reduce((sum, { outcome }) => sum + outcome.connections, 0);
  report.extras = lines.map(({ index, accountId, outcome }) => ({ index, issuer: preview[index]?.issuer ?? '', label: preview[index]?.label ?? '', accountId, outcome: outcome.outcome }));
  return report;
}
