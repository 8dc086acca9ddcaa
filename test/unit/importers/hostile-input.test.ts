import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES, LatchkeyError } from '../../../shared/errors';
import { ImportPlan, importFormats, readExportFile } from '../../../electron/main/importers';
import { decodeBase32 } from '../../../electron/main/otp';
import { storedAccountSchema } from '../../../electron/main/vault/content';
import { AccountsService } from '../../../electron/main/accounts';
import { makeVault } from '../../support/vault';
import { testSeed } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { fixturesDir } from '../otp/fixtures';
import { FILE_PASSWORDS, FIXTURE_EXPECTATIONS } from './fixture-expectations';

const tempDir = useTempDirs();
const FILE_ERRORS = ['INVALID_IMPORT_FILE', 'IMPORT_PASSWORD_REQUIRED', 'IMPORT_WRONG_PASSWORD', 'UNSUPPORTED_IMPORT_VERSION', 'UNKNOWN_IMPORT_FORMAT'];
const FORMATS = importFormats().map((format) => format.id);
/** Argon2id (64 MiB, 3 passes) in JavaScript takes seconds: fuzz that file without its password. */
const SLOW_KDF = new Set(['stratum_encrypted.bin']);

function fixture(name: string): Uint8Array {
  return readFileSync(path.join(fixturesDir, 'aegis', name));
}

/**
 * Whatever the input, an import either gives entries that a vault would accept, or fails with a
 * typed import error whose sentence is one a person can read. Never another exception.
 */
async function readsCleanly(bytes: Uint8Array, options: { format?: string; password?: string | null }): Promise<void> {
  const started = Date.now();
  try {
    const result = await readExportFile(bytes, options);
    for (const item of result.items) {
      if (item.kind === 'refused') {
        expect(item.reason.length).toBeGreaterThan(0);
        continue;
      }
      const stored = storedAccountSchema.safeParse({ ...item.entry, id: '00000000-0000-4000-8000-000000000000', createdAt: 0, updatedAt: 0, lastUsedAt: null });
      expect(stored.success, JSON.stringify(stored.error?.issues)).toBe(true);
      expect(decodeBase32(item.entry.secret).length).toBeGreaterThan(0);
    }
    // The preview computes a code for every entry: it must not throw either.
    new ImportPlan([result], () => null, 1_700_000_000_000);
  } catch (error) {
    if (!(error instanceof LatchkeyError)) throw error;
    const allowed = options.format ? [...FILE_ERRORS, 'INVALID_INPUT'] : FILE_ERRORS;
    expect(allowed).toContain(error.code);
    expect(error.message.startsWith(ERROR_SENTENCES[error.code])).toBe(true);
  }
  expect(Date.now() - started).toBeLessThan(15_000);
}

const params = (label: string, numRuns: number) => ({ seed: testSeed() ^ [...label].reduce((hash, ch) => (hash * 31 + ch.charCodeAt(0)) | 0, 0), numRuns });

describe('hostile input to every importer: a clear error, never a crash or a hang', () => {
  it('random bytes, detected or forced to each format', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(undefined, ...FORMATS), fc.constantFrom(null, 'test'), async (bytes, format, password) => {
        await readsCleanly(bytes, { format, password });
      }),
      params('random bytes', 400),
    );
  });

  it('random text lines and JSON values, forced to each format', { timeout: 120_000 }, async () => {
    const text = fc.oneof(fc.json(), fc.string({ maxLength: 600 }), fc.array(fc.constantFrom('otpauth://totp/a?secret=', 'otpauth-migration://offline?data=', '<map>', '<string name="x">', '{"', ',', '\n', 'JBSWY3DP', '&quot;'), { maxLength: 40 }).map((parts) => parts.join('')));
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(undefined, ...FORMATS), async (content, format) => {
        await readsCleanly(new TextEncoder().encode(content), { format, password: null });
      }),
      params('random text', 400),
    );
  });

  for (const file of Object.keys(FIXTURE_EXPECTATIONS)) {
    const password = SLOW_KDF.has(file) ? null : (FILE_PASSWORDS.get(file) ?? null);
    const bytes = fixture(file);

    it(`${file}: truncated and with bytes changed`, { timeout: 120_000 }, async () => {
      const runs = password && /aegis|freeotp_v2|stratum_encrypted_legacy|andotp_encrypted\.bin/.test(file) ? 8 : 25;
      await fc.assert(
        fc.asyncProperty(fc.nat(bytes.length), fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { maxLength: 4 }), async (cut, changes) => {
          const mutated = bytes.slice(0, cut);
          for (const [at, value] of changes) if (at < mutated.length) mutated[at] = value;
          await readsCleanly(mutated, { password });
        }),
        params(file, runs),
      );
    });
  }

  for (const file of Object.keys(FIXTURE_EXPECTATIONS).filter((name) => /\.(json|2fas)$/.test(name) && FILE_PASSWORDS.get(name) === null)) {
    it(`${file}: any one value replaced by any JSON value`, { timeout: 120_000 }, async () => {
      const document = JSON.parse(new TextDecoder().decode(fixture(file))) as unknown;
      const paths = jsonPaths(document);
      await fc.assert(
        fc.asyncProperty(fc.nat(paths.length - 1), fc.jsonValue({ maxDepth: 3 }), async (index, value) => {
          const changed = replaceAt(document, paths[index] ?? [], value);
          await readsCleanly(new TextEncoder().encode(JSON.stringify(changed)), {});
        }),
        params(`${file} json`, 60),
      );
    });
  }
});

describe('nothing is saved from a file that fails', () => {
  it('an import is one save: a failing file leaves the vault as it was, a good one adds all its entries', { timeout: 60_000 }, async () => {
    const vault = makeVault(tempDir());
    await vault.create({ password: 'pw', useKeychain: false });
    const accounts = new AccountsService(vault);
    const bytes = fixture('aegis_plain.json');
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length), async (cut) => {
        const before = accounts.list().length;
        let result;
        try {
          result = await readExportFile(bytes.slice(0, cut));
        } catch (error) {
          expect(error).toBeInstanceOf(LatchkeyError);
          expect(accounts.list().length).toBe(before);
          return;
        }
        const plan = new ImportPlan([result], (secret) => accounts.findBySecret(secret), Date.now());
        const report = await plan.save(accounts);
        expect(report.imported + report.skippedDuplicates + report.leftOut + report.refused.length).toBe(report.total);
        expect(accounts.list().length).toBe(before + report.imported);
      }),
      params('nothing saved', 20),
    );
  });
});

type JsonPath = (string | number)[];

function jsonPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const here = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, index) => jsonPaths(item, [...prefix, index])));
  if (typeof value === 'object' && value !== null) return here.concat(Object.entries(value).flatMap(([key, item]) => jsonPaths(item, [...prefix, key])));
  return here;
}

function replaceAt(document: unknown, at: JsonPath, value: unknown): unknown {
  if (at.length === 0) return value;
  const copy = structuredClone(document) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1] as string | number] = value;
  return copy;
}
