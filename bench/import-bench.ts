import { createHash, scryptSync } from 'node:crypto';
import { aegisEncryptedExport } from '../electron/main/exporters/aegis';
import { DEFAULT_BACKUP_COST, deriveBackupKey, readBackup, writeBackup, writeBackupWithKey } from '../electron/main/exporters/latchkey-backup';
import { otpauthUriExport } from '../electron/main/exporters/uris';
import { ImportPlan, readExportFile } from '../electron/main/importers';
import { encodeBase32 } from '../electron/main/otp';
import type { ExportableAccount } from '../electron/main/accounts';
import { loadSodium } from '../electron/main/vault/sodium';
import { median } from './vault-bench';
import { emptyContent } from '../electron/main/vault/content';

export interface ImportBenchResult {
  accounts: number;
  /** Import of an encrypted Aegis vault: the whole read plus the preview, and scrypt alone. */
  aegisMs: number;
  aegisKdfMs: number;
  /** Import of a list of otpauth:// links with the preview. */
  urisMs: number;
  /** Writing and reading a Latchkey backup, and Argon2id alone (once per write or read). */
  backupWriteMs: number;
  backupReadMs: number;
  backupKdfMs: number;
  /**
   * The same work without the key derivation, timed directly rather than by subtracting two noisy medians:
   * writing with a key derived beforehand, and reading a backup whose Argon2id cost is the smallest
   * the format allows (1 pass over 8 KiB, well under a millisecond).
   */
  backupWriteBeyondKdfMs: number;
  backupReadBeyondKdfMs: number;
}

/** Deterministic accounts of every kind (secrets from a hash, not from randomness). */
function accounts(count: number): ExportableAccount[] {
  return Array.from({ length: count }, (_, index) => {
    const secret = encodeBase32(createHash('sha1').update(`latchkey import bench ${index}`).digest());
    const type = index % 10 === 9 ? 'hotp' : index % 50 === 7 ? 'steam' : 'totp';
    return {
      id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      type,
      secret,
      issuer: `Service ${index}`,
      label: `user${index}@example.com`,
      algorithm: type === 'steam' ? 'SHA1' : (['SHA1', 'SHA256', 'SHA512'] as const)[index % 3] ?? 'SHA1',
      digits: type === 'steam' ? 5 : 6 + (index % 3),
      period: 30,
      counter: type === 'hotp' ? index : 0,
      group: index % 4 === 0 ? 'Work' : null,
      notes: '',
      createdAt: 0,
      updatedAt: 0,
      lastUsedAt: null,
    };
  });
}

async function timed(run: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function importAndPreview(bytes: Uint8Array, password: string | null): Promise<void> {
  const result = await readExportFile(bytes, { password });
  new ImportPlan([result], () => null, Date.now());
}

export async function benchImport(count = 10_000, runs = 5): Promise<ImportBenchResult> {
  const list = accounts(count);
  const aegis = new TextEncoder().encode(aegisEncryptedExport(list, 'bench password'));
  const uris = new TextEncoder().encode(otpauthUriExport(list));
  const sodium = await loadSodium();
  const content = { ...emptyContent(), accounts: list };
  const backupText = await writeBackup(content, 'bench password');
  const backup = JSON.parse(backupText) as unknown;
  const backupKey = await deriveBackupKey('bench password');
  const cheapBackup = JSON.parse(await writeBackup(content, 'bench password', { opsLimit: 1, memLimit: 8192 })) as unknown;
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const result: Record<string, number[]> = { aegisMs: [], aegisKdfMs: [], urisMs: [], backupWriteMs: [], backupReadMs: [], backupKdfMs: [], backupWriteBeyondKdfMs: [], backupReadBeyondKdfMs: [] };
  for (let run = 0; run < runs; run++) {
    result.aegisMs?.push(await timed(() => importAndPreview(aegis, 'bench password')));
    result.aegisKdfMs?.push(await timed(() => scryptSync('bench password', salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })));
    result.urisMs?.push(await timed(() => importAndPreview(uris, null)));
    result.backupWriteMs?.push(await timed(() => writeBackup(content, 'bench password')));
    result.backupReadMs?.push(await timed(() => readBackup(backup, 'bench password')));
    result.backupWriteBeyondKdfMs?.push(await timed(() => writeBackupWithKey(content, backupKey)));
    result.backupReadBeyondKdfMs?.push(await timed(() => readBackup(cheapBackup, 'bench password')));
    result.backupKdfMs?.push(await timed(() => sodium.crypto_pwhash(32, 'bench password', salt, DEFAULT_BACKUP_COST.opsLimit, DEFAULT_BACKUP_COST.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13)));
  }
  const m = (key: string) => median(result[key] ?? []);
  return { accounts: count, aegisMs: m('aegisMs'), aegisKdfMs: m('aegisKdfMs'), urisMs: m('urisMs'), backupWriteMs: m('backupWriteMs'), backupReadMs: m('backupReadMs'), backupKdfMs: m('backupKdfMs'), backupWriteBeyondKdfMs: m('backupWriteBeyondKdfMs'), backupReadBeyondKdfMs: m('backupReadBeyondKdfMs') };
}
