import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeBase32, encodeMigrationUris } from '../../../electron/main/otp';
import { jpegOf } from '../../support/qr-corpus';
import { drawQrCodes, greyscalePng } from '../../support/qr-images';
import { seededRandom } from '../../support/seeded-random';
import { useTempDirs } from '../../support/temp-dir';
import { useCli } from '../../support/cli';

const tempDir = useTempDirs();
const runCli = useCli('latchkey-cli-pictures');
const latchkey = (args: string[]) => runCli(args, { env: { LATCHKEY_PASSWORD: 'pw' } });

async function newVault(): Promise<string> {
  const vault = tempDir();
  const created = await latchkey(['init', '--no-keychain', '--vault', vault]);
  expect(created.status, created.stderr).toBe(0);
  return vault;
}

/** Writes a picture of these codes side by side (PNG, or JPEG at quality 60) and returns its path. */
function picture(name: string, texts: string[], format: 'png' | 'jpeg' = 'png', scale = 4): string {
  const width = 40 + texts.length * 520;
  const height = 560;
  const grey = drawQrCodes(width, height, texts.map((text, index) => ({ text, x: 20 + index * 520, y: 20, scale })));
  const file = path.join(tempDir(), name);
  writeFileSync(file, format === 'png' ? greyscalePng(width, height, grey) : jpegOf(width, height, grey, 60));
  return file;
}

async function listed(vault: string): Promise<{ issuer: string }[]> {
  return JSON.parse((await latchkey(['list', '--json', '--vault', vault])).stdout) as { issuer: string }[];
}

describe('latchkey import <picture>...', () => {
  const random = seededRandom('cli pictures');
  const link = (issuer: string) => `otpauth://totp/${issuer}:me?secret=${encodeBase32(random.bytes(20))}&issuer=${issuer}`;

  it('reads every code in PNG and JPEG pictures in one save, previews with --dry-run, and skips what is saved', async () => {
    const vault = await newVault();
    const png = picture('two-codes.png', [link('Alpha'), link('Beta')]);
    const jpg = picture('photo.jpg', [link('Gamma')], 'jpeg');

    const preview = await latchkey(['import', png, jpg, '--dry-run', '--json', '--vault', vault]);
    expect(preview.status, preview.stderr).toBe(0);
    // The same preview as every other import (electron/cli/import-command.ts): the pictures are one source.
    const shown = JSON.parse(preview.stdout) as { files: { file: string; format: string }[]; counts: Record<string, number>; entries: { issuer: string; status: string; type: string; digits: number }[] };
    expect(shown.files).toEqual([{ file: '2 pictures', format: 'qr-pictures' }]);
    expect(shown.counts).toEqual({ total: 3, new: 3, duplicate: 0, refused: 0 });
    expect(shown.entries.map((entry) => entry.issuer).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(preview.stdout).not.toMatch(/secret|[A-Z2-7]{32}/);
    expect(await listed(vault)).toEqual([]);

    const imported = await latchkey(['import', png, jpg, '--vault', vault]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('Imported 3 accounts, skipped 0 already in the vault.\n');
    expect((await listed(vault)).map((account) => account.issuer).sort()).toEqual(['Alpha', 'Beta', 'Gamma']);

    const again = await latchkey(['import', jpg, '--dry-run', '--vault', vault]);
    expect(again.stdout).toMatch(/^duplicate +\d{6} +Gamma – me {2}\(TOTP SHA1 6 30 s, same secret as Gamma – me\)$/m);
    expect(again.stdout).toContain('Would import 0, skip 1 duplicate, refuse 0; nothing was saved.');
    const json = await latchkey(['import', png, jpg, '--json', '--vault', vault]);
    expect(JSON.parse(json.stdout)).toEqual({ imported: 0, skipped: 3, ids: [] });
  });

  it('says that a picture holds no QR code, and saves nothing from the others', async () => {
    const vault = await newVault();
    const good = picture('good.png', [link('Delta')]);
    const blank = picture('blank.png', []);
    const run = await latchkey(['import', good, blank, '--vault', vault]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('latchkey: NO_QR_CODE: No QR code was found in the picture. blank.png holds none that Latchkey can read; use a sharper or larger picture.\n');
    expect(await listed(vault)).toEqual([]);
  });

  it('assembles a Google Authenticator export whose two parts are in two pictures, and names missing parts', async () => {
    const vault = await newVault();
    const accounts = Array.from({ length: 14 }, (_, index) => ({ type: 'totp' as const, secret: encodeBase32(random.bytes(20)), issuer: `Service ${index + 1}`, label: 'me', algorithm: 'SHA1' as const, digits: 6, period: 30, counter: 0 }));
    const [part1, part2] = encodeMigrationUris(accounts, 10, 0x1a7c4e3);
    const first = picture('export-1.png', [part1 as string], 'png', 3);
    const second = picture('export-2.jpg', [part2 as string], 'jpeg', 3);

    const incomplete = await latchkey(['import', second, '--vault', vault]);
    expect(incomplete.status).toBe(1);
    expect(incomplete.stderr).toMatch(/^latchkey: INVALID_IMPORT_FILE: .*incomplete: part 1 of 2 missing/);

    const run = await latchkey(['import', second, first, '--json', '--vault', vault]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 14, skipped: 0 });
    expect((await listed(vault)).map((account) => account.issuer)).toEqual(accounts.map((account) => account.issuer));
  });

  it('refuses a file that is neither a picture nor a link list, and a QR code that is not an account', async () => {
    const vault = await newVault();
    const web = picture('web.png', ['https://example.com/welcome']);
    const run = await latchkey(['import', web, '--vault', vault]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^latchkey: INVALID_IMPORT_FILE: .*A QR code in web\.png: /);
    const usage = await latchkey(['import', '--vault', vault]);
    expect(usage.status).toBe(2);
  });
});
