import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, useTempDirs } from '../../support/temp-dir';
import { useCli } from '../../support/cli';

const tempDir = useTempDirs();
const latchkey = useCli('latchkey-cli-import');

const aegis = (name: string): string => path.join(fixturesDir, 'aegis', name);
const env = { LATCHKEY_PASSWORD: 'vault pw' };

async function newVault(): Promise<string> {
  const vault = tempDir();
  const init = await latchkey(['init', '--no-keychain', '--vault', vault], { env });
  expect(init.status, init.stderr).toBe(0);
  return vault;
}

async function listed(vault: string): Promise<{ issuer: string; label: string; type: string; digits: number }[]> {
  const list = await latchkey(['list', '--json', '--vault', vault], { env });
  expect(list.status, list.stderr).toBe(0);
  return JSON.parse(list.stdout) as { issuer: string; label: string; type: string; digits: number }[];
}

/** A plain Aegis vault with two good entries and two that Latchkey must refuse, with their reasons. */
function aegisWithBadEntries(dir: string): string {
  const entry = (type: string, issuer: string, secret: string, digits = 6) => ({ type, uuid: issuer, name: 'me', issuer, note: `note of ${issuer}`, info: { secret, algo: 'SHA1', digits, period: 30 } });
  const file = path.join(dir, 'mixed.json');
  const db = { version: 2, entries: [entry('totp', 'Good', 'JBSWY3DPEHPK3PXP'), entry('yandex', 'Yandex', 'MFRGGZDFMZTWQ2LK'), entry('totp', 'Long', 'GEZDGNBVGY3TQOJQ', 12), entry('totp', 'Fine', 'MZXW6YTBOI')] };
  writeFileSync(file, JSON.stringify({ version: 1, header: { slots: null, params: null }, db }));
  return file;
}

