import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checksumOf, CHECKSUM_BYTES } from '../../electron/main/vault/format';
import { loadSodium } from '../../electron/main/vault/sodium';

const PREAMBLE_BYTES = 14;

/** The header JSON of a vault file, parsed. */
export function headerOf(bytes: Uint8Array): Record<string, unknown> & { generation: number; vaultId: string; slots: Record<string, unknown>[] } {
  const buffer = Buffer.from(bytes);
  const length = buffer.readUInt32BE(10);
  return JSON.parse(buffer.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + length).toString('utf8')) as ReturnType<typeof headerOf>;
}

/**
 * The file with its header replaced by `edit(header)` and the checksum recomputed: what a forger
 * who knows the format writes (the content, bound to the old header, no longer decrypts).
 */
export async function withEditedHeader(bytes: Uint8Array, edit: (header: ReturnType<typeof headerOf>) => unknown): Promise<Buffer> {
  const sodium = await loadSodium();
  const buffer = Buffer.from(bytes);
  const length = buffer.readUInt32BE(10);
  const header = Buffer.from(JSON.stringify(edit(headerOf(bytes))), 'utf8');
  const rest = buffer.subarray(PREAMBLE_BYTES + length, buffer.length - CHECKSUM_BYTES);
  const body = Buffer.concat([buffer.subarray(0, 10), Buffer.alloc(4), header, rest]);
  body.writeUInt32BE(header.length, 10);
  return Buffer.concat([body, Buffer.from(checksumOf(sodium, body))]);
}

/** vault.lkv and every backup in the folder, by name. */
export function vaultFilesIn(dir: string): { name: string; bytes: Buffer }[] {
  const files = [{ name: 'vault.lkv', bytes: readFileSync(path.join(dir, 'vault.lkv')) }];
  let backups: string[] = [];
  try {
    backups = readdirSync(path.join(dir, 'backups')).filter((name) => name.endsWith('.lkv'));
  } catch {
    backups = [];
  }
  for (const name of backups.sort()) files.push({ name: `backups/${name}`, bytes: readFileSync(path.join(dir, 'backups', name)) });
  return files;
}

export function backupGenerations(dir: string): number[] {
  return vaultFilesIn(dir)
    .filter((file) => file.name.startsWith('backups/'))
    .map((file) => Number(/vault-(\d+)\.lkv$/.exec(file.name)?.[1]))
    .sort((a, b) => a - b);
}
