import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ERROR_SENTENCES, isLatchkeyError, LatchkeyError } from '../../shared/errors';
import type { AccountsService } from '../main/accounts';
import { type ImportFileResult, ImportPlan, type ImportPreviewEntry, MAX_IMPORT_BYTES, openSealedExtras, readImportSources, savedExtrasLookup, savedSecretLookup } from '../main/importers';
import type { VaultService } from '../main/vault';
import { displayName } from './account-query';
import type { CliIo } from './io';

/** What `latchkey import` needs from the command line around it. */
export interface ImportContext {
  io: CliIo;
  json: boolean;
  dryRun: boolean;
  format: string | undefined;
  filePasswordStdin: boolean;
  accounts: AccountsService;
  vault: VaultService;
  now: () => number;
  unlock: () => Promise<void>;
  /** Reads a secret from the terminal (no echo) or standard input. */
  readSecret: (prompt: string) => Promise<string>;
}

/** The most files one import reads (a folder of pictures, say). */
const MAX_FILES = 1000;

/**
 * `latchkey import <file|folder>... [--format F] [--file-password-stdin] [--dry-run] [--json]`:
 * reads every file first (any file that cannot be read fails the whole import, naming it), then
 * saves every new entry in one vault write and reports imported, skipped and refused entries.
 */
export async function runImport(paths: string[], context: ImportContext): Promise<void> {
  const files = await readInputs(paths, context);
  let password: string | null = context.io.env.LATCHKEY_IMPORT_PASSWORD || null;
  if (context.filePasswordStdin) password = await context.readSecret('Password of the export file: ');
  const results = await readWithHints(files, context.format, password);
  await openBackupExtras(results, [password, context.io.env.LATCHKEY_BACKUP_VAULT_PASSWORD || null, context.io.env.LATCHKEY_PASSWORD || null]);
  await context.unlock();
  const plan = new ImportPlan(results, savedSecretLookup(context.vault), context.now(), savedExtrasLookup(context.vault));
  if (context.dryRun) return printPreview(context, results, plan.preview);
  const report = await plan.save(context.accounts);
  if (context.json) {
    const refused = report.refused.map(({ fileName, issuer, label, reason }) => ({ file: fileName, issuer, label, reason }));
    const extras = report.extras ? { backupCodeSets: report.backupCodeSets, connections: report.connections, extras: report.extras } : {};
    const output = { imported: report.imported, skipped: report.skippedDuplicates, ids: report.ids, ...(refused.length > 0 ? { refused } : {}), ...extras };
    return context.io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  }
  context.io.stdout(`Imported ${report.imported} account${report.imported === 1 ? '' : 's'}, skipped ${report.skippedDuplicates} already in the vault.\n`);
  if (report.refused.length > 0) {
    context.io.stdout(`Refused ${report.refused.length} entr${report.refused.length === 1 ? 'y' : 'ies'}:\n`);
    for (const entry of report.refused) context.io.stdout(`  ${displayName(entry)}: ${entry.reason}\n`);
  }
  // A Latchkey backup's backup codes and provider connections, entry by entry.
  for (const entry of report.extras ?? []) context.io.stdout(`  ${displayName(entry)}: ${entry.outcome}\n`);
}

