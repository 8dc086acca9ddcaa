import { describe, expect, it } from 'vitest';
import { parseOtpauthList, readExportFile, readImportSources } from '../../../electron/main/importers';
import { encodeMigrationUris } from '../../../electron/main/otp';
import { errorOf } from '../../support/errors';
import { readFixture } from '../otp/fixtures';
import { ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID } from '../../support/migration';


describe('otpauth link lists', () => {
  it('reads Aegis plain.txt: the 7 canonical accounts, Steam included', () => {
    const accounts = parseOtpauthList(readFixture('aegis/plain.txt'));
    expect(accounts.map((account) => `${account.type}:${account.issuer}:${account.label}`)).toEqual([
      'totp:Deno:Mason',
      'totp:SPDX:James',
      'totp:Airbnb:Elijah',
      'hotp:Issuu:James',
      'hotp:Air Canada:Benjamin',
      'hotp:WWE:Mason',
      'steam:Boeing:Sophia',
    ]);
  });

  it('reads a Google Authenticator export file with comments, every account of every QR code', () => {
    const accounts = parseOtpauthList(readFixture('google_migration/scito/example_export.txt'));
    expect(accounts.length).toBeGreaterThanOrEqual(5);
    expect(accounts.every((account) => account.secret === '7KSQL2JTUDIS5EF65KLMRQIIGY')).toBe(true);
    expect(accounts.map((account) => account.label)).toContain('encoding: ¿äÄéÉ? (demo)');
    expect(accounts.find((account) => account.type === 'hotp')?.counter).toBe(4);
  });

  it('ignores blank lines and surrounding spaces, and keeps the file order', () => {
    const text = '\n   otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP  \r\n\n\totpauth://hotp/B:b?secret=AAAAAAAA&counter=3\n\n';
    expect(parseOtpauthList(text).map((account) => account.issuer)).toEqual(['A', 'B']);
  });

  it('fails the whole file on a malformed line, naming the line and the problem', () => {
    const text = 'otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n\nhttps://example.com/not-a-code\n';
    const error = errorOf(() => parseOtpauthList(text));
    expect(error.code).toBe('INVALID_IMPORT_FILE');
    expect(error.message).toMatch(/Line 3: .*otpauth/);
    const badSecret = errorOf(() => parseOtpauthList('otpauth://totp/A:a?secret=JBSWY3DPEHPK3PX1'));
    expect(badSecret.message).toMatch(/Line 1: .*base32/);
    const wrongData = errorOf(() => parseOtpauthList(readFixture('google_migration/scito/test_export_wrong_data.txt')));
    expect(wrongData.message).toMatch(/Line 1: /);
  });

  it('says which parts of a multi-part export are missing', () => {
    const accounts = Array.from({ length: 25 }, (_, index) => ({ type: 'totp' as const, secret: 'JBSWY3DPEHPK3PXP', issuer: `I${index}`, label: 'x', algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 }));
    const [first, , third] = encodeMigrationUris(accounts, ACCOUNTS_PER_MIGRATION_QR, TEST_BATCH_ID);
    const error = errorOf(() => parseOtpauthList(`${first}\n${third}\n`));
    expect(error.message).toContain('part 2 of 3 missing');
  });

  it('refuses empty files, binary files and files with only comments, through the path the CLI and the window take', async () => {
    const read = (text: string | Uint8Array, format?: string) => readImportSources([{ name: 'links.txt', bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text }], { password: null, ...(format ? { format } : {}) });
    await expect(read(new Uint8Array([0xff, 0xfe, 0x00, 0x81]))).rejects.toMatchObject({ code: 'UNKNOWN_IMPORT_FORMAT' });
    await expect(read(new Uint8Array([0xff, 0xfe, 0x00, 0x81]), 'uris')).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining('not a text file') });
    await expect(read('# nothing here\n\n')).rejects.toMatchObject({ code: 'UNKNOWN_IMPORT_FORMAT' });
    await expect(read('# nothing here\n\n', 'uris')).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining('no otpauth') });
    await expect(read('')).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining('empty') });
    const [file] = await read('\uFEFFotpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP');
    expect(file).toMatchObject({ fileName: 'links.txt', format: 'uris', items: [{ kind: 'entry', entry: { issuer: 'A', secret: 'JBSWY3DPEHPK3PXP' } }] });
  });

  it('reads a link list detected from its content, a bad line failing the whole file with its number', async () => {
    const result = await readExportFile(new TextEncoder().encode('# mine\n otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP \n\notpauth://hotp/B:b?secret=AAAAAAAA&counter=3\n'), { fileName: 'mine.txt' });
    expect(result.format).toBe('uris');
    expect(result.items.map((item) => (item.kind === 'entry' ? `${item.entry.type}:${item.entry.issuer}:${item.entry.counter}` : item.reason))).toEqual(['totp:A:0', 'hotp:B:3']);
    await expect(readExportFile(new TextEncoder().encode('otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\nnot a link\n'))).rejects.toMatchObject({ code: 'INVALID_IMPORT_FILE', message: expect.stringContaining('Line 2: ') });
  });
});
