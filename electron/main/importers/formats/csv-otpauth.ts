import { parseCsv } from '../csv';
import { badFile, itemFromUri, MAX_IMPORT_ENTRIES, refused } from '../entry';
import { bitwardenTotp } from './bitwarden';
import type { Importer, ImportItem, ImportSource } from '../types';

/**
 * CSV files with a TOTP column: Bitwarden (`login_totp`), Apple Passwords
 * (`Title,URL,Username,Password,Notes,OTPAuth`) and any CSV whose header names an otpauth/totp
 * column. Rows with an empty TOTP cell are passwords without a second factor and are not counted.
 */
const TOTP_COLUMNS = ['otpauth', 'login_totp', 'totp', 'otp', 'otpauth_uri', 'otp_uri', 'otp auth'];
const NAME_COLUMNS = ['title', 'name', 'issuer'];
const USER_COLUMNS = ['username', 'login_username', 'account', 'user'];

function header(source: ImportSource): string[] | null {
  const text = source.text();
  if (text === null) return null;
  const firstLine = text.slice(0, 4096).split(/\r?\n/)[0] ?? '';
  if (!firstLine.includes(',')) return null;
  try {
    return (parseCsv(firstLine, 1)[0] ?? []).map((cell) => cell.trim().toLowerCase());
  } catch {
    return null;
  }
}

export const csvImporter: Importer = {
  id: 'csv',
  title: 'CSV with an otpauth or TOTP column (Apple Passwords, Bitwarden CSV, password managers)',
  detect: (source) => header(source)?.some((cell) => TOTP_COLUMNS.includes(cell)) ?? false,
  encrypted: () => false,
  async parse(source) {
    const text = source.text();
    if (text === null) throw badFile('It is not a text file.');
    let rows: string[][];
    try {
      rows = parseCsv(text, MAX_IMPORT_ENTRIES + 1);
    } catch {
      throw badFile(`It has more than ${MAX_IMPORT_ENTRIES} rows.`);
    }
    const [head, ...body] = rows;
    const columns = (head ?? []).map((cell) => cell.trim().toLowerCase());
    const totpAt = columns.findIndex((cell) => TOTP_COLUMNS.includes(cell));
    if (totpAt < 0) throw badFile('Its first line names no otpauth or TOTP column.');
    const nameAt = columns.findIndex((cell) => NAME_COLUMNS.includes(cell));
    const userAt = columns.findIndex((cell) => USER_COLUMNS.includes(cell));
    const groupAt = columns.indexOf('folder');
    return body.flatMap((row, index): ImportItem[] => {
      const totp = (row[totpAt] ?? '').trim();
      if (totp === '') return [];
      const name = nameAt >= 0 ? (row[nameAt] ?? '') : '';
      const user = userAt >= 0 ? (row[userAt] ?? '') : '';
      if (row.length !== columns.length) return [refused(`Row ${index + 2} has ${row.length} cells where the header has ${columns.length}.`, name, user)];
      if (/^otpauth:\/\//i.test(totp)) return [itemFromUri(totp, { issuer: name, label: user, group: groupAt >= 0 ? row[groupAt] : null })];
      return [bitwardenTotp(totp, name, user, groupAt >= 0 ? (row[groupAt] ?? null) : null)];
    });
  },
};
