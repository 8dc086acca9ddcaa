import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, useTempDirs } from '../../support/temp-dir';
import { useCli } from '../../support/cli';

const tempDir = useTempDirs();
const latchkey = useCli('latchkey-cli');

const DENO = 'otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno';
const ISSUU = 'otpauth://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&issuer=Issuu&counter=1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('latchkey command line', () => {
  it('creates a password vault, adds, lists, shows codes, advances HOTP, removes', async () => {
    const vault = tempDir();
    const withPassword = { LATCHKEY_PASSWORD: 'hunter2 but longer' };
    const init = await latchkey(['init', '--password-stdin', '--no-keychain', '--vault', vault], { stdin: 'hunter2 but longer\n' });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toContain('Created a vault');

    const addDeno = await latchkey(['add', DENO, '--vault', vault], { env: withPassword });
    expect(addDeno.status, addDeno.stderr).toBe(0);
    const denoId = addDeno.stdout.trim();
    expect(denoId).toMatch(UUID);
    const addIssuu = await latchkey(['add', ISSUU], { env: { ...withPassword, LATCHKEY_VAULT_DIR: vault } });
    const issuuId = addIssuu.stdout.trim();
    expect(issuuId).toMatch(UUID);

    const list = await latchkey(['list', '--json', '--vault', vault], { env: withPassword });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      { id: denoId, issuer: 'Deno', label: 'Mason', type: 'totp', algorithm: 'SHA1', digits: 6, period: 30, counter: null, group: null },
      { id: issuuId, issuer: 'Issuu', label: 'James', type: 'hotp', algorithm: 'SHA1', digits: 6, period: null, counter: 1, group: null },
    ]);
    expect(list.stdout).not.toContain('4SJHB4GSD43FZBAI7C2HLRJGPQ');

    // Codes from test/fixtures/aegis/expected.json
    const codes = await latchkey(['code', 'deno', '--at', '1700000000', '--json', '--vault', vault], { env: withPassword });
    expect(JSON.parse(codes.stdout)).toEqual([{ id: denoId, issuer: 'Deno', label: 'Mason', code: '790195', expiresAt: 1700000010 }]);
    const hotp = await latchkey(['code', 'ISSUU', '--json', '--vault', vault], { env: withPassword });
    expect(JSON.parse(hotp.stdout)).toEqual([{ id: issuuId, issuer: 'Issuu', label: 'James', code: '253717', expiresAt: null }]);
    const next = await latchkey(['code', 'issuu', '--next', '--json', '--vault', vault], { env: withPassword });
    expect(JSON.parse(next.stdout)[0].code).not.toBe('253717');
    const listAfter = await latchkey(['list', '--json', '--vault', vault], { env: withPassword });
    expect(JSON.parse(listAfter.stdout)[1].counter).toBe(2);

    const human = await latchkey(['code', '--vault', vault], { env: withPassword });
    expect(human.stdout).toMatch(/^\d{6} {2}Deno – Mason/m);

    const removed = await latchkey(['remove', denoId, '--vault', vault], { env: withPassword });
    expect(removed.status).toBe(0);
    const finalList = await latchkey(['list', '--json', '--vault', vault], { env: withPassword });
    expect(JSON.parse(finalList.stdout).map((entry: { id: string }) => entry.id)).toEqual([issuuId]);
  });

  it('changes the password with `password set`; the old one then fails with WRONG_PASSWORD', async () => {
    const vault = tempDir();
    await latchkey(['init', '--no-keychain', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'old one' } });
    const set = await latchkey(['password', 'set', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'old one' }, stdin: 'new one\n' });
    expect(set.status, set.stderr).toBe(0);
    const old = await latchkey(['list', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'old one' } });
    expect(old.status).toBe(1);
    expect(old.stderr).toMatch(/^latchkey: WRONG_PASSWORD: /);
    const fresh = await latchkey(['list', '--json', '--password-stdin', '--vault', vault], { stdin: 'new one' });
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(JSON.parse(fresh.stdout)).toEqual([]);
  });

  it('refuses `password set` without the current password, even when the keychain opens the vault', async () => {
    const vault = tempDir();
    await latchkey(['init', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'current' } });
    const set = await latchkey(['password', 'set', '--vault', vault], { stdin: 'taken over\n' });
    expect(set.status).toBe(1);
    expect(set.stderr).toMatch(/^latchkey: PASSWORD_REQUIRED: /);
    const still = await latchkey(['list', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'current' } });
    expect(still.status, still.stderr).toBe(0);
  });

  it('opens through the system keychain with no password at all', async () => {
    const vault = tempDir();
    const init = await latchkey(['init', '--vault', vault]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toContain('system keychain');
    const add = await latchkey(['add', DENO, '--vault', vault]);
    expect(add.status, add.stderr).toBe(0);
    const list = await latchkey(['list', '--json', '--vault', vault]);
    expect(JSON.parse(list.stdout)).toHaveLength(1);
  });

  it('says KEYCHAIN_UNAVAILABLE, and how to use the password, when no Secret Service runs', async () => {
    const vault = tempDir();
    await latchkey(['init', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    const noBus = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(vault, 'no-bus')}` };
    const list = await latchkey(['list', '--vault', vault], { env: noBus });
    expect(list.status).toBe(1);
    expect(list.stderr).toMatch(/^latchkey: KEYCHAIN_UNAVAILABLE: .*LATCHKEY_PASSWORD/);
    const withPassword = await latchkey(['list', '--json', '--vault', vault], { env: { ...noBus, LATCHKEY_PASSWORD: 'pw' } });
    expect(withPassword.status, withPassword.stderr).toBe(0);
  });

  it('imports a file of links in one save: counts duplicates, fails whole on a bad line', async () => {
    const vault = tempDir();
    const env = { LATCHKEY_PASSWORD: 'pw' };
    await latchkey(['init', '--no-keychain', '--vault', vault], { env });
    const plain = path.join(fixturesDir, 'aegis', 'plain.txt');
    const first = await latchkey(['import', plain, '--vault', vault], { env });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('Imported 7 accounts, skipped 0 already in the vault.\n');
    const again = await latchkey(['import', plain, '--json', '--vault', vault], { env });
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, skipped: 7, ids: [] });
    const google = await latchkey(['import', path.join(fixturesDir, 'google_migration', 'scito', 'example_export.txt'), '--vault', vault], { env });
    expect(google.stdout).toMatch(/^Imported 1 account, skipped \d+ already in the vault\.\n$/);

    const broken = path.join(tempDir(), 'broken.txt');
    writeFileSync(broken, 'otpauth://totp/New:one?secret=MFRGGZDFMZTWQ2LK\n  \nnot a link\n');
    const failed = await latchkey(['import', broken, '--vault', vault], { env });
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^latchkey: INVALID_IMPORT_FILE: .*Line 3: /);
    const list = await latchkey(['list', '--json', '--vault', vault], { env });
    expect(JSON.parse(list.stdout)).toHaveLength(8);
    const missing = await latchkey(['import', path.join(vault, 'nope.txt'), '--vault', vault], { env });
    expect(missing.stderr).toMatch(/^latchkey: IO_ERROR: .*ENOENT/);
  });

  it('adds from stdin with `add -` and `--uri-stdin`, warns when a secret is in argv, imports many with `import -`', async () => {
    const vault = tempDir();
    const env = { LATCHKEY_PASSWORD: 'pw' };
    await latchkey(['init', '--no-keychain', '--vault', vault], { env });

    const dash = await latchkey(['add', '-', '--vault', vault], { env, stdin: `${DENO}\n` });
    expect(dash.status, dash.stderr).toBe(0);
    expect(dash.stdout.trim()).toMatch(UUID);
    expect(dash.stderr).toBe('');
    const flag = await latchkey(['add', '--uri-stdin', '--vault', vault], { env, stdin: `  ${ISSUU}  ` });
    expect(flag.status, flag.stderr).toBe(0);
    expect(flag.stderr).toBe('');

    const inArgv = await latchkey(['add', 'otpauth://totp/Argv:me?secret=MFRGGZDFMZTWQ2LK&issuer=Argv', '--vault', vault], { env });
    expect(inArgv.status, inArgv.stderr).toBe(0);
    expect(inArgv.stderr).toMatch(/^latchkey: warning: a secret in the command line .*`latchkey add -`.*\n$/);
    expect(inArgv.stderr.split('\n')).toHaveLength(2);

    const two = await latchkey(['add', '-', '--vault', vault], { env, stdin: `${DENO}\n${ISSUU}\n` });
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('latchkey import -');
    const none = await latchkey(['add', '-', '--vault', vault], { env, stdin: '\n' });
    expect(none.stderr).toMatch(/^latchkey: INVALID_OTPAUTH_URI: .*no link/);
    const both = await latchkey(['add', '-', '--password-stdin', '--vault', vault], { stdin: `pw\n${DENO}` });
    expect(both.status).toBe(2);
    const bothImport = await latchkey(['import', '-', '--password-stdin', '--vault', vault], { stdin: `pw\n${DENO}` });
    expect(bothImport.status).toBe(2);
    expect(bothImport.stderr).toContain('LATCHKEY_PASSWORD');

    const many = await latchkey(['import', '-', '--json', '--vault', vault], {
      env,
      stdin: `# from a script\n${DENO}\notpauth://totp/Fresh:me?secret=GEZDGNBVGY3TQOJQ&issuer=Fresh\n`,
    });
    expect(many.status, many.stderr).toBe(0);
    expect(JSON.parse(many.stdout)).toMatchObject({ imported: 1, skipped: 1 });
    const list = await latchkey(['list', '--json', '--vault', vault], { env });
    expect(JSON.parse(list.stdout).map((entry: { issuer: string }) => entry.issuer)).toEqual(['Deno', 'Issuu', 'Argv', 'Fresh']);
  });

  it('refuses a 102-byte export link declaring two billion parts with a clear error (no crash)', async () => {
    const vault = tempDir();
    const env = { LATCHKEY_PASSWORD: 'pw' };
    await latchkey(['init', '--no-keychain', '--vault', vault], { env });
    // One TOTP account, batch_size 2^31 - 1.
    const payload = Buffer.from([0x0a, 0x0e, 0x0a, 0x0a, ...Array<number>(10).fill(7), 0x30, 0x02, 0x10, 0x01, 0x18, 0xff, 0xff, 0xff, 0xff, 0x07]);
    const link = `otpauth-migration://offline?data=${encodeURIComponent(payload.toString('base64'))}`;
    const run = await latchkey(['import', '-', '--vault', vault], { env, stdin: `${link}\n` });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^latchkey: INVALID_IMPORT_FILE: .*Line 1: .*2147483647 parts/);
  });

  it('reports errors with their code on stderr and a non-zero status', async () => {
    const vault = tempDir();
    const missing = await latchkey(['list', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    expect(missing).toMatchObject({ status: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^latchkey: VAULT_NOT_FOUND: /);

    await latchkey(['init', '--no-keychain', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    const again = await latchkey(['init', '--no-keychain', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    expect(again.stderr).toMatch(/^latchkey: VAULT_EXISTS: /);
    const badUri = await latchkey(['add', 'otpauth://totp/x?secret=1234', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    expect(badUri.status).toBe(1);
    expect(badUri.stderr).toMatch(/^latchkey: INVALID_OTPAUTH_URI: .*base32/m);
    const noPassword = await latchkey(['init', '--no-keychain', '--vault', tempDir()]);
    expect(noPassword.stderr).toMatch(/^latchkey: PASSWORD_REQUIRED: /);
    const unknown = await latchkey(['frobnicate', '--vault', vault]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown command 'frobnicate'");
    const badFlag = await latchkey(['list', '--frob']);
    expect(badFlag.status).toBe(2);
    const badAt = await latchkey(['code', '--at', 'yesterday', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    expect(badAt.status).toBe(2);
    const notFound = await latchkey(['remove', '00000000-0000-4000-8000-000000000000', '--vault', vault], { env: { LATCHKEY_PASSWORD: 'pw' } });
    expect(notFound.stderr).toMatch(/^latchkey: ACCOUNT_NOT_FOUND: /);
  });
});