describe('latchkey import of other apps\' export files', () => {
  it('imports an encrypted Aegis vault with the file password from stdin, then skips every entry as a duplicate', async () => {
    const vault = await newVault();
    const first = await latchkey(['import', aegis('aegis_encrypted.json'), '--file-password-stdin', '--vault', vault], { env, stdin: 'test\n' });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('Imported 7 accounts, skipped 0 already in the vault.\n');
    expect((await listed(vault)).map((account) => `${account.type}:${account.issuer}:${account.label}:${account.digits}`)).toEqual([
      'totp:Deno:Mason:6',
      'totp:SPDX:James:7',
      'totp:Airbnb:Elijah:8',
      'hotp:Issuu:James:6',
      'hotp:Air Canada:Benjamin:7',
      'hotp:WWE:Mason:8',
      'steam:Boeing:Sophia:5',
    ]);
    const again = await latchkey(['import', aegis('stratum_plain.json'), '--json', '--vault', vault], { env });
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, skipped: 7, ids: [] });
  });

  it('says when a file password is wrong or missing, and saves nothing', async () => {
    const vault = await newVault();
    const wrong = await latchkey(['import', aegis('andotp_encrypted.bin'), '--file-password-stdin', '--vault', vault], { env, stdin: 'nope\n' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^latchkey: IMPORT_WRONG_PASSWORD: .*andOTP/);
    const missing = await latchkey(['import', aegis('2fas_authenticator_encrypted_v4.2fas'), '--vault', vault], { env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^latchkey: IMPORT_PASSWORD_REQUIRED: .*2FAS.*--file-password-stdin/);
    const fromEnv = await latchkey(['import', aegis('2fas_authenticator_encrypted_v4.2fas'), '--vault', vault], { env: { ...env, LATCHKEY_IMPORT_PASSWORD: 'test' } });
    expect(fromEnv.stdout).toBe('Imported 5 accounts, skipped 0 already in the vault.\n');
    expect(await listed(vault)).toHaveLength(5);
  });

  it('--dry-run --json previews several files: codes, duplicates across files, nothing saved', async () => {
    const vault = await newVault();
    const run = await latchkey(['import', aegis('2fas_authenticator_plain_v4.2fas'), aegis('andotp_plain.json'), '--dry-run', '--json', '--vault', vault], { env });
    expect(run.status, run.stderr).toBe(0);
    const preview = JSON.parse(run.stdout) as { files: { file: string; format: string }[]; entries: { status: string; code: string | null; issuer: string; duplicateOf: unknown }[]; counts: Record<string, number> };
    expect(preview.files).toEqual([
      { file: '2fas_authenticator_plain_v4.2fas', format: '2fas' },
      { file: 'andotp_plain.json', format: 'andotp' },
    ]);
    expect(preview.counts).toEqual({ total: 12, new: 7, duplicate: 5, refused: 0 });
    const issuu = preview.entries.filter((entry) => entry.issuer === 'Issuu');
    expect(issuu.map((entry) => entry.status)).toEqual(['new', 'duplicate']);
    expect(issuu[0]?.code).toBe('253717'); // HOTP at its stored counter 1, as expected.json lists
    expect(preview.entries.every((entry) => entry.code !== null && /^[0-9A-Z]{5,8}$/.test(entry.code))).toBe(true);
    expect(JSON.stringify(preview)).not.toMatch(/secret|YOOMIXWS5GN6RTBPUFFWKTW5M4/i);
    expect(await listed(vault)).toHaveLength(0);
  });

  it('reports refused entries with their reasons; the counts add up to the entries of the file', async () => {
    const vault = await newVault();
    const file = aegisWithBadEntries(tempDir());
    const text = await latchkey(['import', file, '--dry-run', '--vault', vault], { env });
    expect(text.stdout).toContain('Would import 2, skip 0 duplicates, refuse 2; nothing was saved.');
    const run = await latchkey(['import', file, '--json', '--vault', vault], { env });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { imported: number; skipped: number; refused: { issuer: string; reason: string }[] };
    expect(report.imported + report.skipped + report.refused.length).toBe(4);
    expect(report.refused.map((entry) => entry.issuer)).toEqual(['Yandex', 'Long']);
    expect(report.refused[0]?.reason).toMatch(/type 'yandex'/);
    expect(report.refused[1]?.reason).toMatch(/12 digits/);
    const textRun = await latchkey(['import', file, '--vault', vault], { env });
    expect(textRun.stdout).toBe("Imported 0 accounts, skipped 2 already in the vault.\nRefused 2 entries:\n  Yandex – me: Its type 'yandex' is not one Latchkey supports (TOTP, HOTP, Steam).\n  Long – me: It has 12 digits; Latchkey shows codes of 6 to 10 digits.\n");
  });

  it('imports a folder, and fails the whole import naming the file that cannot be read', async () => {
    const vault = await newVault();
    const folder = path.join(tempDir(), 'exports');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.txt'), 'otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP\n');
    writeFileSync(path.join(folder, 'b.pdf'), '%PDF-1.7\n%\u00e2\u00e3\n');
    const failed = await latchkey(['import', folder, '--vault', vault], { env });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^latchkey: UNKNOWN_IMPORT_FORMAT: .*b\.pdf: It looks like a PDF document/);
    expect(await listed(vault)).toHaveLength(0);
    writeFileSync(path.join(folder, 'b.pdf'), 'otpauth://hotp/B:b?secret=MFRGGZDFMZTWQ2LK&counter=2\n');
    const ok = await latchkey(['import', folder, '--vault', vault], { env });
    expect(ok.stdout).toBe('Imported 2 accounts, skipped 0 already in the vault.\n');
  });

  it('says what another kind of file looks like, which schema versions it reads, and which formats exist', async () => {
    const vault = await newVault();
    const dir = tempDir();
    const kdbx = path.join(dir, 'vault.kdbx');
    writeFileSync(kdbx, Buffer.from([0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5, 0, 0, 4, 0]));
    expect((await latchkey(['import', kdbx, '--vault', vault], { env })).stderr).toMatch(/^latchkey: UNKNOWN_IMPORT_FORMAT: .*KeePass database/);
    const future = path.join(dir, 'future.2fas');
    writeFileSync(future, JSON.stringify({ schemaVersion: 9, services: [], appOrigin: 'android' }));
    expect((await latchkey(['import', future, '--vault', vault], { env })).stderr).toMatch(/^latchkey: UNSUPPORTED_IMPORT_VERSION: .*schema version 9.*1, 2, 3, 4/);
    const unknownFormat = await latchkey(['import', aegis('plain.txt'), '--format', 'lotus', '--vault', vault], { env });
    expect(unknownFormat.stderr).toMatch(/^latchkey: INVALID_INPUT: .*Unknown format 'lotus'. Known formats: uris, latchkey, aegis, 2fas/);
    const named = await latchkey(['import', aegis('plain.txt'), '--format', 'bitwarden-json', '--vault', vault], { env });
    expect(named.status).toBe(1);
    expect(named.stderr).toMatch(/^latchkey: INVALID_IMPORT_FILE: /);
    const device = await latchkey(['import', '/dev/zero', '--vault', vault], { env });
    expect(device.stderr).toMatch(/^latchkey: INVALID_INPUT: .*not a regular file/);
    const both = await latchkey(['import', aegis('plain.txt'), '--format', 'uris', '--password-stdin', '--file-password-stdin', '--vault', vault], { env });
    expect(both.status).toBe(2);
    expect(await listed(vault)).toHaveLength(0);
  });
});

