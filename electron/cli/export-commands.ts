import { readFile, stat } from 'node:fs/promises';
import { LatchkeyError } from '../../shared/errors';
import { buildExport, contentForBackup, EXPORT_FORMATS, exportNeedsPassword, isExportFormat, PLAIN_EXPORT_WARNING, restoreBackup, writeExportFile } from '../main/exporters';
import { MAX_IMPORT_BYTES } from '../main/importers';
import { openSeal } from '../main/recovery/seal';
import type { VaultContent, VaultService } from '../main/vault';
import { loadSodium } from '../main/vault/sodium';
import type { CliIo } from './io';

export interface ExportContext {
  io: CliIo;
  vault: VaultService;
  format: string | undefined;
  filePasswordStdin: boolean;
  unlock: () => Promise<void>;
  /** The password the vault was opened with (null: the keychain): it opens the backup codes' seal too. */
  unlockPassword: () => string | null;
  readSecret: (prompt: string) => Promise<string>;
}

/** `latchkey export <file> --format latchkey|aegis|aegis-plain|uris [--file-password-stdin]`. */
export async function runExport(file: string, context: ExportContext): Promise<void> {
  const format = context.format ?? 'latchkey';
  if (!isExportFormat(format)) throw new LatchkeyError('INVALID_INPUT', `Unknown export format '${format.slice(0, 40)}'. Choose one of: ${EXPORT_FORMATS.join(', ')}.`);
  let password: string | null = null;
  if (exportNeedsPassword(format)) {
    password = context.filePasswordStdin ? await context.readSecret('Password for the exported file: ') : context.io.env.LATCHKEY_EXPORT_PASSWORD || null;
    if (password === null) throw new LatchkeyError('PASSWORD_REQUIRED', 'The exported file needs a password of its own: give it with --file-password-stdin or in LATCHKEY_EXPORT_PASSWORD.');
  } else {
    context.io.stderr(`Warning: ${PLAIN_EXPORT_WARNING}\n`);
  }
  await context.unlock();
  const { content, sealed } = format === 'latchkey' ? await backupContent(context) : { content: context.vault.content(), sealed: false };
  const text = await buildExport(format, content, password);
  await writeExportFile(file, text);
  context.io.stderr(`Exported ${content.accounts.length} account${content.accounts.length === 1 ? '' : 's'} to ${file} (${format}).\n`);
  if (sealed) {
    context.io.stderr('Its backup codes and provider credentials stay sealed with this vault\'s password (the vault was opened through the keychain): a restore asks for that password too. Give it in LATCHKEY_PASSWORD to write them under the backup password alone.\n');
  }
}

/** The vault content for a Latchkey backup, its sealed parts opened with the vault password when it was given. */
async function backupContent(context: ExportContext): Promise<{ content: VaultContent; sealed: boolean }> {
  const content = context.vault.content();
  const seal = content.recovery.seal;
  const password = context.unlockPassword();
  if (seal === null || password === null) return contentForBackup(content, null);
  const sodium = await loadSodium();
  let key: Uint8Array;
  try {
    key = openSeal(sodium, seal, password);
  } catch {
    // A seal the vault password does not open (it was swapped): the codes stay as they are.
    return contentForBackup(content, null);
  }
  try {
    return await contentForBackup(content, key);
  } finally {
    sodium.memzero(key);
  }
}

export interface RestoreContext {
  io: CliIo;
  vault: VaultService;
  filePasswordStdin: boolean;
  useKeychain: boolean;
  /** The new vault's password (LATCHKEY_PASSWORD or --password-stdin), or null for the keychain alone. */
  vaultPassword: () => Promise<string | null>;
  readSecret: (prompt: string) => Promise<string>;
}

/** `latchkey restore <file>`: a new vault from a Latchkey backup. */
export async function runRestore(file: string, context: RestoreContext): Promise<void> {
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new LatchkeyError('INVALID_INPUT', `${file} is not a regular file.`);
    if (info.size > MAX_IMPORT_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `It is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    throw new LatchkeyError('IO_ERROR', `Could not read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'}).`);
  }
  if (bytes.length > MAX_IMPORT_BYTES) throw new LatchkeyError('INVALID_IMPORT_FILE', `It is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`);
  const backupPassword = context.filePasswordStdin ? await context.readSecret('Backup password: ') : context.io.env.LATCHKEY_IMPORT_PASSWORD || null;
  if (backupPassword === null) throw new LatchkeyError('IMPORT_PASSWORD_REQUIRED', 'Give the backup password with --file-password-stdin or in LATCHKEY_IMPORT_PASSWORD.');
  const password = await context.vaultPassword();
  if (!context.useKeychain && password === null) throw new LatchkeyError('PASSWORD_REQUIRED', 'Without the keychain the new vault needs a password: give it in LATCHKEY_PASSWORD.');
  const sourceVaultPassword = context.io.env.LATCHKEY_BACKUP_VAULT_PASSWORD || null;
  const result = await restoreBackup(context.vault, bytes, backupPassword, { password, useKeychain: context.useKeychain, sourceVaultPassword });
  const extras = result.codeSets + result.connections > 0 ? ` (with ${result.codeSets} set${result.codeSets === 1 ? '' : 's'} of backup codes and ${result.connections} provider connection${result.connections === 1 ? '' : 's'})` : '';
  context.io.stderr(`Restored ${result.accounts} account${result.accounts === 1 ? '' : 's'}${extras} from the backup of ${new Date(result.createdAt).toISOString()} into a new vault in ${context.vault.dir}.\n`);
}
