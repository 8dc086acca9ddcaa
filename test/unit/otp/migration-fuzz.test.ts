import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, decodeMigrationUri, MAX_MIGRATION_BATCH_SIZE, MAX_SECRET_BYTES, MigrationBatchCollector } from '../../../electron/main/otp';
import { ProtoWriter } from '../../../electron/main/otp/protobuf';
import { isLatchkeyError } from '../../../shared/errors';
import { errorOf } from '../../support/errors';
import { testSeed } from '../../support/seeded-random';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function migrationUri(payload: Uint8Array): string {
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString('base64'))}`;
}

/** A varint field's value: small and likely ones, the edges, and anything in int64/uint64. */
const anyNumber = fc.oneof(
  fc.integer({ min: -3, max: 12 }).map(BigInt),
  fc.constantFrom(2n ** 31n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 32n + 1n, INT64_MAX, INT64_MIN, 2n ** 64n - 1n, BigInt(MAX_MIGRATION_BATCH_SIZE), BigInt(MAX_MIGRATION_BATCH_SIZE + 1)),
  fc.bigInt({ min: INT64_MIN, max: 2n ** 64n - 1n }),
);
/** Mostly a value the format defines (so the fuzz reaches the deep checks), sometimes anything. */
function likely(...values: bigint[]) {
  return fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 9 }, { arbitrary: anyNumber, weight: 1 });
}
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: MAX_SECRET_BYTES - 2, maxLength: MAX_SECRET_BYTES + 2 }), fc.constant(new Uint8Array()));
const anyText = fc.oneof(
  { arbitrary: fc.string({ maxLength: 40 }), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 3 },
  { arbitrary: fc.string({ minLength: 250, maxLength: 300 }), weight: 1 },
);

/** Every field of OtpParameters, each present or absent, each any value; plus a stray unknown field. */
const otpParameters = fc
  .record(
    {
      secret: fc.oneof({ arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }), weight: 3 }, { arbitrary: anyBytes, weight: 1 }),
      name: fc.oneof({ arbitrary: anyText.map((text) => new TextEncoder().encode(text)), weight: 9 }, { arbitrary: fc.uint8Array({ maxLength: 12 }), weight: 1 }),
      issuer: fc.oneof({ arbitrary: anyText.map((text) => new TextEncoder().encode(text)), weight: 9 }, { arbitrary: fc.uint8Array({ maxLength: 12 }), weight: 1 }),
      algorithm: likely(0n, 1n, 2n, 3n, 4n),
      digits: likely(0n, 1n, 2n),
      type: likely(1n, 2n, 0n),
      counter: likely(0n, 1n, 2n ** 53n - 1n, 2n ** 53n),
      unknown: fc.tuple(fc.integer({ min: 8, max: 2000 }), anyNumber),
    },
    { requiredKeys: ['secret', 'type'] },
  )
  .map((fields) => {
    const writer = new ProtoWriter();
    if (fields.secret) writer.bytes(1, fields.secret);
    if (fields.name) writer.bytes(2, fields.name);
    if (fields.issuer) writer.bytes(3, fields.issuer);
    if (fields.algorithm !== undefined) writer.varint(4, fields.algorithm);
    if (fields.digits !== undefined) writer.varint(5, fields.digits);
    if (fields.type !== undefined) writer.varint(6, fields.type);
    if (fields.counter !== undefined) writer.varint(7, fields.counter);
    if (fields.unknown) writer.varint(fields.unknown[0], fields.unknown[1]);
    return writer.finish();
  });

/** Every field of MigrationPayload, each present or absent, each any value. */
const migrationPayload = fc
  .record(
    {
      accounts: fc.array(fc.oneof({ arbitrary: otpParameters, weight: 19 }, { arbitrary: fc.uint8Array({ maxLength: 30 }), weight: 1 }), { maxLength: 3 }),
      version: likely(1n),
      batchSize: likely(1n, 2n, 3n, BigInt(MAX_MIGRATION_BATCH_SIZE)),
      batchIndex: likely(0n, 0n, 0n, 1n),
      batchId: anyNumber,
    },
    { requiredKeys: [] },
  )
  .map((fields) => {
    const writer = new ProtoWriter();
    for (const account of fields.accounts ?? []) writer.bytes(1, account);
    if (fields.version !== undefined) writer.varint(2, fields.version);
    if (fields.batchSize !== undefined) writer.varint(3, fields.batchSize);
    if (fields.batchIndex !== undefined) writer.varint(4, fields.batchIndex);
    if (fields.batchId !== undefined) writer.varint(5, fields.batchId);
    return writer.finish();
  });

/** Decodes and collects; an error must be INVALID_MIGRATION_URI with a sentence, and nothing else. */
function decodeAndCollect(collector: MigrationBatchCollector, uri: string): 'read' | 'refused' {
  let part;
  try {
    part = decodeMigrationUri(uri);
  } catch (error) {
    if (!isLatchkeyError(error, 'INVALID_MIGRATION_URI')) throw error;
    expect(error.message.length).toBeLessThan(500);
    return 'refused';
  }
  expect(part.batchSize).toBeGreaterThanOrEqual(1);
  expect(part.batchSize).toBeLessThanOrEqual(MAX_MIGRATION_BATCH_SIZE);
  expect(part.batchIndex).toBeGreaterThanOrEqual(0);
  expect(part.batchIndex).toBeLessThan(part.batchSize);
  for (const account of part.accounts) {
    expect(decodeBase32(account.secret).length).toBeLessThanOrEqual(MAX_SECRET_BYTES);
    expect(Number.isSafeInteger(account.counter) && account.counter >= 0).toBe(true);
    expect(account.issuer.length).toBeLessThanOrEqual(256);
    expect(account.label.length).toBeLessThanOrEqual(256);
  }
  try {
    collector.add(part);
  } catch (error) {
    if (!isLatchkeyError(error, 'INVALID_MIGRATION_URI')) throw error;
  }
  for (const batch of collector.missing()) expect(batch.missingParts.length).toBeLessThanOrEqual(MAX_MIGRATION_BATCH_SIZE);
  return 'read';
}

describe('Google export links from an attacker', () => {
  it('refuses a 102-byte link declaring 2^31 - 1 parts at once, without allocating for them', () => {
    const writer = new ProtoWriter().bytes(1, new ProtoWriter().bytes(1, new Uint8Array(10).fill(7)).varint(6, 2).finish());
    const uri = migrationUri(writer.varint(2, 1).varint(3, 2n ** 31n - 1n).varint(4, 0).varint(5, 1).finish());
    expect(uri.length).toBeLessThan(110);
    const error = errorOf(() => decodeMigrationUri(uri));
    expect(error.code).toBe('INVALID_MIGRATION_URI');
    expect(error.message).toContain(`an export has 1 to ${MAX_MIGRATION_BATCH_SIZE}`);
  });

  it('refuses a part count that only looks small as int32 (2^32 + 1)', () => {
    const account = new ProtoWriter().bytes(1, new Uint8Array(10).fill(7)).varint(6, 2).finish();
    const uri = migrationUri(new ProtoWriter().bytes(1, account).varint(3, 2n ** 32n + 1n).finish());
    expect(errorOf(() => decodeMigrationUri(uri)).code).toBe('INVALID_MIGRATION_URI');
  });

  it(`accepts the largest export it documents (${MAX_MIGRATION_BATCH_SIZE} parts) and lists the missing parts`, () => {
    const account = new ProtoWriter().bytes(1, new Uint8Array(10).fill(7)).varint(6, 2).finish();
    const collector = new MigrationBatchCollector();
    collector.add(decodeMigrationUri(migrationUri(new ProtoWriter().bytes(1, account).varint(3, MAX_MIGRATION_BATCH_SIZE).varint(4, 41).varint(5, 9).finish())));
    const [batch] = collector.missing();
    expect(batch?.missingParts).toHaveLength(MAX_MIGRATION_BATCH_SIZE - 1);
    expect(batch?.missingParts).not.toContain(42);
  });

  it('refuses a secret over 1024 bytes in the link itself', () => {
    const account = new ProtoWriter().bytes(1, new Uint8Array(MAX_SECRET_BYTES + 1).fill(1)).varint(6, 2).finish();
    const error = errorOf(() => decodeMigrationUri(migrationUri(new ProtoWriter().bytes(1, account).finish())));
    expect(error.code).toBe('INVALID_MIGRATION_URI');
    expect(error.message).toContain('1025 bytes');
  });

  it('never crashes on any value of any field of the payload: a part within the caps or INVALID_MIGRATION_URI', () => {
    const collector = new MigrationBatchCollector();
    const outcomes = { read: 0, refused: 0 };
    fc.assert(
      fc.property(migrationPayload, (payload) => {
        outcomes[decodeAndCollect(collector, migrationUri(payload))] += 1;
      }),
      { seed: testSeed(), numRuns: 4000 },
    );
    // The fuzz must reach the accepting paths too, not only the first refusal.
    expect(outcomes.read).toBeGreaterThan(200);
    expect(outcomes.refused).toBeGreaterThan(200);
  });

  it('never crashes on damaged payloads: flipped, cut and spliced bytes', () => {
    const collector = new MigrationBatchCollector();
    const damaged = fc
      .tuple(migrationPayload, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat(), fc.uint8Array({ maxLength: 16 }))
      .map(([payload, flips, cut, splice]) => {
        const bytes = Uint8Array.from(payload);
        for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
        const kept = bytes.subarray(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1));
        return Uint8Array.from([...kept, ...splice]);
      });
    fc.assert(
      fc.property(damaged, (payload) => {
        decodeAndCollect(collector, migrationUri(payload));
      }),
      { seed: testSeed(), numRuns: 4000 },
    );
  });

  it('never crashes on any text after the prefix', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        decodeAndCollect(new MigrationBatchCollector(), `otpauth-migration://offline?data=${text}`);
      }),
      { seed: testSeed(), numRuns: 2000 },
    );
  });
});