describe('latchkey export and restore', () => {
  it('exports a Latchkey backup and restores it into a new vault with the same accounts', async () => {
    const vault = await newVault();
    await latchkey(['import', aegis('aegis_plain_grouped_v2.json'), '--vault', vault], { env });
    const file = path.join(tempDir(), 'backup.json');
    const exported = await latchkey(['export', file, '--format', 'latchkey', '--file-password-stdin', '--vault', vault], { env, stdin: 'backup pw\n' });
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('Exported 7 accounts');
    const again = await latchkey(['export', file, '--format', 'latchkey', '--vault', vault], { env: { ...env, LATCHKEY_EXPORT_PASSWORD: 'x' } });
    expect(again.stderr).toMatch(/^latchkey: IO_ERROR: .*already exists/);

    const restoredDir = path.join(tempDir(), 'restored');
    const wrong = await latchkey(['restore', file, '--no-keychain', '--file-password-stdin', '--vault', restoredDir], { env, stdin: 'nope\n' });
    expect(wrong.stderr).toMatch(/^latchkey: IMPORT_WRONG_PASSWORD: /);
    const restored = await latchkey(['restore', file, '--no-keychain', '--file-password-stdin', '--vault', restoredDir], { env, stdin: 'backup pw\n' });
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stderr).toContain('Restored 7 accounts');
    expect(await listed(restoredDir)).toEqual(await listed(vault));
  });

  it('warns that a plain export holds every secret unencrypted, and writes links that import back', async () => {
    const vault = await newVault();
    await latchkey(['import', aegis('plain.txt'), '--vault', vault], { env });
    const file = path.join(tempDir(), 'links.txt');
    const run = await latchkey(['export', file, '--format', 'uris', '--vault', vault], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Warning: This file will hold every secret unencrypted/);
    const other = await newVault();
    const back = await latchkey(['import', file, '--vault', other], { env });
    expect(back.stdout).toBe('Imported 7 accounts, skipped 0 already in the vault.\n');
    const noPassword = await latchkey(['export', path.join(tempDir(), 'a.json'), '--format', 'aegis', '--vault', vault], { env });
    expect(noPassword.stderr).toMatch(/^latchkey: PASSWORD_REQUIRED: .*--file-password-stdin/);
    const badFormat = await latchkey(['export', path.join(tempDir(), 'a.json'), '--format', 'keepass', '--vault', vault], { env });
    expect(badFormat.stderr).toMatch(/^latchkey: INVALID_INPUT: .*latchkey, aegis, aegis-plain, uris/);
  });
});