/** Every file named (folders expanded; `-` is standard input), read whole before anything is parsed. */
async function readInputs(paths: string[], context: ImportContext): Promise<{ name: string; bytes: Uint8Array }[]> {
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const file of await expandPaths(paths.filter((given) => given !== '-'))) files.push({ name: path.basename(file), bytes: await readOne(file) });
  if (paths.includes('-')) {
    const text = await context.io.readStdin();
    if (text.length > MAX_IMPORT_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `Standard input is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
    files.push({ name: 'stdin', bytes: new TextEncoder().encode(text) });
  }
  return files;
}

/** As readImportSources, with a hint on how to give the file password when one is missing. */
async function readWithHints(files: { name: string; bytes: Uint8Array }[], format: string | undefined, password: string | null): Promise<ImportFileResult[]> {
  try {
    return await readImportSources(files, { format, password });
  } catch (error) {
    if (!isLatchkeyError(error, 'IMPORT_PASSWORD_REQUIRED')) throw error;
    const detail = error.message.slice(ERROR_SENTENCES[error.code].length).trim();
    throw new LatchkeyError(error.code, `${detail} Give it with --file-password-stdin or in LATCHKEY_IMPORT_PASSWORD.`.trim(), { cause: error });
  }
}

/** A Latchkey backup's backup codes sealed by the password of the vault it came from, opened with it. */
async function openBackupExtras(results: ImportFileResult[], passwords: (string | null)[]): Promise<void> {
  try {
    await openSealedExtras(results, passwords);
  } catch (error) {
    if (!isLatchkeyError(error, 'BACKUP_CODES_SEALED')) throw error;
    throw new LatchkeyError(error.code, 'Give that vault’s password in LATCHKEY_BACKUP_VAULT_PASSWORD.', { cause: error });
  }
}

async function expandPaths(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const info = await stat(given).catch((error: NodeJS.ErrnoException) => {
      throw new LatchkeyError('IO_ERROR', `Could not read ${given} (${error.code ?? 'unknown error'}).`);
    });
    if (info.isDirectory()) {
      const names = (await readdir(given)).filter((name) => !name.startsWith('.')).sort();
      for (const name of names) {
        const full = path.join(given, name);
        if ((await stat(full)).isFile()) files.push(full);
      }
    } else if (info.isFile()) files.push(given);
    // A device or a pipe could be endless: only regular files are read.
    else throw new LatchkeyError('INVALID_INPUT', `${given} is not a regular file or a folder.`);
    if (files.length > MAX_FILES) throw new LatchkeyError('INVALID_INPUT', `That is more than ${MAX_FILES} files; import them in smaller groups.`);
  }
  if (files.length === 0 && paths.length > 0) throw new LatchkeyError('INVALID_INPUT', 'There are no files to import there.');
  return files;
}

async function readOne(file: string): Promise<Uint8Array> {
  const info = await stat(file);
  if (info.size > MAX_IMPORT_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `${file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
  try {
    return await readFile(file);
  } catch (error) {
    throw new LatchkeyError('IO_ERROR', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
  }
}

function printPreview(context: ImportContext, results: ImportFileResult[], preview: ImportPreviewEntry[]): void {
  const counts = { total: preview.length, new: 0, duplicate: 0, refused: 0 };
  for (const entry of preview) counts[entry.status]++;
  if (context.json) {
    const files = results.map((result) => ({ file: result.fileName, format: result.format }));
    return context.io.stdout(`${JSON.stringify({ files, entries: preview, counts }, null, 2)}\n`);
  }
  for (const entry of preview) {
    if (entry.status === 'refused') context.io.stdout(`refused    ${displayName(entry)}: ${entry.reason}\n`);
    else {
      const kind = `${entry.type?.toUpperCase()} ${entry.algorithm} ${entry.digits}${entry.type === 'hotp' ? ` counter ${entry.counter}` : ` ${entry.period} s`}`;
      const differs = entry.duplicateOf?.differs?.length ? ` (its ${entry.duplicateOf.differs.join(', ')} ${entry.duplicateOf.differs.length === 1 ? 'differs' : 'differ'})` : '';
      const duplicate = entry.duplicateOf ? `, same ${entry.type ? 'secret' : 'names'} as ${displayName(entry.duplicateOf)}${entry.duplicateOf.id ? '' : ' in this import'}${differs}` : '';
      const extras = entry.extras ? `, with ${entry.extras.description}${entry.extras.note ? `. ${entry.extras.note}` : ''}` : '';
      context.io.stdout(`${entry.status.padEnd(10)} ${(entry.code ?? '').padEnd(10)} ${displayName(entry)}  (${entry.type ? kind : 'backup codes only'}${duplicate}${extras})\n`);
    }
  }
  context.io.stdout(`Would import ${counts.new}, skip ${counts.duplicate} duplicate${counts.duplicate === 1 ? '' : 's'}, refuse ${counts.refused}; nothing was saved.\n`);
}

