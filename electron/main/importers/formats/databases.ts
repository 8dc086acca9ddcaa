import { checkCount, refused, toItem } from '../entry';
import { decodeBase64 } from '../crypto';
import { isSqlite, readRows, type Row, tableColumns, tableNames, withDatabase } from '../sqlite';
import type { Importer, ImportItem } from '../types';
import type { Database } from 'sql.js';

/**
 * App databases copied from a phone, read with a real SQLite (sql.js). Detection opens the database
 * and looks for the app's table and columns; that needs the SQLite engine, so it is done in parse
 * and detect only checks the SQLite header plus the table name in the raw bytes (SQLite stores the
 * schema as text in the first pages).
 */
function schemaMentions(bytes: Uint8Array, ...words: string[]): boolean {
  if (!isSqlite(bytes)) return false;
  const head = Buffer.from(bytes.subarray(0, Math.min(bytes.length, 64 * 1024))).toString('latin1');
  return words.every((word) => head.includes(word));
}

function text(row: Row, column: string): string {
  const value = row[column];
  return value === null || value === undefined ? '' : String(value);
}

function int(row: Row, column: string): number {
  const value = row[column];
  return typeof value === 'number' ? value : Number(value);
}

async function readTable(bytes: Uint8Array, table: string, columns: string[], appName: string): Promise<Row[]> {
  return withDatabase(bytes, (db: Database) => {
    if (!tableNames(db).includes(table)) throw new Error(`no ${table}`);
    const present = tableColumns(db, table);
    const missing = columns.filter((column) => !present.includes(column));
    if (missing.length > 0) throw new Error(`${appName}: missing ${missing.join(', ')}`);
    const rows = readRows(db, table);
    checkCount(rows.length);
    return rows;
  });
}

// --- Google Authenticator: databases/databases, table accounts. Always SHA1, 6 digits, 30 s.
export const googleAuthenticatorDbImporter: Importer = {
  id: 'google-authenticator-db',
  title: 'Google Authenticator database (databases file from the phone)',
  detect: (source) => schemaMentions(source.bytes, 'CREATE TABLE accounts', 'original_name'),
  encrypted: () => false,
  async parse(source) {
    const rows = await readTable(source.bytes, 'accounts', ['email', 'secret', 'counter', 'type', 'issuer'], 'Google Authenticator');
    return rows.map((row): ImportItem => {
      const issuer = text(row, 'issuer');
      let label = text(row, 'email');
      if (issuer !== '' && label.startsWith(`${issuer}:`)) label = label.slice(issuer.length + 1);
      const type = int(row, 'type') === 1 ? 'hotp' : int(row, 'type') === 0 ? 'totp' : null;
      if (!type) return refused(`Its type ${text(row, 'type').slice(0, 8)} is not TOTP or HOTP.`, issuer, label);
      return toItem({ type, secret: text(row, 'secret'), issuer, label, algorithm: 'SHA1', digits: 6, period: 30, counter: int(row, 'counter') });
    });
  },
};

// --- Microsoft Authenticator: databases/PhoneFactor, table accounts. Type 0: TOTP (base32);
// 1: Microsoft's own accounts (base64 secret, 8 digits); others are sign-in approvals, not codes.
export const microsoftAuthenticatorDbImporter: Importer = {
  id: 'microsoft-authenticator-db',
  title: 'Microsoft Authenticator database (PhoneFactor file from the phone)',
  detect: (source) => schemaMentions(source.bytes, 'CREATE TABLE', 'oath_secret_key', 'account_type'),
  encrypted: () => false,
  async parse(source) {
    const rows = await readTable(source.bytes, 'accounts', ['name', 'username', 'oath_secret_key', 'account_type'], 'Microsoft Authenticator');
    return rows.map((row): ImportItem => {
      const issuer = text(row, 'name');
      const label = text(row, 'username');
      const type = int(row, 'account_type');
      if (type === 0) return toItem({ type: 'totp', secret: text(row, 'oath_secret_key'), issuer, label });
      if (type === 1) {
        const secret = decodeBase64(text(row, 'oath_secret_key'));
        return secret ? toItem({ type: 'totp', secret, issuer, label, digits: 8 }) : refused('Its secret is not base64.', issuer, label);
      }
      return refused('It is a Microsoft sign-in account without codes to copy.', issuer, label);
    });
  },
};

// --- Authenticator Pro / Stratum: databases/authenticator.db3, table authenticator.
const STRATUM_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];

/** One Authenticator Pro / Stratum entry (the JSON backups use the same fields, capitalised). */
export function stratumItem(fields: { type: number; issuer: string; username: string; secret: string; algorithm: number; digits: number; period: number; counter: number }): ImportItem {
  const type = fields.type === 1 ? 'hotp' : fields.type === 2 ? 'totp' : fields.type === 4 ? 'steam' : null;
  if (!type) return refused(`Its type (${fields.type}) is not TOTP, HOTP or Steam (Yandex and mOTP are not supported).`, fields.issuer, fields.username);
  const algorithm = STRATUM_ALGORITHMS[fields.algorithm];
  if (!algorithm) return refused(`Its algorithm (${fields.algorithm}) is not SHA1, SHA256 or SHA512.`, fields.issuer, fields.username);
  return toItem({ type, secret: fields.secret, issuer: fields.issuer, label: fields.username, algorithm, digits: fields.digits, period: fields.period, counter: fields.counter });
}

export const stratumDbImporter: Importer = {
  id: 'stratum-db',
  title: 'Authenticator Pro / Stratum database (authenticator.db3 from the phone)',
  detect: (source) => schemaMentions(source.bytes, 'CREATE TABLE', 'authenticator', 'ranking'),
  encrypted: () => false,
  async parse(source) {
    const rows = await readTable(source.bytes, 'authenticator', ['type', 'issuer', 'username', 'secret', 'algorithm', 'digits', 'period', 'counter'], 'Stratum');
    return rows.map((row) =>
      stratumItem({
        type: int(row, 'type'),
        issuer: text(row, 'issuer'),
        username: text(row, 'username'),
        secret: text(row, 'secret'),
        algorithm: int(row, 'algorithm'),
        digits: int(row, 'digits'),
        period: int(row, 'period'),
        counter: int(row, 'counter'),
      }),
    );
  },
};
