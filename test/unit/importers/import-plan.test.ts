import { describe, expect, it } from 'vitest';
import { AccountsService } from '../../../electron/main/accounts';
import { ImportPlan, readExportFile } from '../../../electron/main/importers';
import { createCodeGenerator, decodeBase32 } from '../../../electron/main/otp';
import { makeVault } from '../../support/vault';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();

async function accountsInNewVault(): Promise<AccountsService> {
  const vault = makeVault(tempDir());
  await vault.create({ password: 'pw', useKeychain: false });
  return new AccountsService(vault, () => 1_700_000_000_000);
}

const text = (lines: string[]) => new TextEncoder().encode(lines.join('\n'));
const DENO = 'otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno';
const ISSUU = 'otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=1';
const OTHER = 'otpauth://totp/Other:me?secret=JBSWY3DPEHPK3PXP';

describe('the import plan: preview, choice, one save, a report that adds up', () => {
  it('previews codes now, marks duplicates of saved accounts and of earlier entries, and saves only the chosen new ones', async () => {
    const accounts = await accountsInNewVault();
    await accounts.add({ type: 'totp', secret: 'JBSWY3DPEHPK3PXP', issuer: 'Saved', label: 'x' });
    const file = await readExportFile(text([DENO, ISSUU, OTHER, DENO]), { fileName: 'links.txt' });
    const plan = new ImportPlan([file], (secret) => accounts.findBySecret(secret), 1_700_000_000_000);
    expect(plan.preview.map((entry) => [entry.issuer, entry.status, entry.code])).toEqual([
      ['Deno', 'new', '790195'],
      ['Issuu', 'new', '253717'],
      ['Other', 'duplicate', expect.stringMatching(/^\d{6}$/)],
      ['Deno', 'duplicate', '790195'],
    ]);
    expect(plan.preview[2]?.duplicateOf).toMatchObject({ issuer: 'Saved', label: 'x' });
    expect(plan.preview[3]?.duplicateOf).toEqual({ id: null, issuer: 'Deno', label: 'Mason', differs: [] });
    expect(plan.defaultChoice()).toEqual([0, 1]);

    // The window asks for the codes of the rows in view again as they expire.
    expect(plan.codesNow([0, 1, 0, 99, -1], 1_700_000_000_000 + 60_000)).toEqual([
      { index: 0, code: createCodeGenerator({ type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: 0, secret: decodeBase32('4SJHB4GSD43FZBAI7C2HLRJGPQ') }).codeAt(1_700_000_060_000) },
      { index: 1, code: '253717' },
    ]);

    const report = await plan.save(accounts, [1]);
    expect(report).toMatchObject({ total: 4, imported: 1, skippedDuplicates: 2, leftOut: 1, refused: [] });
    expect(accounts.list().map((account) => account.issuer)).toEqual(['Saved', 'Issuu']);
  });

  it('counts refused entries and refuses a choice that names no entry, saving nothing', async () => {
    const accounts = await accountsInNewVault();
    const aegis = { version: 1, header: { slots: null, params: null }, db: { version: 1, entries: [{ type: 'motp', name: 'a', issuer: 'M', info: { secret: 'JBSWY3DPEHPK3PXP' } }, { type: 'totp', name: 'b', issuer: 'T', info: { secret: 'MFRGGZDFMZTWQ2LK', digits: 6, period: 30, algo: 'SHA1' } }] } };
    const file = await readExportFile(new TextEncoder().encode(JSON.stringify(aegis)));
    const plan = new ImportPlan([file], (secret) => accounts.findBySecret(secret), 0);
    expect(plan.preview.map((entry) => entry.status)).toEqual(['refused', 'new']);
    await expect(plan.save(accounts, [7])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(accounts.list()).toHaveLength(0);
    const report = await plan.save(accounts);
    expect(report.imported + report.skippedDuplicates + report.leftOut + report.refused.length).toBe(report.total);
    expect(report.refused).toEqual([{ index: 0, fileName: '', issuer: 'M', label: 'a', reason: "Its type 'motp' is not one Latchkey supports (TOTP, HOTP, Steam)." }]);
  });
});
