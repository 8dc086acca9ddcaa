import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { recogniseCodes } from '../../../electron/main/recovery/recognize';
import { errorOf } from '../../support/errors';
import { repoRoot } from '../../support/temp-dir';

const seedsDir = path.join(repoRoot, 'test/contract/seeds');
function seed(prefix: string): string {
  const name = ['000_7049022df90b36b4', '001_99aef0a8960c5359', '002_b139846f9af27ded', '003_ab3d6d666ef880f9', '004_e75cfd118d092e6f'].find((file) => file.startsWith(prefix));
  return readFileSync(path.join(seedsDir, `${name}.txt`), 'utf8');
}

function refusal(text: string): string {
  const error = errorOf(() => recogniseCodes(text));
  expect(error.code).toBe('RECOVERY_CODES_NOT_RECOGNISED');
  return error.message;
}

describe('recognising backup codes in the shapes people get', () => {
  it('one per line', () => {
    expect(recogniseCodes('a1b2c3d4\ne5f6g7h8\n\n i9j0k1l2 \n').codes).toEqual(['a1b2c3d4', 'e5f6g7h8', 'i9j0k1l2']);
  });

  it('numbered lists with dots, brackets and bullets', () => {
    expect(recogniseCodes('1. abcd-efgh\n2. ijkl-mnop\n10. qrst-uvwx').codes).toEqual(['abcd-efgh', 'ijkl-mnop', 'qrst-uvwx']);
    expect(recogniseCodes('1) 48213957\n2) 57302846\n(3) 90817263').codes).toEqual(['48213957', '57302846', '90817263']);
    expect(recogniseCodes('- 1n6i-l5na-8axe\n* aduj-eufq-w6yy\n• i4l3-dxyt-urmx').codes).toEqual(['1n6i-l5na-8axe', 'aduj-eufq-w6yy', 'i4l3-dxyt-urmx']);
  });

  it('several per line, separated by spaces, commas or tabs', () => {
    expect(recogniseCodes('a1b2c3d4 e5f6g7h8 i9j0k1l2').codes).toEqual(['a1b2c3d4', 'e5f6g7h8', 'i9j0k1l2']);
    expect(recogniseCodes('ckss-2skx-ebow, spbc-424h-usy0,hi08-n5tk-lns5').codes).toEqual(['ckss-2skx-ebow', 'spbc-424h-usy0', 'hi08-n5tk-lns5']);
    expect(recogniseCodes('1234 5678\t2345 6789\n3456 7890\t4567 8901').codes).toEqual(['1234 5678', '2345 6789', '3456 7890', '4567 8901']);
  });

  it('groups joined by dashes or spaces stay one code', () => {
    expect(recogniseCodes('ckss-2skx-ebow').codes).toEqual(['ckss-2skx-ebow']);
    expect(recogniseCodes('xwbwb-07bjt\n5jsr0-9nepk').codes).toEqual(['xwbwb-07bjt', '5jsr0-9nepk']);
    expect(recogniseCodes('1234 5678\n8765 4321').codes).toEqual(['1234 5678', '8765 4321']);
    expect(recogniseCodes('xwbwb 07bjt').codes).toEqual(['xwbwb 07bjt']);
  });

  it('a GitHub-style downloaded file: heading, codes, footer', () => {
    const file = readFileSync(path.join(repoRoot, 'test/fixtures/recovery-codes/github-recovery-codes.txt'), 'utf8');
    const result = recogniseCodes(file);
    expect(result.codes).toHaveLength(16);
    expect(result.codes[0]).toBe('3f9a1-c27d4');
    expect(result.codes[15]).toBe('e4b8d-7a1f0');
    expect(result.skippedLines).toBeGreaterThanOrEqual(3);
  });

  it('a Google-style file: two numbered columns of spaced digits, then a footer with a date', () => {
    const file = readFileSync(path.join(repoRoot, 'test/fixtures/recovery-codes/google-backup-codes.txt'), 'utf8');
    const result = recogniseCodes(file);
    expect(result.codes).toEqual(['8436 1972', '5094 3618', '5092 7162', '9264 5213', '3821 0496', '7715 2043', '6049 8831', '1290 5567', '4478 3025', '2816 9904']);
  });

  it('a Microsoft-style file: one long dashed code after a label', () => {
    const file = readFileSync(path.join(repoRoot, 'test/fixtures/recovery-codes/microsoft-recovery-code.txt'), 'utf8');
    expect(recogniseCodes(file).codes).toEqual(['R7KQ2-M9XWP-4TJHD-B6NVF-3LCZY']);
  });

  it('keeps a code once when it is listed twice, and says so', () => {
    const result = recogniseCodes('a1b2c3d4\na1b2c3d4\ne5f6g7h8');
    expect(result.codes).toEqual(['a1b2c3d4', 'e5f6g7h8']);
    expect(result.duplicates).toBe(1);
  });
});

