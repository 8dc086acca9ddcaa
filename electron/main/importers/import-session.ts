import { LatchkeyError } from '../../../shared/errors';
import type { AccountsService } from '../accounts';
import type { VaultService } from '../vault';
import { openSealedExtras } from './backup-extras';
import { savedExtrasLookup } from './backup-merge';
import { savedSecretLookup } from './duplicates';
import { ImportPlan, type ImportReport } from './preview';
import { readImportSources } from './read-files';
import { importFormats } from './registry';

const MAX_FILES = 1000;
/** All files of one import together: a hostile folder must not fill memory. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

export interface ImportRequest {
  files: { name: string; data: string }[];
  format?: string;
  password?: string;
  /** The password of the vault a Latchkey backup was made from, when it is not the backup's. */
  sourceVaultPassword?: string;
}

export interface ImportPreviewResult {
  files: { fileName: string; format: string; formatTitle: string }[];
  entries: ImportPlan['preview'];
}

/**
 * The window's import in progress: the files' entries (secrets included) stay here, in main,
 * between the preview and the save. Dropped on lock, on cancel and after the save.
 */
export class ImportSession {
  private plan: ImportPlan | null = null;

  constructor(
    private readonly accounts: AccountsService,
    private readonly vault: VaultService,
    private readonly now: () => number = Date.now,
  ) {
    vault.onEvent((event) => {
      if (event === 'locked') this.plan = null;
    });
  }

  formats(): { id: string; title: string }[] {
    return importFormats();
  }

  async read(request: ImportRequest): Promise<ImportPreviewResult> {
    this.plan = null;
    if (request.files.length === 0) throw new LatchkeyError('INVALID_INPUT', 'Choose at least one file.');
    if (request.files.length > MAX_FILES) throw new LatchkeyError('INVALID_INPUT', `That is more than ${MAX_FILES} files; import them in smaller groups.`);
    const total = request.files.reduce((sum, file) => sum + (file.data.length * 3) / 4, 0);
    if (total > MAX_TOTAL_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `The files come to more than ${MAX_TOTAL_BYTES / 1024 / 1024} MiB together.`);
    const files = request.files.map((file) => ({ name: file.name, bytes: Buffer.from(file.data, 'base64') }));
    const results = await readImportSources(files, { format: request.format, password: request.password ?? null });
    await openSealedExtras(results, [request.password ?? null, request.sourceVaultPassword ?? null]);
    // Throws VAULT_LOCKED before anything is kept.
    const plan = new ImportPlan(results, savedSecretLookup(this.vault), this.now(), savedExtrasLookup(this.vault));
    this.plan = plan;
    return { files: results.map(({ fileName, format, formatTitle }) => ({ fileName, format, formatTitle })), entries: plan.preview };
  }

  /** Saves the chosen entries in one write and forgets the import. */
  async confirm(chosen: number[]): Promise<ImportReport> {
    const plan = this.plan;
    if (!plan) throw new LatchkeyError('INVALID_INPUT', 'There is no import waiting to be saved; read the files again.');
    const report = await plan.save(this.accounts, chosen);
    this.plan = null;
    return report;
  }

  /** The codes now of entries of the import read last (the rows the window shows). */
  codes(indexes: number[]): { index: number; code: string }[] {
    if (!this.plan) throw new LatchkeyError('INVALID_INPUT', 'There is no import waiting to be saved; read the files again.');
    return this.plan.codesNow(indexes, this.now());
  }

  cancel(): void {
    this.plan = null;
  }
}
