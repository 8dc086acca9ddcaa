import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: three levels up from test/unit/otp/. Third-party fixtures live in test/fixtures. */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

export function readFixture(relative: string): string {
  return readFileSync(path.join(fixturesDir, relative), 'utf8');
}

const algorithm = z.enum(['SHA1', 'SHA256', 'SHA512']);
const seed = z.object({ ascii: z.string(), hex: z.string(), base32: z.string() });

export const rfcVectors = z
  .object({
    totp: z.object({
      digits: z.literal(8),
      period: z.literal(30),
      seeds: z.object({ SHA1: seed, SHA256: seed, SHA512: seed }),
      vectors: z.array(z.object({ unix_time: z.number(), algorithm, code: z.string().regex(/^\d{8}$/) })).min(18),
    }),
    hotp: z.object({
      algorithm: z.literal('SHA1'),
      digits: z.literal(6),
      secret: seed,
      vectors: z
        .array(z.object({ counter: z.number(), hmac_sha1_hex: z.string(), truncated_decimal: z.number(), code: z.string().regex(/^\d{6}$/) }))
        .length(10),
    }),
  })
  .parse(JSON.parse(readFixture('rfc/rfc_otp_vectors.json')));

const codes = z.record(z.string().regex(/^\d+$/), z.string().min(5));
const canonicalEntry = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['totp', 'steam']), issuer: z.string(), name: z.string(), secret: z.string(), algorithm, digits: z.number(), period: z.number(), codes_at_unix_time: codes }),
  z.object({ type: z.literal('hotp'), issuer: z.string(), name: z.string(), secret: z.string(), algorithm, digits: z.number(), counter: z.number(), codes_at_counter: codes }),
]);
export type CanonicalEntry = z.infer<typeof canonicalEntry>;

export const canonicalEntries: CanonicalEntry[] = z
  .object({ canonical_entries: z.array(canonicalEntry).min(8) })
  .parse(JSON.parse(readFixture('aegis/expected.json'))).canonical_entries;

/** Non-empty lines of a fixture text file. */
export function fixtureLines(relative: string): string[] {
  return readFixture(relative)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