describe("the providers' JSON bodies (test/contract/seeds)", () => {
  it('Stytch: totps[].recovery_codes, the example body as the seed prints it', () => {
    const text = seed('002');
    const start = text.indexOf('{\n"status_code": 200');
    const body = text.slice(start, text.indexOf('\n}\n{', start) + 2);
    const result = recogniseCodes(body);
    expect(result.from).toBe('json');
    expect(result.codes).toEqual(['ckss-2skx-ebow', 'spbc-424h-usy0', 'hi08-n5tk-lns5', '1n6i-l5na-8axe', 'aduj-eufq-w6yy', 'i4l3-dxyt-urmx', 'ayyi-utb0-gj0s', 'lz0m-02bi-psbx', 'l2qm-zrk1-8ujs', 'c2qd-k7m4-ifmc']);
  });

  it('MoonKey: totps[].recovery_codes from the OpenAPI example response', () => {
    const text = seed('000');
    const yamlText = text.slice(text.indexOf('````yaml') + 8, text.lastIndexOf('````'));
    const api = parseYaml(yamlText.slice(yamlText.indexOf('\n'))) as { paths: Record<string, { post: { responses: Record<string, { content: Record<string, { examples: Record<string, { value: unknown }> }> }> } }> };
    const example = api.paths['/v1/auth/totps/recovery_codes']?.post.responses['200']?.content['application/json']?.examples.GetTOTPRecoveryCodesResp?.value;
    const result = recogniseCodes(JSON.stringify(example));
    expect(result.codes).toHaveLength(16);
    expect(result.codes.slice(0, 3)).toEqual(['xwbwb-07bjt', '5jsr0-9nepk', '25gj8-2lzmw']);
    expect(result.codes[15]).toBe('zaafh-7zdhk');
  });

  it('Misakey: recovery_codes at the top; the documented "<string>" placeholders are refused', () => {
    expect(seed('003')).toContain('"recovery_codes": [');
    expect(recogniseCodes('{"recovery_codes": ["k3v9-x2pd", "m8q4-z7tw"]}').codes).toEqual(['k3v9-x2pd', 'm8q4-z7tw']);
    expect(refusal('{\n    "recovery_codes": [\n        "<string>",\n        "<string>"\n    ]\n}')).toContain('placeholder');
  });

  it('Arklow: data.backup_codes, in a body of the documented schema', () => {
    expect(seed('004')).toContain('backup_codes');
    const body = { data: { device: { id: '1', user_id: 'u', name: 'phone', device_type: 'totp', confirmed_at: null, last_used_at: null, updated_at: null, deleted_at: null }, backup_codes: ['73920461', '18375920'], session_mfa_not_after: '2026-11-22T00:00:00Z' }, errors: null };
    expect(recogniseCodes(JSON.stringify(body)).codes).toEqual(['73920461', '18375920']);
  });

  it('JSON without a code list is refused', () => {
    expect(refusal('{"user_id": "user-test-16d9ba61", "totps": []}')).toContain('no recovery_codes or backup_codes');
    expect(refusal('{"recovery_codes": [')).toContain('not valid JSON');
  });
});

describe('text that holds no backup codes is refused, with a sentence that says why', () => {
  it('prose', () => {
    expect(refusal('Keep these codes somewhere safe.\nYou can only use each one once, so print them or write them down.')).toContain('reads as words');
  });

  it('an otpauth link', () => {
    expect(refusal('otpauth://totp/Example:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example')).toContain('otpauth://');
  });

  it('one long token, alone or in a sentence', () => {
    expect(refusal('ghp9f8e7d6c5b4a39281706f5e4d3c2b1a0998877665544')).toContain('one long token');
    expect(refusal('Here is your access token: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0')).toContain('one long token');
  });

  it('empty text, and text beyond the size limit', () => {
    expect(refusal('  \n\t ')).toContain('no text');
    expect(refusal('a1b2c3d4\n'.repeat(8000))).toContain('KiB');
  });

  it('more codes than a set holds', () => {
    const many = Array.from({ length: 101 }, (_, index) => `code${String(index).padStart(4, '0')}`).join('\n');
    expect(refusal(many)).toContain('at most 100');
  });
});

