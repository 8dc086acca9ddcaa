import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import { badFile } from '../importers/entry';
import { isRecord } from '../importers/source';
import { loadSodium } from '../vault/sodium';
import { parseContent, type VaultContent } from '../vault/content';

/** The Latchkey backup file (docs/backup-format.md): the vault content under a backup password. */
export const BACKUP_FORMAT = 'latchkey-backup';
export const BACKUP_VERSION = 1;
const SUPPORTED_VERSIONS = [1];
const CIPHER = 'xchacha20poly1305-ietf';
const MAX_OPS = 10;
const MAX_MEM = 1024 * 1024 * 1024;

export interface BackupCost {
  opsLimit: number;
  memLimit: number;
}
export const DEFAULT_BACKUP_COST: BackupCost = { opsLimit: 3, memLimit: 64 * 1024 * 1024 };

const kdfSchema = z.object({
  algorithm: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1).max(MAX_OPS),
  memLimit: z.number().int().min(8192).max(MAX_MEM),
  salt: z.string().max(64),
});
const fileSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number(),
  createdAt: z.number().int(),
  kdf: kdfSchema,
  cipher: z.literal(CIPHER),
  nonce: z.string().max(64),
  ciphertext: z.string(),
});
const payloadSchema = z.object({ kind: z.literal('latchkey-vault-content'), content: z.unknown() });

function associatedData(header: { format: string; version: number; createdAt: number; kdf: z.infer<typeof kdfSchema>; cipher: string }): Uint8Array {
  const { format, version, createdAt, kdf, cipher } = header;
  const ordered = { format, version, createdAt, kdf: { algorithm: kdf.algorithm, opsLimit: kdf.opsLimit, memLimit: kdf.memLimit, salt: kdf.salt }, cipher };
  return new TextEncoder().encode(`latchkey-backup-v1|${JSON.stringify(ordered)}`);
}

export function isLatchkeyBackup(value: unknown): boolean {
  return isRecord(value) && value.format === BACKUP_FORMAT;
}

/** A backup key derived once from a password, with the parameters that derive it again. */
export interface BackupKey {
  kdf: z.infer<typeof kdfSchema>;
  key: Uint8Array;
}

export async function deriveBackupKey(password: string, cost: BackupCost = DEFAULT_BACKUP_COST): Promise<BackupKey> {
  if (password === '') throw new LatchkeyError('INVALID_INPUT', 'A backup needs a password.');
  const sodium = await loadSodium();
  const salt = sodium.randombytes_buf(sodium.crypto_pwhash_SALTBYTES);
  const kdf = { algorithm: 'argon2id13' as const, opsLimit: cost.opsLimit, memLimit: cost.memLimit, salt: sodium.to_base64(salt, sodium.base64_variants.ORIGINAL) };
  return { kdf, key: sodium.crypto_pwhash(32, password, salt, kdf.opsLimit, kdf.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13) };
}

/** Encrypts the vault content into a backup file's text. */
export async function writeBackup(content: Readonly<VaultContent>, password: string, cost: BackupCost = DEFAULT_BACKUP_COST, now = Date.now()): Promise<string> {
  const backupKey = await deriveBackupKey(password, cost);
  try {
    return await writeBackupWithKey(content, backupKey, now);
  } finally {
    (await loadSodium()).memzero(backupKey.key);
  }
}

/**
 * Encrypts with a key derived earlier (automatic backups derive it once, when they are set up):
 * the file is the same as writeBackup's and opens with the password alone.
 */
export async function writeBackupWithKey(content: Readonly<VaultContent>, backupKey: BackupKey, now = Date.now()): Promise<string> {
  const sodium = await loadSodium();
  const b64 = (bytes: Uint8Array) => sodium.to_base64(bytes, sodium.base64_variants.ORIGINAL);
  const header = { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: now, kdf: backupKey.kdf, cipher: CIPHER };
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const payload = new TextEncoder().encode(JSON.stringify({ kind: 'latchkey-vault-content', content }));
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(payload, associatedData(header), null, nonce, backupKey.key);
  sodium.memzero(payload);
  return `${JSON.stringify({ ...header, nonce: b64(nonce), ciphertext: b64(ciphertext) }, null, 2)}\n`;
}

/** Decrypts and checks a backup; throws typed errors for a wrong password, a damaged file or an unknown version. */
export async function readBackup(value: unknown, password: string | null): Promise<{ createdAt: number; content: VaultContent }> {
  if (!isLatchkeyBackup(value)) throw badFile('It is not a Latchkey backup.');
  const version = (value as { version?: unknown }).version;
  if (typeof version !== 'number' || !SUPPORTED_VERSIONS.includes(version)) {
    throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', `It is a Latchkey backup of version ${String(version).slice(0, 12)}; this Latchkey reads version ${SUPPORTED_VERSIONS.join(', ')}. Update Latchkey to read it.`);
  }
  const file = fileSchema.safeParse(value);
  if (!file.success) throw badFile('Its Latchkey backup header is damaged or asks for a key derivation cost beyond the limits.');
  if (password === null) throw new LatchkeyError('IMPORT_PASSWORD_REQUIRED', 'It is a Latchkey backup (its backup password).');
  const sodium = await loadSodium();
  let plain: Uint8Array;
  try {
    const salt = sodium.from_base64(file.data.kdf.salt, sodium.base64_variants.ORIGINAL);
    const nonce = sodium.from_base64(file.data.nonce, sodium.base64_variants.ORIGINAL);
    const ciphertext = sodium.from_base64(file.data.ciphertext, sodium.base64_variants.ORIGINAL);
    if (salt.length !== sodium.crypto_pwhash_SALTBYTES || nonce.length !== sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES) throw badFile('Its Latchkey backup header is damaged.');
    const key = sodium.crypto_pwhash(32, password, salt, file.data.kdf.opsLimit, file.data.kdf.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    try {
      plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, associatedData(file.data), nonce, key);
    } catch {
      throw new LatchkeyError('IMPORT_WRONG_PASSWORD', 'Check the backup password (or the file is damaged) and try again.');
    } finally {
      sodium.memzero(key);
    }
  } catch (error) {
    if (error instanceof LatchkeyError) throw error;
    throw badFile('Its Latchkey backup is damaged.');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(plain)) as unknown;
  } finally {
    sodium.memzero(plain);
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) throw badFile('Its Latchkey backup content is not a vault content Latchkey reads.');
  return { createdAt: file.data.createdAt, content: backupContent(payload.data.content) };
}

/** Every content schema a vault has had (a backup made by an older Latchkey is upgraded, as a vault is). */
function backupContent(json: unknown): VaultContent {
  try {
    return parseContent(json);
  } catch (error) {
    if (error instanceof LatchkeyError && error.code === 'UNSUPPORTED_VAULT_VERSION') throw badFile(`Its content is newer than this Latchkey reads. ${error.message}`);
    throw badFile('Its Latchkey backup content is not a vault content Latchkey reads.');
  }
}
