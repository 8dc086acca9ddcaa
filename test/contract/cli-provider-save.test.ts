import { describe, expect, it } from 'vitest';
import { useCli } from '../support/cli';
import { seededRandom } from '../support/seeded-random';
import { cliOn, expectCliFailure, expectNothingSecret, useFileScoped, vaultSnapshot } from './support/cli-vault';
import { arklowFixture, misakeyFixture, moonKeyFixture } from './support/fixtures';
import { type HeldLock, useLockHolder } from './support/hold-writer-lock';

/**
 * "When a regenerate call succeeds but the save fails, the new codes are still shown once with a
 * plain warning, so that they are not lost." The save fails for real: another process holds the
 * vault's writer lock while the CLI runs, so the vault answers VAULT_BUSY.
 */
const runCli = useCli('latchkey-cli-provider-save');
const scope = useFileScoped();
const holdLock = useLockHolder();
const PASSWORD = 'provider save password';

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('a regenerate whose save fails (spawned CLI, writer lock held by another process)', () => {
  it('Arklow: prints the new codes once, with the warning and VAULT_BUSY; the ledger keeps the old set', async () => {
    const f = await arklowFixture(seededRandom('cli-save-arklow'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, PASSWORD, 5_000);
    expect((await latchkey(['init', '--no-keychain'])).status).toBe(0);
    expect((await latchkey(['add', '-'], 'otpauth://totp/Arklow:carol?secret=JBSWY3DPEHPK3PXP&issuer=Arklow\n')).status).toBe(0);
    expect((await latchkey(['provider', 'connect', 'Arklow', '--provider', 'arklow', '--base-url', f.server.url, '--device-id', f.deviceId], JSON.stringify({ apiKey: f.apiKey }))).status).toBe(0);
    expect((await latchkey(['provider', 'regenerate', 'Arklow'])).status).toBe(0);
    const oldCodes = [...f.device.codes];
    const before = vaultSnapshot(vault);

    const lock = await holdLock(vault);
    const run = await latchkey(['provider', 'regenerate', 'Arklow']);
    await lock.release();

    const newCodes = f.device.codes;
    expect(newCodes).not.toEqual(oldCodes);
    expect(run.status).toBe(1);
    // Shown once: stdout is exactly the new codes, one a line, and stderr has none of them.
    expect(run.stdout).toBe(newCodes.map((code) => `${code}\n`).join(''));
    for (const code of newCodes) expect(occurrences(`${run.stdout}${run.stderr}`, code)).toBe(1);
    expect(run.stderr).toContain('latchkey: warning: the new backup codes above could not be saved, and the old ones no longer work. Write them down now.');
    expect(run.stderr.trimEnd().split('\n').pop()).toMatch(/^latchkey: VAULT_BUSY: /);
    expectNothingSecret({ ...run, stdout: '' }, [f.apiKey, ...oldCodes, ...newCodes]);
    expectNothingSecret(run, [f.apiKey, ...oldCodes]);
    expect(vaultSnapshot(vault)).toEqual(before);
    const list = await latchkey(['recovery', 'list', 'Arklow', '--json']);
    const current = (JSON.parse(list.stdout) as { current: boolean; codes: { code: string }[] }[]).find((set) => set.current);
    expect(current?.codes.map((code) => code.code)).toEqual(oldCodes);
  }, 60_000);

  it('Misakey --json: one JSON document with saved false, the codes and the save error', async () => {
    const f = await misakeyFixture(seededRandom('cli-save-misakey'), scope.track, { enrolled: true });
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, PASSWORD, 5_000);
    expect((await latchkey(['init', '--no-keychain'])).status).toBe(0);
    expect((await latchkey(['add', '-'], 'otpauth://totp/Misakey:dan?secret=JBSWY3DPEHPK3PXP&issuer=Misakey\n')).status).toBe(0);
    const connect = await latchkey(['provider', 'connect', 'Misakey', '--provider', 'misakey', '--base-url', f.server.url, '--identity-id', f.identityId], JSON.stringify({ accessToken: f.accessToken, csrfToken: f.csrfToken }));
    expect(connect.status, connect.stderr).toBe(0);
    const before = vaultSnapshot(vault);
    const oldCodes = [...f.identity.codes];

    const lock = await holdLock(vault);
    const run = await latchkey(['provider', 'regenerate', 'Misakey', '--json']);
    await lock.release();

    expect(run.status).toBe(1);
    const printed = JSON.parse(run.stdout) as { saved: boolean; codes: string[]; error: { code: string; message: string } };
    expect(printed).toMatchObject({ saved: false, codes: f.identity.codes, error: { code: 'VAULT_BUSY' } });
    for (const code of f.identity.codes) expect(occurrences(`${run.stdout}${run.stderr}`, code)).toBe(1);
    expect(run.stderr).toContain('could not be saved');
    expectNothingSecret(run, [f.accessToken, f.csrfToken, ...oldCodes]);
    expect(vaultSnapshot(vault)).toEqual(before);
  }, 60_000);

  it('Misakey enroll: the finish succeeds but its save fails; the codes are printed once, and a later run starts over', async () => {
    const f = await misakeyFixture(seededRandom('cli-save-enroll'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, PASSWORD, 5_000);
    expect((await latchkey(['init', '--no-keychain'])).status).toBe(0);
    const enrollPath = `/identities/${f.identityId}/totp/enroll`;
    let lock: HeldLock | null = null;
    // While Misakey finishes, another process takes the vault's writer lock: the save after the finish fails.
    f.server.onRequest = async ({ method, path }) => {
      if (method === 'POST' && path === enrollPath && lock === null) lock = await holdLock(vault);
    };
    const credentials = JSON.stringify({ accessToken: f.accessToken, csrfToken: f.csrfToken });
    const enroll = () => latchkey(['provider', 'enroll', '--provider', 'misakey', '--identity-id', f.identityId, '--base-url', f.server.url], credentials);
    const run = await enroll();
    await (lock as HeldLock | null)?.release();
    f.server.onRequest = null;

    expect(run.status).toBe(1);
    expect(run.stdout).toBe(f.identity.codes.map((code) => `${code}\n`).join(''));
    for (const code of f.identity.codes) expect(occurrences(`${run.stdout}${run.stderr}`, code)).toBe(1);
    expect(run.stderr).toMatch(/latchkey: warning: Misakey finished the enrollment \(account [0-9a-f-]{36}\), but its new backup codes could not be saved\. Write them down now; then connect that account with `latchkey provider connect` \(do not enroll again\)\./);
    expect(run.stderr.trimEnd().split('\n').pop()).toMatch(/^latchkey: VAULT_BUSY: /);
    expectNothingSecret(run, [f.accessToken, f.csrfToken, f.identity.totpSecret as string]);

    // The next run cannot continue a flow Misakey has closed: it says so and forgets it; the one after starts over.
    const again = await latchkey(['provider', 'enroll', '--provider', 'misakey', '--identity-id', f.identityId, '--base-url', f.server.url, '--json'], credentials);
    expect(expectCliFailure(again, 'PROVIDER_NOT_FOUND').message).toContain('enroll again to start over');
    const fresh = await enroll();
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain(`stored ${f.identity.codes.length} backup codes`);
  }, 60_000);

  it('MoonKey verify: MoonKey accepts the code but marking it used fails; the error says it is spent', async () => {
    const f = await moonKeyFixture(seededRandom('cli-save-verify'), scope.track);
    const vault = scope.tempDir();
    const latchkey = cliOn(runCli, vault, PASSWORD, 5_000);
    expect((await latchkey(['init', '--no-keychain'])).status).toBe(0);
    expect((await latchkey(['add', '-'], 'otpauth://totp/MoonKey:erin?secret=JBSWY3DPEHPK3PXP&issuer=MoonKey\n')).status).toBe(0);
    expect((await latchkey(['provider', 'connect', 'MoonKey', '--provider', 'moonkey', '--base-url', f.server.url, '--user-id', f.userId], JSON.stringify({ apiKey: f.apiKey }))).status).toBe(0);
    const codes = [...f.user.unused];
    expect((await latchkey(['provider', 'fetch', 'MoonKey'])).status).toBe(0);
    const before = vaultSnapshot(vault);
    let lock: HeldLock | null = null;
    f.server.onRequest = async ({ path }) => {
      if (path === '/v1/auth/totps/recovery' && lock === null) lock = await holdLock(vault);
    };
    const run = await latchkey(['provider', 'verify', 'MoonKey', '--json']);
    await (lock as HeldLock | null)?.release();
    f.server.onRequest = null;

    expect(f.user.used).toEqual([codes[0]]);
    const error = expectCliFailure(run, 'VAULT_BUSY');
    expect(error.message).toContain('MoonKey accepted the recovery code, but Latchkey could not mark it used');
    expectNothingSecret(run, [f.apiKey, ...codes]);
    expect(vaultSnapshot(vault)).toEqual(before);
  }, 60_000);
});
