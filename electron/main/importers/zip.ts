import { inflateRawSync } from 'node:zlib';
import { LatchkeyError } from '../../../shared/errors';
import { badFile } from './entry';

/**
 * Just enough of the zip format to read one file out of a small archive, optionally encrypted
 * with traditional PKWARE encryption ("ZipCrypto", what Authenticator Plus writes). Read from the
 * central directory; sizes and the inflated output are capped.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  modTime: number;
}

const MAX_ENTRIES = 1000;
const MAX_OUTPUT = 16 * 1024 * 1024;

export function listZip(bytes: Uint8Array): ZipEntry[] {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65_535); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw badFile('It is a damaged zip archive (no central directory).');
  const count = data.readUInt16LE(end + 10);
  let offset = data.readUInt32LE(end + 16);
  if (count > MAX_ENTRIES) throw badFile(`Its zip archive holds ${count} files; at most ${MAX_ENTRIES} are read.`);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > data.length || data.readUInt32LE(offset) !== 0x02014b50) throw badFile('It is a damaged zip archive.');
    const nameLength = data.readUInt16LE(offset + 28);
    const extraLength = data.readUInt16LE(offset + 30);
    const commentLength = data.readUInt16LE(offset + 32);
    entries.push({
      flags: data.readUInt16LE(offset + 8),
      method: data.readUInt16LE(offset + 10),
      modTime: data.readUInt16LE(offset + 12),
      crc: data.readUInt32LE(offset + 16),
      compressedSize: data.readUInt32LE(offset + 20),
      size: data.readUInt32LE(offset + 24),
      name: data.subarray(offset + 46, offset + 46 + nameLength).toString('utf8'),
      localOffset: data.readUInt32LE(offset + 42),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The content of one entry; `password` for encrypted entries. Throws IMPORT_WRONG_PASSWORD when it does not fit. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, password: string | null, what: string): Buffer {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localOffset;
  if (local + 30 > data.length || data.readUInt32LE(local) !== 0x04034b50) throw badFile('It is a damaged zip archive.');
  const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
  if (start + entry.compressedSize > data.length) throw badFile('It is a truncated zip archive.');
  let body = data.subarray(start, start + entry.compressedSize);
  if (entry.method === 99) throw new LatchkeyError('UNSUPPORTED_IMPORT_VERSION', 'Its zip archive uses AES encryption, which Latchkey does not read; it reads traditional zip encryption.');
  if (entry.flags & 1) {
    if (password === null) throw new LatchkeyError('IMPORT_PASSWORD_REQUIRED', `It is ${what}.`);
    body = zipCryptoDecrypt(body, password, entry);
  }
  let content: Buffer;
  if (entry.method === 0) content = Buffer.from(body);
  else if (entry.method === 8) {
    try {
      content = inflateRawSync(body, { maxOutputLength: MAX_OUTPUT });
    } catch {
      if (entry.flags & 1) throw new LatchkeyError('IMPORT_WRONG_PASSWORD', `Check the password of this ${what} and try again.`);
      throw badFile('Its zip archive is damaged.');
    }
  } else throw badFile(`Its zip archive uses compression method ${entry.method}, which Latchkey does not read.`);
  if (crc32(content) !== entry.crc) {
    if (entry.flags & 1) throw new LatchkeyError('IMPORT_WRONG_PASSWORD', `Check the password of this ${what} and try again.`);
    throw badFile('Its zip archive is damaged (checksum mismatch).');
  }
  return content;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crcByte(crc: number, byte: number): number {
  return ((CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8)) >>> 0;
}

export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = crcByte(crc, byte);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Traditional PKWARE decryption (APPNOTE 6.1): three keys updated by each plain byte. */
function zipCryptoDecrypt(body: Buffer, password: string, entry: ZipEntry): Buffer {
  if (body.length < 12) throw badFile('Its encrypted zip entry is truncated.');
  let k0 = 0x12345678;
  let k1 = 0x23456789;
  let k2 = 0x34567890;
  const update = (byte: number): void => {
    k0 = crcByte(k0, byte);
    k1 = (Math.imul((k1 + (k0 & 0xff)) >>> 0, 134775813) + 1) >>> 0;
    k2 = crcByte(k2, k1 >>> 24);
  };
  for (const byte of Buffer.from(password, 'utf8')) update(byte);
  const out = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i++) {
    const temp = (k2 | 2) & 0xffff;
    const plain = (body[i] as number) ^ ((Math.imul(temp, temp ^ 1) >>> 8) & 0xff);
    out[i] = plain;
    update(plain);
  }
  // The 12th header byte is a check byte: the CRC's (or, with a data descriptor, the time's) high byte.
  const check = entry.flags & 8 ? (entry.modTime >>> 8) & 0xff : entry.crc >>> 24;
  if (out[11] !== check) throw new LatchkeyError('IMPORT_WRONG_PASSWORD', 'Check the password of this encrypted zip archive and try again.');
  return out.subarray(12);
}
