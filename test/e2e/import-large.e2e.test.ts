import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewAccountInput } from '../../shared/domain';
import { createCodeGenerator, decodeBase32, encodeBase32 } from '../../electron/main/otp';
import { seededRandom } from '../support/seeded-random';
import { openApp, useChromium } from './support/app';
import { createVault, expectAccessible } from './support/fixtures';

/**
 * A large export through the window: the preview is virtualized (only a window of rows in the
 * DOM), progress shows while main reads, entries can be left out with the keyboard, the report
 * adds up to every entry of the files, and the save is one vault write.
 */
const browser = useChromium();
const SHOTS = path.join(os.tmpdir(), 'latchkey-import-shots');

interface LargeImport {
  links: Buffer;
  mixed: Buffer;
  /** Accounts to save before the import: their secrets are also in the file. */
  saved: NewAccountInput[];
  total: number;
  fresh: number;
  duplicates: number;
  refused: number;
  first: { issuer: string; secret: string; algorithm: 'SHA1' | 'SHA256' | 'SHA512'; digits: number; period: number };
}

/** `count` links with seeded secrets and settings, some written twice (in lower case), some already saved. */
function largeImport(count: number, label: string): LargeImport {
  const random = seededRandom(label);
  const lines: string[] = [];
  const secrets: string[] = [];
  const saved: NewAccountInput[] = [];
  let duplicates = 0;
  let first: LargeImport['first'] | null = null;
  for (let n = 0; n < count; n++) {
    const issuer = `Service ${String(n + 1).padStart(5, '0')}`;
    // Every 97th entry repeats an earlier secret in another spelling: a duplicate within the file.
    if (n > 0 && n % 97 === 0) {
      const earlier = secrets[random.int(0, secrets.length - 1)] as string;
      lines.push(`otpauth://totp/${encodeURIComponent(issuer)}:again?secret=${earlier.toLowerCase()}&issuer=${encodeURIComponent(issuer)}`);
      duplicates++;
      continue;
    }
    const secret = encodeBase32(random.bytes(random.pick([10, 20, 32])));
    secrets.push(secret);
    if (n % 1000 === 500) {
      saved.push({ type: 'totp', secret, issuer: `Saved ${n}`, label: 'already here' });
      duplicates++;
    }
    const hotp = n % 11 === 3;
    const algorithm = random.pick(['SHA1', 'SHA1', 'SHA256', 'SHA512'] as const);
    const digits = random.pick([6, 6, 8]);
    const period = random.pick([30, 30, 60]);
    const name = `${encodeURIComponent(issuer)}:user${n}%40example.com`;
    lines.push(
      hotp
        ? `otpauth://hotp/${name}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=${algorithm}&digits=${digits}&counter=${random.int(0, 500)}`
        : `otpauth://totp/${name}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=${algorithm}&digits=${digits}&period=${period}`,
    );
    if (!first && !hotp) first = { issuer, secret, algorithm, digits, period };
  }
  // A small Aegis vault beside it: one good entry and two Latchkey must refuse, with their reasons.
  const entry = (type: string, issuer: string, digits: number) => ({ type, uuid: issuer, name: 'me', issuer, info: { secret: encodeBase32(random.bytes(20)), algo: 'SHA1', digits, period: 30 } });
  const mixed = { version: 1, header: { slots: null, params: null }, db: { version: 2, entries: [entry('totp', 'Aegis good', 6), entry('motp', 'Aegis mOTP', 6), entry('totp', 'Aegis long', 12)] } };
  const total = count + 3;
  return { links: Buffer.from(`# ${count} links\n${lines.join('\n')}\n`), mixed: Buffer.from(JSON.stringify(mixed)), saved, total, fresh: total - duplicates - 2, duplicates, refused: 2, first: first as LargeImport['first'] };
}