/** fast-check arbitraries for the code shapes services issue. */
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
const digit = fc.constantFrom(...'0123456789');
const withDigit = (chars: string[], at: number, d: string) => {
  const copy = [...chars];
  copy[at % copy.length] = d;
  return copy.join('');
};
const plainCode = fc.tuple(fc.array(alnum, { minLength: 6, maxLength: 16 }), fc.nat(), digit).map(([chars, at, d]) => withDigit(chars, at, d));
const digitsCode = fc.array(digit, { minLength: 8, maxLength: 10 }).map((chars) => chars.join(''));
const dashedCode = fc
  .tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 3, max: 6 }), fc.nat(), digit)
  .chain(([groups, size, at, d]) =>
    fc.array(alnum, { minLength: groups * size, maxLength: groups * size }).map((chars) => {
      const text = withDigit(chars, at, d);
      return Array.from({ length: groups }, (_, index) => text.slice(index * size, (index + 1) * size)).join('-');
    }),
  );
const spacedCode = fc
  .tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 3, max: 5 }), fc.nat(), digit)
  .chain(([groups, size, at, d]) =>
    fc.array(alnum, { minLength: groups * size, maxLength: groups * size }).map((chars) => {
      const text = withDigit(chars, at, d);
      return Array.from({ length: groups }, (_, index) => text.slice(index * size, (index + 1) * size)).join(' ');
    }),
  );
const upper = (arbitrary: fc.Arbitrary<string>) => fc.tuple(arbitrary, fc.boolean()).map(([code, up]) => (up ? code.toUpperCase() : code));

type Layout = (codes: string[]) => string;
const HEADING = 'Your backup codes for Example\nKeep them somewhere safe.\n\n';
const FOOTER = '\n\n* You can only use each backup code once.\n* Generated on: Nov 22, 2026';
const rowsOf = (codes: string[], perRow: number, separator: string, numbered = false) =>
  Array.from({ length: Math.ceil(codes.length / perRow) }, (_, row) =>
    codes
      .slice(row * perRow, row * perRow + perRow)
      .map((code, index) => (numbered ? `${row * perRow + index + 1}. ${code}` : code))
      .join(separator),
  ).join('\n');
/** Layouts that hold every shape of code, spaced ones included. */
const layouts: Record<string, Layout> = {
  'one per line': (codes) => codes.join('\n'),
  'CRLF lines': (codes) => codes.join('\r\n'),
  'numbered 1.': (codes) => codes.map((code, index) => `${index + 1}. ${code}`).join('\n'),
  'numbered 1)': (codes) => codes.map((code, index) => `${index + 1}) ${code}`).join('\n'),
  'bullets': (codes) => codes.map((code) => `- ${code}`).join('\n'),
  'commas': (codes) => codes.join(', '),
  'tabs, three per row': (codes) => rowsOf(codes, 3, '\t'),
  'two spaces, two per row': (codes) => rowsOf(codes, 2, '  '),
  'numbered columns': (codes) => rowsOf(codes, 2, '\t\t', true),
  'file with heading and footer': (codes) => HEADING + codes.join('\n') + FOOTER,
  'JSON recovery_codes': (codes) => JSON.stringify({ recovery_codes: codes }),
  'JSON totps[].recovery_codes': (codes) => JSON.stringify({ user_id: 'u', totps: [{ id: 't', verified: true, recovery_codes: codes }] }),
  'JSON data.backup_codes': (codes) => JSON.stringify({ data: { backup_codes: codes }, errors: null }),
};
/** Single spaces between codes only work when no code has a space inside. */
const singleSpaceLayout: Layout = (codes) => rowsOf(codes, 4, ' ');

describe('property: random codes in every layout come back exactly', () => {
  const settings = { seed: 20261122, numRuns: 150 };
  const unique = (arbitrary: fc.Arbitrary<string>) => fc.uniqueArray(upper(arbitrary), { minLength: 1, maxLength: 20 });

  it('every shape of code, every layout', () => {
    fc.assert(
      fc.property(unique(fc.oneof(plainCode, digitsCode, dashedCode, spacedCode)), fc.constantFrom(...Object.keys(layouts)), (codes, layout) => {
        expect(recogniseCodes((layouts[layout] as Layout)(codes)).codes).toEqual(codes);
      }),
      settings,
    );
  });

  it('codes without spaces inside, several to a line with single spaces', () => {
    fc.assert(
      fc.property(unique(fc.oneof(plainCode, digitsCode, dashedCode)), (codes) => {
        expect(recogniseCodes(singleSpaceLayout(codes)).codes).toEqual(codes);
      }),
      settings,
    );
  });
});
