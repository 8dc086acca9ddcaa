import type { AccountSummary, Algorithm, OtpType } from '../../../shared/domain';
import { LatchkeyError } from '../../../shared/errors';
import type { AccountsService } from '../accounts';
import { createCodeGenerator, decodeBase32 } from '../otp';
import { type CodeSetting, identityOf, settingsThatDiffer } from './duplicates';
import type { ImportExtrasView } from '../../../shared/import';
import { hasSealedExtras } from './backup-extras';
import { EARLIER_IN_FILES, hasExtras, extrasView, namesKey, type SavedExtras } from './backup-merge';
import { type ImportBatch, saveImport, withExtras } from './import-apply';
import type { ImportFileResult } from './registry';
import type { AccountExtras, CodesOnlyEntry, ImportedEntry } from './types';

/** One entry of the files as the user sees it before anything is saved. No secret here. */
export interface ImportPreviewEntry {
  /** Position in the whole import (all files), used to choose entries. */
  index: number;
  fileName: string;
  format: string;
  issuer: string;
  label: string;
  /** null for a refused entry (its fields could not be read). */
  type: OtpType | null;
  algorithm: Algorithm | null;
  digits: number | null;
  period: number | null;
  counter: number | null;
  group: string | null;
  /** The code now, to compare with the old app; null when refused. */
  code: string | null;
  status: 'new' | 'duplicate' | 'refused';
  /**
   * For a duplicate: the account (saved, or earlier in these files) with the same secret bytes
   * (duplicates.ts), and the code settings in which it differs (none: the same codes).
   */
  duplicateOf: { id: string | null; issuer: string; label: string; differs?: CodeSetting[] } | null;
  /** For a refused entry: why, in a sentence. */
  reason: string | null;
  /** A Latchkey backup's backup codes and provider connection for this entry (see backup-merge.ts). */
  extras?: ImportExtrasView | null;
}

export interface ImportReport {
  /** Every entry of the files; always imported + skippedDuplicates + leftOut + refused.length. */
  total: number;
  imported: number;
  skippedDuplicates: number;
  /** Entries the user chose not to import. */
  leftOut: number;
  refused: { index: number; fileName: string; issuer: string; label: string; reason: string }[];
  ids: string[];
  /** Backup-code sets and provider connections saved, and what became of each entry's (Latchkey backups). */
  backupCodeSets?: number;
  connections?: number;
  extras?: { index: number; issuer: string; label: string; accountId: string; outcome: string }[];
}

/** One entry of the files as saved: an account with a secret, or a Latchkey entry with backup codes only. */
type PlannedEntry = { kind: 'entry'; entry: ImportedEntry; extras?: AccountExtras } | { kind: 'codes-only'; entry: CodesOnlyEntry; extras: AccountExtras };

/** The import in progress: the entries (secrets included) stay here, in main. */
export class ImportPlan {
  private readonly entries: (PlannedEntry | null)[] = [];
  readonly preview: ImportPreviewEntry[] = [];

  /** `saved` tells codes-only duplicates and what saved accounts hold (needed for Latchkey backups). */
  constructor(files: ImportFileResult[], findBySecret: (secret: string) => AccountSummary | null, nowMs: number, private readonly saved: SavedExtras | null = null) {
    // Never an account without the backup codes it came with: the caller opens them first.
    if (hasSealedExtras(files)) throw new LatchkeyError('BACKUP_CODES_SEALED', 'Give that vault’s password too.');
    // Earlier entries of these files, by secret bytes (duplicates.ts has the rule), and codes-only entries by names.
    const seen = new Map<string, ImportedEntry>();
    const seenCodesOnly = new Map<string, { issuer: string; label: string }>();
    for (const file of files) {
      for (const item of file.items) {
        const index = this.preview.length;
        const base = { index, fileName: file.fileName, format: file.format };
        if (item.kind === 'refused' && item.codesOnly) {
          this.addCodesOnly(base, { kind: 'codes-only', ...item.codesOnly }, seenCodesOnly);
          continue;
        }
        if (item.kind === 'refused') {
          this.entries.push(null);
          this.preview.push({ ...base, issuer: item.issuer, label: item.label, type: null, algorithm: null, digits: null, period: null, counter: null, group: null, code: null, status: 'refused', duplicateOf: null, reason: item.reason });
          continue;
        }
        const entry = item.entry;
        let code: string;
        let identity: string;
        try {
          const secret = decodeBase32(entry.secret);
          identity = identityOf(secret);
          code = createCodeGenerator({ ...entry, secret }).codeAt(nowMs);
        } catch (error) {
          if (!(error instanceof LatchkeyError)) throw error;
          this.entries.push(null);
          this.preview.push({ ...base, issuer: entry.issuer, label: entry.label, type: null, algorithm: null, digits: null, period: null, counter: null, group: null, code: null, status: 'refused', duplicateOf: null, reason: error.message });
          continue;
        }
        const saved = findBySecret(entry.secret);
        const earlier = seen.get(identity);
        const other = saved ?? earlier;
        const duplicateOf = other ? { id: saved ? saved.id : null, issuer: other.issuer, label: other.label, differs: settingsThatDiffer(entry, other) } : null;
        if (!earlier) seen.set(identity, entry);
        this.entries.push(item);
        this.preview.push({
          ...base,
          issuer: entry.issuer,
          label: entry.label,
          type: entry.type,
          algorithm: entry.algorithm,
          digits: entry.digits,
          period: entry.type === 'hotp' ? null : entry.period,
          counter: entry.type === 'hotp' ? entry.counter : null,
          group: entry.group,
          code,
          status: duplicateOf ? 'duplicate' : 'new',
          duplicateOf,
          reason: null,
          extras: extrasView(item.extras, duplicateOf, this.saved),
        });
      }
    }
  }

