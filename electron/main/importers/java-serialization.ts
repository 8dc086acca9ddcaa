import { badFile } from './entry';

/**
 * Reads the one Java-serialized object FreeOTP 2 writes as its backup: a java.util.HashMap of
 * String to String. Only that shape is read (no arbitrary classes), with references to earlier
 * strings resolved through the stream's handle table.
 */
const MAGIC = [0xac, 0xed, 0x00, 0x05];
const TC_STRING = 0x74;
const TC_LONGSTRING = 0x7c;
const TC_REFERENCE = 0x71;
const TC_NULL = 0x70;
const BASE_HANDLE = 0x7e0000;

export function isJavaSerialized(bytes: Uint8Array): boolean {
  return MAGIC.every((value, index) => bytes[index] === value);
}

export function readStringHashMap(bytes: Uint8Array, maxEntries: number): Map<string, string> {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!isJavaSerialized(bytes)) throw badFile('It is not a Java-serialized object.');
  if (!data.includes(Buffer.from('java.util.HashMap', 'latin1'))) throw badFile('It is not a serialized HashMap.');
  // The map's class description ends with TC_ENDBLOCKDATA, TC_NULL (no superclass): 0x78 0x70.
  // Then its serialized fields (loadFactor, 4 bytes; older JVMs add threshold) and a block of
  // capacity and size (0x77 0x08 ...).
  const classEnd = data.indexOf(Buffer.from([0x78, 0x70]));
  if (classEnd < 0) throw badFile('Its serialized map is damaged.');
  let offset = [4, 8].map((fields) => classEnd + 2 + fields).find((at) => data[at] === 0x77 && data[at + 1] === 0x08) ?? -1;
  if (offset < 0 || offset + 10 > data.length) throw badFile('Its serialized map is damaged.');
  const size = data.readInt32BE(offset + 6);
  offset += 10;
  if (size < 0 || size > maxEntries) throw badFile(`Its serialized map holds ${size} items; at most ${maxEntries} are read.`);
  // Handles: the class description and the map object come first.
  const handles: (string | null)[] = [null, null];
  const readString = (): string | null => {
    const tag = data[offset];
    if (tag === TC_NULL) {
      offset += 1;
      return null;
    }
    if (tag === TC_REFERENCE) {
      if (offset + 5 > data.length) throw badFile('Its serialized map is truncated.');
      const handle = data.readInt32BE(offset + 1) - BASE_HANDLE;
      offset += 5;
      const value = handles[handle];
      if (typeof value !== 'string') throw badFile('Its serialized map refers to something that is not text.');
      return value;
    }
    let length: number;
    if (tag === TC_STRING) {
      if (offset + 3 > data.length) throw badFile('Its serialized map is truncated.');
      length = data.readUInt16BE(offset + 1);
      offset += 3;
    } else if (tag === TC_LONGSTRING) {
      if (offset + 9 > data.length) throw badFile('Its serialized map is truncated.');
      length = Number(data.readBigUInt64BE(offset + 1));
      offset += 9;
    } else throw badFile('Its serialized map holds something other than text.');
    if (offset + length > data.length) throw badFile('Its serialized map is truncated.');
    const value = data.subarray(offset, offset + length).toString('utf8');
    offset += length;
    handles.push(value);
    return value;
  };
  const map = new Map<string, string>();
  for (let i = 0; i < size; i++) {
    const key = readString();
    const value = readString();
    if (key !== null && value !== null) map.set(key, value);
  }
  return map;
}
