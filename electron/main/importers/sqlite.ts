import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { badFile, MAX_IMPORT_ENTRIES } from './entry';
import { startsWithAscii } from './source';

/**
 * SQLite through sql.js (SQLite compiled to WebAssembly; no native build, no download). The .wasm
 * is read from the installed sql.js package on disk, never fetched.
 */
let engine: Promise<SqlJsStatic> | null = null;

function sqlEngine(): Promise<SqlJsStatic> {
  engine ??= (async () => {
    const wasmPath = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    const wasm = await readFile(wasmPath);
    return initSqlJs({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
  })();
  return engine;
}

export function isSqlite(bytes: Uint8Array): boolean {
  return startsWithAscii(bytes, 'SQLite format 3\u0000');
}

export type Row = Record<string, unknown>;

/** The tables of a database file, or the rows of one table; the database is closed before returning. */
export async function withDatabase<T>(bytes: Uint8Array, read: (db: Database) => T): Promise<T> {
  const SQL = await sqlEngine();
  let db: Database;
  try {
    db = new SQL.Database(bytes);
  } catch {
    throw badFile('It is a damaged SQLite database.');
  }
  try {
    return read(db);
  } catch (error) {
    if (error instanceof Error && error.name === 'LatchkeyError') throw error;
    throw badFile('Its SQLite database could not be read (it is damaged or not the expected app\'s).');
  } finally {
    db.close();
  }
}

export function tableNames(db: Database): string[] {
  const result = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
  return (result[0]?.values ?? []).map((row) => String(row[0]));
}

export function tableColumns(db: Database, table: string): string[] {
  const result = db.exec(`PRAGMA table_info("${table.replace(/"/g, '""')}")`);
  return (result[0]?.values ?? []).map((row) => String(row[1]));
}

/** Every row of a table (at most MAX_IMPORT_ENTRIES + 1, so a hostile database cannot exhaust memory). */
export function readRows(db: Database, table: string): Row[] {
  const statement = db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}" LIMIT ${MAX_IMPORT_ENTRIES + 1}`);
  const rows: Row[] = [];
  try {
    while (statement.step()) rows.push(statement.getAsObject());
  } finally {
    statement.free();
  }
  return rows;
}

/** The names of the app databases Latchkey reads, by the table and columns that identify them. */
export async function sqliteSignature(bytes: Uint8Array): Promise<Map<string, string[]>> {
  return withDatabase(bytes, (db) => new Map(tableNames(db).map((table) => [table, tableColumns(db, table)])));
}
