import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ImportPlan, readExportFile } from '../../../electron/main/importers';
import type { ImportedEntry, ImportFileResult } from '../../../electron/main/importers';
import { createCodeGenerator, decodeBase32 } from '../../../electron/main/otp';
import { fixturesDir } from '../otp/fixtures';
import { CANONICAL, type ExpectedEntry, FILE_PASSWORDS, FIXTURE_EXPECTATIONS } from './fixture-expectations';
import { countFixtureItems, hasCounter } from './fixture-counts';
import { CHECK_TIMES, independentCode, oathtoolHotp, oathtoolTotp, steamCode } from './independent-otp';

function fixture(name: string): Uint8Array {
  return readFileSync(path.join(fixturesDir, 'aegis', name));
}

function codeAt(entry: ImportedEntry, atSeconds: number, counter?: number): string {
  const generator = createCodeGenerator({ ...entry, counter: counter ?? entry.counter, secret: decodeBase32(entry.secret) });
  return generator.codeAt(atSeconds * 1000);
}

function checkEntry(entry: ImportedEntry, expected: ExpectedEntry): void {
  expect({ secret: entry.secret, type: entry.type, issuer: entry.issuer, label: entry.label, algorithm: entry.algorithm, digits: entry.digits }).toEqual({
    secret: expected.secret,
    type: expected.type,
    issuer: expected.issuer,
    label: expected.label,
    algorithm: expected.algorithm,
    digits: expected.digits,
  });
  if (expected.type === 'hotp') expect(entry.counter).toBe(expected.counter);
  else expect(entry.period).toBe(expected.period);
  const canonical = expected.codesFrom;
  if (!canonical) return;
  for (const [time, code] of Object.entries(canonical.codes_at_unix_time ?? {})) expect(codeAt(entry, Number(time)), `${entry.issuer} at ${time}`).toBe(code);
  for (const [counter, code] of Object.entries(canonical.codes_at_counter ?? {})) expect(codeAt(entry, 0, Number(counter)), `${entry.issuer} at counter ${counter}`).toBe(code);
}

/**
 * Every imported entry, whatever its file kept of it, makes the codes an independent implementation
 * makes from the same fields (oathtool for TOTP/HOTP, test/unit/importers/independent-otp.ts for Steam).
 */
function checkIndependentCodes(entry: ImportedEntry, where: string): number {
  let checked = 0;
  if (entry.type === 'hotp') {
    for (const counter of [0, entry.counter, entry.counter + 1]) {
      expect(codeAt(entry, 0, counter), `${where}: ${entry.issuer} at counter ${counter} (oathtool)`).toBe(independentCode(entry, { counter }));
      checked++;
    }
    return checked;
  }
  for (const time of CHECK_TIMES) {
    expect(codeAt(entry, time), `${where}: ${entry.issuer} at ${time} (${entry.type === 'steam' ? 'steam' : 'oathtool'})`).toBe(independentCode(entry, { time }));
    checked++;
  }
  return checked;
}

/** Nothing dropped: the file's own count is the number of items, and the plan's report adds them all up. */
async function checkCounts(file: string, result: ImportFileResult): Promise<void> {
  const inFile = await countFixtureItems(file);
  expect(result.items, `${file}: every account of the file is an entry or a refusal`).toHaveLength(inFile);
  const plan = new ImportPlan([result], () => null, 1_700_000_000_000);
  expect(plan.preview).toHaveLength(inFile);
  const statuses = { new: 0, duplicate: 0, refused: 0 };
  for (const entry of plan.preview) statuses[entry.status]++;
  expect(statuses.new + statuses.duplicate + statuses.refused).toBe(inFile);
  for (const entry of plan.preview.filter((candidate) => candidate.status === 'refused')) expect(entry.reason, `${file}: refused without a reason`).toMatch(/\S/);
}

