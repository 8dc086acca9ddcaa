import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExportFile } from '../../../electron/main/importers';
import type { ImportedEntry } from '../../../electron/main/importers';
import { createCodeGenerator, decodeBase32 } from '../../../electron/main/otp';
import { fixturesDir } from '../otp/fixtures';
import { type ExpectedEntry, FILE_PASSWORDS, FIXTURE_EXPECTATIONS } from './fixture-expectations';

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

describe('every export-format fixture imports to the entries expected.json lists, with its codes', () => {
  for (const [file, expectation] of Object.entries(FIXTURE_EXPECTATIONS)) {
    it(file, { timeout: 30_000 }, async () => {
      const result = await readExportFile(fixture(file), { fileName: file, password: FILE_PASSWORDS.get(file) ?? null });
      expect(result.format).toBe(expectation.format);
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
    });
  }
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
});