  /**
   * The codes now of some entries (those the window shows), so that the preview keeps showing the
   * code to compare with the old app after the first one expires. Refused entries have none;
   * HOTP codes do not change with time but are answered too.
   */
  codesNow(indexes: readonly number[], nowMs: number): { index: number; code: string }[] {
    const codes: { index: number; code: string }[] = [];
    for (const index of new Set(indexes)) {
      const planned = Number.isInteger(index) ? this.entries[index] : undefined;
      const entry = planned?.kind === 'entry' ? planned.entry : null;
      if (entry) codes.push({ index, code: createCodeGenerator({ ...entry, secret: decodeBase32(entry.secret) }).codeAt(nowMs) });
    }
    return codes;
  }

  /** A codes-only entry: no code to show; a duplicate when a saved or earlier codes-only entry has its names. */
  private addCodesOnly(base: { index: number; fileName: string; format: string }, item: Extract<PlannedEntry, { kind: 'codes-only' }>, seen: Map<string, { issuer: string; label: string }>): void {
    const { issuer, label, group } = item.entry;
    const key = `codes-only:${namesKey(item.entry)}`;
    const saved = this.saved?.findCodesOnly(issuer, label) ?? null;
    const earlier = seen.get(key);
    const duplicateOf = saved ? { id: saved.id, issuer: saved.issuer, label: saved.label } : earlier ? { id: null, ...earlier } : null;
    if (!earlier) seen.set(key, { issuer, label });
    this.entries.push(item);
    const status = duplicateOf ? 'duplicate' : 'new';
    this.preview.push({ ...base, issuer, label, type: null, algorithm: null, digits: null, period: null, counter: null, group, code: null, status, duplicateOf, reason: null, extras: extrasView(item.extras, duplicateOf, this.saved) });
  }

  /** The indexes imported when the user changes nothing: every new entry, no duplicate. */
  defaultChoice(): number[] {
    return this.preview.filter((entry) => entry.status === 'new').map((entry) => entry.index);
  }

  /**
   * Saves the chosen entries in one vault write (all or none) and reports on every entry.
   * A chosen duplicate or refused entry is not saved: duplicates are skipped, refusals stay refused.
   */
  async save(accounts: AccountsService, chosen: readonly number[] = this.defaultChoice()): Promise<ImportReport> {
    const wanted = new Set(chosen);
    for (const index of wanted) {
      if (!Number.isInteger(index) || index < 0 || index >= this.preview.length) throw new LatchkeyError('INVALID_INPUT', `There is no entry ${index} in this import.`);
    }
    const batch: ImportBatch = { toSave: [], codesOnly: [], intoSaved: [], notImported: [] };
    const { toSave, codesOnly, intoSaved, notImported } = batch;
    const report: ImportReport = { total: this.preview.length, imported: 0, skippedDuplicates: 0, leftOut: 0, refused: [], ids: [] };
    for (const preview of this.preview) {
      const planned = this.entries[preview.index];
      if (preview.status === 'refused' || !planned) {
        report.refused.push({ index: preview.index, fileName: preview.fileName, issuer: preview.issuer, label: preview.label, reason: preview.reason ?? '' });
      } else if (preview.status === 'duplicate') {
        report.skippedDuplicates++;
        // A duplicate's backup codes and connection are not dropped: they go to the saved account.
        if (preview.duplicateOf?.id && planned.extras) intoSaved.push({ index: preview.index, id: preview.duplicateOf.id, extras: planned.extras });
        else if (preview.extras) notImported.push({ index: preview.index, accountId: '', outcome: { codeSets: 0, connections: 0, outcome: `Brought ${preview.extras.description}. ${EARLIER_IN_FILES}` } });
      } else if (!wanted.has(preview.index)) report.leftOut++;
      else if (planned.kind === 'codes-only') codesOnly.push({ index: preview.index, ...planned });
      else toSave.push({ index: preview.index, ...planned });
    }
    // Nothing to save: the vault is not written at all.
    if (toSave.length === 0 && codesOnly.length === 0 && !intoSaved.some(({ extras }) => hasExtras(extras))) return withExtras(report, notImported, this.preview);
    return saveImport(accounts, this.saved, batch, report, this.preview);
  }
}