describe('every export-format fixture imports to the entries expected.json lists, with its codes', () => {
  for (const [file, expectation] of Object.entries(FIXTURE_EXPECTATIONS)) {
    it(file, { timeout: 30_000 }, async () => {
      const result = await readExportFile(fixture(file), { fileName: file, password: FILE_PASSWORDS.get(file) ?? null });
      expect(result.format).toBe(expectation.format);
      await checkCounts(file, result);
      const entries = result.items.map((item) => {
        if (item.kind !== 'entry') throw new Error(`refused: ${item.reason}`);
        return item.entry;
      });
      expect(entries).toHaveLength(expectation.entries.length);
      for (const expected of expectation.entries) {
        const entry = entries.find((candidate) => candidate.secret === expected.secret);
        expect(entry, `${file}: ${expected.issuer}`).toBeDefined();
        checkEntry(entry as ImportedEntry, expected);
      }
      const checked = entries.reduce((sum, entry) => sum + checkIndependentCodes(entry, file), 0);
      expect(checked).toBeGreaterThanOrEqual(entries.length * 3);
    });
  }
});

describe('the independent code makers', () => {
  it('give every code expected.json lists for the canonical entries (oathtool, and the Steam maker written here)', () => {
    let checked = 0;
    for (const entry of CANONICAL.values()) {
      const parameters = { ...entry, period: entry.period ?? 30 };
      for (const [time, code] of Object.entries(entry.codes_at_unix_time ?? {})) {
        expect(entry.type === 'steam' ? steamCode(entry.secret, Number(time)) : oathtoolTotp(parameters, Number(time)), `${entry.issuer} at ${time}`).toBe(code);
        checked++;
      }
      for (const [counter, code] of Object.entries(entry.codes_at_counter ?? {})) {
        expect(oathtoolHotp(parameters, Number(counter)), `${entry.issuer} at counter ${counter}`).toBe(code);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(30);
  });

  it('can tell a wrong secret or setting from a right one', () => {
    const deno = { type: 'totp' as const, secret: '4SJHB4GSD43FZBAI7C2HLRJGPQ', algorithm: 'SHA1' as const, digits: 6, period: 30 };
    expect(oathtoolTotp(deno, 1_700_000_000)).toBe('790195');
    expect(oathtoolTotp({ ...deno, algorithm: 'SHA256' }, 1_700_000_000)).not.toBe('790195');
    expect(oathtoolTotp({ ...deno, period: 60 }, 1_700_000_000)).not.toBe('790195');
    expect(oathtoolTotp({ ...deno, secret: '4SJHB4GSD43FZBAI7C2HLRJGPA' }, 1_700_000_000)).not.toBe('790195');
  });
});

describe('every file has a count of its own', () => {
  it('every export-format fixture can be counted without the importers', () => {
    expect(Object.keys(FIXTURE_EXPECTATIONS).filter((file) => !hasCounter(file))).toEqual([]);
  });
});

describe('encrypted fixtures', () => {
  const encrypted = [...FILE_PASSWORDS].filter(([file, password]) => password !== null && file in FIXTURE_EXPECTATIONS).map(([file]) => file);

  it('covers every encrypted export fixture', () => {
    expect(encrypted.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of encrypted) {
    it(`${file}: a wrong password fails cleanly, no password asks for one`, { timeout: 30_000 }, async () => {
      await expect(readExportFile(fixture(file), { fileName: file, password: 'not the password' })).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSWORD' });
      await expect(readExportFile(fixture(file), { fileName: file, password: null })).rejects.toMatchObject({ code: 'IMPORT_PASSWORD_REQUIRED' });
    });
  }
});

describe('groups and notes', () => {
  it('keeps Aegis groups (v2 names) and notes', async () => {
    const result = await readExportFile(fixture('aegis_plain_grouped_v2.json'));
    const deno = result.items.find((item) => item.kind === 'entry' && item.entry.issuer === 'Deno');
    expect(deno?.kind === 'entry' && deno.entry.group).toBe('group1');
  });

  it('reads Aegis database version 3 groups (by id) and notes', async () => {
    const vault = {
      version: 1,
      header: { slots: null, params: null },
      db: {
        version: 3,
        groups: [{ uuid: 'g-1', name: 'Work' }],
        entries: [{ type: 'totp', uuid: 'e-1', name: 'me', issuer: 'Acme', note: 'printed codes in the drawer', groups: ['missing', 'g-1'], info: { secret: 'JBSWY3DPEHPK3PXP', algo: 'SHA1', digits: 6, period: 30 } }],
      },
    };
    const result = await readExportFile(new TextEncoder().encode(JSON.stringify(vault)));
    expect(result.items).toEqual([{ kind: 'entry', entry: expect.objectContaining({ issuer: 'Acme', group: 'Work', notes: 'printed codes in the drawer' }) }]);
  });
});

describe('fixture coverage', () => {
  it('every third-party export fixture in test/fixtures/aegis has an expectation', () => {
    const files = readdirSync(path.join(fixturesDir, 'aegis')).filter((file) => file !== 'expected.json');
    expect(files.filter((file) => !(file in FIXTURE_EXPECTATIONS))).toEqual([]);
  });
});

const migrationSchema = z.object({
  files: z.record(z.string(), z.object({ payloads: z.array(z.object({ otp_parameters: z.array(z.object({ secret_base32: z.string(), name: z.string(), issuer: z.string(), type: z.string(), counter: z.number() })) })) })),
  derived_codes_sha1_6digits_30s: z.record(z.string(), z.record(z.string(), z.string())),
});

describe('Google Authenticator export links (test/fixtures/google_migration)', () => {
  const expected = migrationSchema.parse(JSON.parse(readFileSync(path.join(fixturesDir, 'google_migration', 'expected.json'), 'utf8')));
  for (const [file, { payloads }] of Object.entries(expected.files)) {
    it(`${file}: every account of every payload, with its codes`, async () => {
      const result = await readExportFile(readFileSync(path.join(fixturesDir, 'google_migration', file)), { fileName: file });
      expect(result.format).toBe('uris');
      const entries = result.items.map((item) => (item.kind === 'entry' ? item.entry : null));
      const wanted = payloads.flatMap((payload) => payload.otp_parameters);
      expect(entries).toHaveLength(wanted.length);
      wanted.forEach((parameters, index) => {
        const entry = entries[index] as ImportedEntry;
        expect(entry.secret).toBe(parameters.secret_base32);
        expect(entry.issuer).toBe(parameters.issuer);
        expect(entry.type).toBe(parameters.type);
        checkIndependentCodes(entry, file);
        if (entry.type !== 'totp') return;
        for (const [time, code] of Object.entries(expected.derived_codes_sha1_6digits_30s[entry.secret] ?? {})) expect(codeAt(entry, Number(time))).toBe(code);
      });
    });
  }

  it('refuses the negative samples with a clear error', async () => {
    for (const file of ['test_export_wrong_data.txt', 'test_export_wrong_content.txt', 'test_export_wrong_prefix.txt']) {
      const error = await readExportFile(readFileSync(path.join(fixturesDir, 'google_migration', 'scito', file))).catch((caught: unknown) => caught);
      expect(error, file).toMatchObject({ code: expect.stringMatching(/^(INVALID_IMPORT_FILE|UNKNOWN_IMPORT_FORMAT)$/) });
    }
  });
});

describe('--format by the names people use', () => {
  it('takes an app name in any case or spelling, and tells that app’s kinds of file apart by content', async () => {
    const named = async (file: string, format: string) => (await readExportFile(fixture(file), { fileName: file, format, password: FILE_PASSWORDS.get(file) ?? null })).format;
    expect(await named('freeotp_v2_api34.xml', 'FreeOTP')).toBe('freeotp-v2');
    expect(await named('freeotp.xml', 'freeotp')).toBe('freeotp-xml');
    expect(await named('stratum_internal.db', 'Authenticator Pro')).toBe('stratum-db');
    expect(await named('stratum_plain.json', 'authenticator_pro')).toBe('stratum');
    expect(await named('bitwarden.csv', 'Bitwarden')).toBe('csv');
    expect(await named('bitwarden.json', 'bitwarden')).toBe('bitwarden');
    expect(await named('google_authenticator.sqlite', 'google-authenticator')).toBe('google-authenticator-db');
    expect(await named('plain.txt', 'Aegis')).toBe('uris');
    expect(await named('2fas_authenticator_plain_v4.2fas', 'TwoFAS')).toBe('2fas');
    await expect(readExportFile(fixture('plain.txt'), { format: 'keepass' })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('Known formats: uris') });
  });
});
