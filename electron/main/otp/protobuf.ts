/**
 * The small part of the protobuf wire format that Google Authenticator's export uses:
 * varints (wire type 0) and length-delimited fields (wire type 2). Reading is strict: a truncated
 * or malformed buffer throws a plain Error with what is wrong; the caller gives it its error code.
 */

export type ProtoField = { number: number; wireType: 0; value: bigint } | { number: number; wireType: 2; value: Uint8Array };

const MAX_VARINT_BYTES = 10;

function readVarint(bytes: Uint8Array, start: number): { value: bigint; next: number } {
  let value = 0n;
  for (let index = 0; index < MAX_VARINT_BYTES; index += 1) {
    const byte = bytes[start + index];
    if (byte === undefined) throw new Error('the data ends inside a number');
    value |= BigInt(byte & 0x7f) << BigInt(7 * index);
    if ((byte & 0x80) === 0) return { value, next: start + index + 1 };
  }
  throw new Error('a number is longer than 10 bytes');
}

/** Every field of one message, in order. Unknown wire types (1, 3, 4, 5) are not used by the format. */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const key = readVarint(bytes, offset);
    offset = key.next;
    const number = Number(key.value >> 3n);
    const wireType = Number(key.value & 7n);
    if (number === 0) throw new Error('a field has number 0');
    if (wireType === 0) {
      const varint = readVarint(bytes, offset);
      fields.push({ number, wireType: 0, value: varint.value });
      offset = varint.next;
    } else if (wireType === 2) {
      const length = readVarint(bytes, offset);
      const end = length.next + Number(length.value);
      if (length.value > BigInt(bytes.length) || end > bytes.length) throw new Error('a field is longer than the data');
      fields.push({ number, wireType: 2, value: bytes.subarray(length.next, end) });
      offset = end;
    } else {
      throw new Error(`field ${number} has unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** Builds a message field by field. */
export class ProtoWriter {
  private readonly chunks: number[] = [];

  varint(number: number, value: bigint | number): this {
    this.writeVarint(BigInt((number << 3) | 0));
    // Negative int32/int64 values are written as 64-bit two's complement, as protobuf does.
    this.writeVarint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  bytes(number: number, value: Uint8Array): this {
    this.writeVarint(BigInt((number << 3) | 2));
    this.writeVarint(BigInt(value.length));
    for (const byte of value) this.chunks.push(byte);
    return this;
  }

  string(number: number, value: string): this {
    return this.bytes(number, new TextEncoder().encode(value));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }

  private writeVarint(value: bigint): void {
    let rest = value;
    do {
      let byte = Number(rest & 0x7fn);
      rest >>= 7n;
      if (rest > 0n) byte |= 0x80;
      this.chunks.push(byte);
    } while (rest > 0n);
  }
}
