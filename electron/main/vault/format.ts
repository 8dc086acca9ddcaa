import { z } from 'zod';
import { LatchkeyError } from '../../../shared/errors';
import type { Sodium } from './sodium';

/**
 * The binary layout of vault.lkv, as docs/vault-format.md specifies:
 * magic | version u16 | header length u32 | header JSON | nonce | ciphertext | BLAKE2b-256 checksum
 */
export const MAGIC = new TextEncoder().encode('LTCHKVLT');
export const CURRENT_FORMAT_VERSION = 1;
const VERSION_BYTES = 2;
const HEADER_LENGTH_BYTES = 4;
const PREAMBLE_BYTES = MAGIC.length + VERSION_BYTES + HEADER_LENGTH_BYTES;
export const NONCE_BYTES = 24;
const TAG_BYTES = 16;
export const CHECKSUM_BYTES = 32;
const MAX_HEADER_BYTES = 1024 * 1024;
const MIN_FILE_BYTES = PREAMBLE_BYTES + 2 + NONCE_BYTES + TAG_BYTES + CHECKSUM_BYTES;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

/**
 * The most Argon2id work a header may ask for (docs/vault-format.md, "Limits"): the KDF runs before
 * anything in the file is authenticated, so a forged header must not be able to ask for more memory
 * than a desktop can give, or for minutes of CPU. The bounds are Bitwarden's for Argon2id (at most
 * 10 passes, at most 1 GiB), and the total work at most libsodium's SENSITIVE level (4 passes over
 * 1 GiB); our default (3 passes over 64 MiB) is far below.
 */
export const MAX_KDF_OPS_LIMIT = 10;
export const MAX_KDF_MEM_LIMIT = 1024 * 1024 * 1024;
export const MAX_KDF_WORK = 4 * MAX_KDF_MEM_LIMIT;
const MIN_KDF_MEM_LIMIT = 8192;

export const kdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id13'),
    opsLimit: z.number().int().min(1).max(MAX_KDF_OPS_LIMIT),
    memLimit: z.number().int().min(MIN_KDF_MEM_LIMIT).max(MAX_KDF_MEM_LIMIT),
    /** 16 bytes (crypto_pwhash_SALTBYTES): any other length would make the KDF throw. */
    salt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/),
  })
  .refine((kdf) => kdf.opsLimit * kdf.memLimit <= MAX_KDF_WORK, { message: 'The key derivation asks for too much work.' });
export type KdfParams = z.infer<typeof kdfParamsSchema>;

const slotBase = { id: z.string().uuid(), nonce: base64, wrappedKey: base64 };
export const keychainSlotSchema = z.object({
  type: z.literal('keychain'),
  keychainEntry: z.string().min(1).max(256),
  ...slotBase,
});
export const passwordSlotSchema = z.object({ type: z.literal('password'), kdf: kdfParamsSchema, ...slotBase });
export const slotSchema = z.discriminatedUnion('type', [keychainSlotSchema, passwordSlotSchema]);
export type KeychainSlot = z.infer<typeof keychainSlotSchema>;
export type PasswordSlot = z.infer<typeof passwordSlotSchema>;
export type Slot = z.infer<typeof slotSchema>;

export const headerSchema = z.object({
  vaultId: z.string().uuid(),
  generation: z.number().int().min(0),
  createdAt: z.number().int(),
  slots: z.array(slotSchema).min(1),
});
export type VaultHeader = z.infer<typeof headerSchema>;

/** A file that passed the checks that need no key. */
export interface ParsedVaultFile {
  header: VaultHeader;
  /** Every byte before the nonce: the associated data of the content. */
  associatedData: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  checksum: Uint8Array;
}

function corrupt(detail: string): LatchkeyError {
  return new LatchkeyError('VAULT_CORRUPT', detail);
}

function startsWithMagic(bytes: Uint8Array): boolean {
  return MAGIC.every((byte, index) => bytes[index] === byte);
}

export function checksumOf(sodium: Sodium, bytes: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(CHECKSUM_BYTES, bytes, null);
}

/** Checks magic and checksum first, so damage is told apart from a wrong key or a newer version. */
export function parseVaultFile(sodium: Sodium, bytes: Uint8Array): ParsedVaultFile {
  if (bytes.length < MIN_FILE_BYTES) throw corrupt(`The file is only ${bytes.length} bytes long.`);
  if (!startsWithMagic(bytes)) throw corrupt('It is not a Latchkey vault file.');
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const checksum = bytes.subarray(bytes.length - CHECKSUM_BYTES);
  if (sodium.compare(checksumOf(sodium, body), checksum) !== 0) {
    throw corrupt('Its checksum does not match (the file is truncated or altered).');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint16(MAGIC.length);
  if (version > CURRENT_FORMAT_VERSION) {
    throw new LatchkeyError('UNSUPPORTED_VAULT_VERSION', `The file is format version ${version}; this Latchkey reads up to ${CURRENT_FORMAT_VERSION}.`);
  }
  if (version < 1) throw corrupt(`Format version ${version} does not exist.`);
  return readVersion1(bytes, body, checksum, view);
}

function readVersion1(bytes: Uint8Array, body: Uint8Array, checksum: Uint8Array, view: DataView): ParsedVaultFile {
  const headerLength = view.getUint32(MAGIC.length + VERSION_BYTES);
  const headerEnd = PREAMBLE_BYTES + headerLength;
  if (headerLength > MAX_HEADER_BYTES || headerEnd + NONCE_BYTES + TAG_BYTES > body.length) {
    throw corrupt('Its header length is impossible.');
  }
  const header = parseHeader(bytes.subarray(PREAMBLE_BYTES, headerEnd));
  return {
    header,
    associatedData: bytes.subarray(0, headerEnd),
    nonce: bytes.subarray(headerEnd, headerEnd + NONCE_BYTES),
    ciphertext: body.subarray(headerEnd + NONCE_BYTES),
    checksum,
  };
}

function parseHeader(headerBytes: Uint8Array): VaultHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    throw corrupt('Its header is not readable.');
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success) throw corrupt('Its header is not of the expected form.');
  return parsed.data;
}

/** The bytes the content is bound to: magic, version, header length and header. */
export function encodePreamble(header: VaultHeader): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(PREAMBLE_BYTES + headerBytes.length);
  out.set(MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(MAGIC.length, CURRENT_FORMAT_VERSION);
  view.setUint32(MAGIC.length + VERSION_BYTES, headerBytes.length);
  out.set(headerBytes, PREAMBLE_BYTES);
  return out;
}

/** Encrypts the content under the master key and lays out the whole file. */
export function encodeVaultFile(sodium: Sodium, header: VaultHeader, masterKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const associatedData = encodePreamble(header);
  const nonce = sodium.randombytes_buf(NONCE_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, associatedData, null, nonce, masterKey);
  const bodyLength = associatedData.length + NONCE_BYTES + ciphertext.length;
  const out = new Uint8Array(bodyLength + CHECKSUM_BYTES);
  out.set(associatedData, 0);
  out.set(nonce, associatedData.length);
  out.set(ciphertext, associatedData.length + NONCE_BYTES);
  out.set(checksumOf(sodium, out.subarray(0, bodyLength)), bodyLength);
  return out;
}

/** Null when the key does not open the content (the caller knows whether that means corrupt or locked). */
export function decryptContent(sodium: Sodium, file: ParsedVaultFile, masterKey: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, file.ciphertext, file.associatedData, file.nonce, masterKey);
  } catch {
    return null;
  }
}