/** Records every text a status region shows, so that a progress step shorter than a poll is still seen. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { statusesSeen: string[] }).statusesSeen = seen;
    const record = () => {
      for (const element of document.querySelectorAll('[role="status"]')) {
        const text = element.textContent ?? '';
        if (text !== '' && !seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(record).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

const statusesSeen = (page: Page) => page.evaluate(() => (window as unknown as { statusesSeen: string[] }).statusesSeen);
const renderedRows = (page: Page) => page.locator('.import-entry').count();
const focusedPosition = (page: Page) => page.evaluate(() => document.activeElement?.closest('[data-position]')?.getAttribute('aria-posinset') ?? null);

describe('a large import through the window', () => {
  it('8,003 entries: a virtualized preview, progress, entries left out with the keyboard, a report that adds up, one save', { timeout: 180_000 }, async () => {
    const data = largeImport(8000, 'large import');
    const app = await openApp(browser(), { viewport: { width: 1200, height: 800 } });
    try {
      const { page, services } = app;
      await createVault(app);
      await services.accounts.addMany(data.saved);
      await page.getByRole('button', { name: 'Import accounts' }).click();
      await recordStatuses(page);
      const started = Date.now();
      await page.getByLabel('Export files to import').setInputFiles([
        { name: 'links.txt', mimeType: 'text/plain', buffer: data.links },
        { name: 'aegis.json', mimeType: 'application/json', buffer: data.mixed },
      ]);
      await page.getByRole('heading', { name: `${data.total} entries in 2 files` }).waitFor({ timeout: 60_000 });
      const previewMs = Date.now() - started;
      expect(await statusesSeen(page)).toContainEqual(expect.stringMatching(/^Reading every entry of the 2 files \(\d+(\.\d)? (KB|MB)\) and making its code…$/));
      await page.getByText(`${data.fresh} new · ${data.duplicates} duplicates · ${data.refused} cannot be imported`).waitFor();

      // Only a window of rows is in the DOM, and the list says how many there are.
      const rows = await renderedRows(page);
      expect(rows).toBeGreaterThan(5);
      expect(rows).toBeLessThan(60);
      const firstRow = page.locator('.import-entry').first();
      expect(await firstRow.getAttribute('aria-setsize')).toBe(String(data.total));
      // The first entry's code is its code now (or of the step just before, if the step turned).
      const generator = createCodeGenerator({ type: 'totp', algorithm: data.first.algorithm, digits: data.first.digits, period: data.first.period, counter: 0, secret: decodeBase32(data.first.secret) });
      const shown = await page.getByRole('listitem').filter({ hasText: data.first.issuer }).first().locator('.import-entry-code').getAttribute('aria-label');
      const now = Date.now();
      expect([generator.codeAt(now), generator.codeAt(now - data.first.period * 1000)].map((code) => `Code now ${code}`)).toContain(shown);
      await expectAccessible(page, 'large import preview');

      // Minutes later (both clocks: main's makes the codes, the window's sees them expire), the
      // rows in view show the codes of that time, asked of main again.
      const later = Date.now() - (Date.now() % 60_000) + 10 * 60_000 + 10_000;
      app.clock.advance(later - Date.now());
      await page.clock.setFixedTime(later);
      const firstCode = page.getByRole('listitem').filter({ hasText: data.first.issuer }).first().locator('.import-entry-code');
      await expect.poll(() => firstCode.getAttribute('aria-label'), { timeout: 5_000 }).toBe(`Code now ${generator.codeAt(later)}`);

      // Only the refused entries, only the duplicates, then every entry again.
      await page.getByRole('radio', { name: `Refused ${data.refused}` }).check();
      await expect.poll(() => renderedRows(page)).toBe(data.refused);
      expect(await page.locator('.import-entry').allTextContents()).toEqual([expect.stringContaining("Cannot be imported: Its type 'motp'"), expect.stringContaining('Cannot be imported: It has 12 digits')]);
      await page.getByRole('radio', { name: `Duplicates ${data.duplicates}` }).check();
      await expect.poll(async () => (await page.locator('.import-entry').allTextContents()).every((text) => text.includes('Already '))).toBe(true);
      expect(await page.locator('.import-entry').first().getAttribute('aria-setsize')).toBe(String(data.duplicates));
      await expectAccessible(page, 'large import preview, duplicates only');
      await page.getByRole('radio', { name: `All ${data.total}` }).check();
      await expect.poll(() => page.locator('.import-entry').first().getAttribute('aria-setsize')).toBe(String(data.total));

      // Keyboard: Space leaves the first entry out, End goes to the last row (scrolled into the
      // DOM, the first row gone), Space leaves it out, the arrows move one entry.
      const firstBox = page.getByRole('checkbox', { name: /Service 00001/ });
      await firstBox.focus();
      await page.keyboard.press('Space');
      expect(await firstBox.isChecked()).toBe(false);
      await page.keyboard.press('End');
      await page.waitForFunction((total) => document.activeElement?.closest('[data-position]')?.getAttribute('aria-posinset') === String(total), data.total);
      expect(await page.locator('.import-entry[aria-posinset="1"]').count()).toBe(0);
      // The last entries are the Aegis file's: the 12-digit one is refused and cannot be chosen.
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      expect(await focusedPosition(page)).toBe(String(data.total - 2));
      await page.getByText('Cannot be imported: It has 12 digits').waitFor();
      await page.keyboard.press('Space');
      expect(await page.getByRole('checkbox', { name: /Aegis good/ }).isChecked()).toBe(false);
      await page.keyboard.press('PageUp');
      expect(Number(await focusedPosition(page))).toBeLessThan(data.total - 5);
      expect(await renderedRows(page)).toBeLessThan(60);

      // The middle of the list, scrolled to by hand, renders its rows.
      await page.getByTestId('import-entries').evaluate((element) => {
        element.scrollTop = element.scrollHeight / 2;
      });
      await page.waitForFunction(() => [...document.querySelectorAll('.import-entry')].some((row) => Number(row.getAttribute('aria-posinset')) > 3000));
      expect(await renderedRows(page)).toBeLessThan(60);

      const chosen = data.fresh - 2;
      const importButton = page.getByRole('button', { name: `Import ${chosen} accounts` });
      await importButton.waitFor();
      let writes = 0;
      const stop = services.vault.onEvent((event) => {
        if (event === 'changed') writes++;
      });
      const before = services.accounts.list().length;
      await importButton.click();
      await page.getByRole('heading', { name: `Imported ${chosen} accounts` }).waitFor({ timeout: 60_000 });
      stop();
      expect(writes, 'the import is one vault write').toBe(1);
      expect(await statusesSeen(page)).toContain(`Saving ${chosen} accounts…`);
      const counts = (await page.getByRole('definition').allTextContents()).map(Number);
      expect(counts).toEqual([chosen, data.duplicates, 2, data.refused]);
      expect(counts.reduce((sum, value) => sum + value, 0)).toBe(data.total);
      await page.getByText(`${data.total} entries in all`).waitFor();
      await expectAccessible(page, 'large import report');
      const issuers = new Set(services.accounts.list().map((account) => account.issuer));
      expect(services.accounts.list()).toHaveLength(before + chosen);
      expect(issuers.has('Service 00001')).toBe(false);
      expect(issuers.has('Aegis good')).toBe(false);
      expect(issuers.has('Service 00002')).toBe(true);
      console.log(`large import: ${data.total} entries, preview in ${previewMs} ms, ${rows} rows in the DOM`);
    } finally {
      await app.close();
    }
  });

  it('looks right and is accessible in small and large windows, light and dark (screenshots in the temp folder)', { timeout: 180_000 }, async () => {
    mkdirSync(SHOTS, { recursive: true });
    const data = largeImport(2000, 'import screenshots');
    for (const [size, viewport] of [
      ['small', { width: 460, height: 760 }],
      ['large', { width: 1200, height: 800 }],
    ] as const) {
      for (const theme of ['light', 'dark'] as const) {
        const app = await openApp(browser(), { viewport, colorScheme: theme });
        try {
          const { page, services } = app;
          await createVault(app);
          await services.accounts.addMany(data.saved);
          await page.getByRole('button', { name: 'Import accounts' }).click();
          await page.getByLabel('Export files to import').setInputFiles([
            { name: 'links.txt', mimeType: 'text/plain', buffer: data.links },
            { name: 'aegis.json', mimeType: 'application/json', buffer: data.mixed },
          ]);
          await page.getByRole('heading', { name: `${data.total} entries in 2 files` }).waitFor({ timeout: 60_000 });
          // Scroll so that a duplicate of a saved account is in view.
          await page.getByTestId('import-entries').evaluate((element) => {
            element.scrollTop = 56 * 497;
          });
          await page.getByText(/Already saved as Saved 500/).waitFor();
          await expectAccessible(page, `preview (${size}, ${theme})`);
          await page.screenshot({ path: path.join(SHOTS, `preview-${size}-${theme}.png`) });
          await page.getByRole('button', { name: /^Import \d+ accounts$/ }).click();
          await page.getByRole('heading', { name: /^Imported \d+ accounts$/ }).waitFor({ timeout: 60_000 });
          await expectAccessible(page, `report (${size}, ${theme})`);
          await page.screenshot({ path: path.join(SHOTS, `report-${size}-${theme}.png`) });
        } finally {
          await app.close();
        }
      }
    }
  });
});
