import { describe, expect, it } from 'vitest';
import { useTempDirs } from '../../support/temp-dir';
import { useCli } from '../../support/cli';

const tempDir = useTempDirs();
const latchkey = useCli('latchkey-recovery-cli');

const PASSWORD = 'recovery on the command line';
const GITHUB = 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub';
const GOOGLE_FILE = 'SAVE YOUR BACKUP CODES\n\n1. 8436 1972\t\t2. 5094 3618\n3. 5092 7162\t\t4. 9264 5213\n\n* You can only use each backup code once.\n';

async function passwordVault(): Promise<{ vault: string; env: NodeJS.ProcessEnv; accountId: string }> {
  const vault = tempDir();
  const env = { LATCHKEY_PASSWORD: PASSWORD, LATCHKEY_VAULT_DIR: vault };
  const init = await latchkey(['init', '--no-keychain'], { env });
  expect(init.status, init.stderr).toBe(0);
  const add = await latchkey(['add', GITHUB], { env });
  expect(add.status, add.stderr).toBe(0);
  return { vault, env, accountId: add.stdout.trim() };
}

describe('latchkey recovery', () => {
  it('add --dry-run --json prints what would be stored and stores nothing; add stores and counts', async () => {
    const { env, accountId } = await passwordVault();
    const dry = await latchkey(['recovery', 'add', 'github', '--dry-run', '--json'], { env, stdin: GOOGLE_FILE });
    expect(dry.status, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ accountId, codes: ['8436 1972', '5094 3618', '5092 7162', '9264 5213'], from: 'text', skippedLines: 2, duplicates: 0 });
    const empty = await latchkey(['recovery', 'list', '--json'], { env });
    expect(JSON.parse(empty.stdout)).toEqual([]);

    const added = await latchkey(['recovery', 'add', 'github'], { env, stdin: GOOGLE_FILE });
    expect(added.status, added.stderr).toBe(0);
    expect(added.stdout).toContain('Stored 4 backup codes for GitHub – alice');
  });

  it('list --json has exactly the documented shape; use spends in order until RECOVERY_EXHAUSTED; mark flips one code', async () => {
    const { env, accountId } = await passwordVault();
    await latchkey(['recovery', 'add', 'GitHub'], { env, stdin: 'abcd-efgh\nijkl-mnop\n' });
    const before = Math.floor(Date.now() / 1000);
    const first = await latchkey(['recovery', 'use', 'github'], { env });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe('abcd-efgh\n');
    expect(first.stderr).toContain('1 unused backup code left');

    const list = await latchkey(['recovery', 'list', 'github', '--json'], { env });
    expect(list.status, list.stderr).toBe(0);
    // The account's id names it too, as in every other command.
    const byId = await latchkey(['recovery', 'list', accountId, '--json'], { env });
    expect(byId.status, byId.stderr).toBe(0);
    expect(byId.stdout).toBe(list.stdout);
    const entries = JSON.parse(list.stdout) as { setId: string; createdAt: number; codes: { usedAt: number | null }[] }[];
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(Object.keys(entry as object)).toEqual(['accountId', 'setId', 'current', 'source', 'createdAt', 'codes']);
    expect(entry).toEqual({
      accountId,
      setId: entry?.setId,
      current: true,
      source: 'pasted',
      createdAt: entry?.createdAt,
      codes: [
        { code: 'abcd-efgh', used: true, usedAt: entry?.codes[0]?.usedAt },
        { code: 'ijkl-mnop', used: false, usedAt: null },
      ],
    });
    expect(entry?.codes[0]?.usedAt).toBeGreaterThanOrEqual(before);

    expect((await latchkey(['recovery', 'use', 'github'], { env })).stdout).toBe('ijkl-mnop\n');
    const exhausted = await latchkey(['recovery', 'use', 'github'], { env });
    expect(exhausted.status).toBe(1);
    expect(exhausted.stderr).toMatch(/^latchkey: RECOVERY_EXHAUSTED: /);

    const marked = await latchkey(['recovery', 'mark', 'github', 'IJKL MNOP', '--unused'], { env });
    expect(marked.status, marked.stderr).toBe(0);
    expect((await latchkey(['recovery', 'use', 'github'], { env })).stdout).toBe('ijkl-mnop\n');
    const both = await latchkey(['recovery', 'mark', 'github', 'abcd-efgh'], { env });
    expect(both.status).toBe(2);
  });

  it('a new set supersedes the old one; list shows both, the current first', async () => {
    const { env } = await passwordVault();
    await latchkey(['recovery', 'add', 'github'], { env, stdin: '11112222\n33334444\n' });
    await latchkey(['recovery', 'add', 'github'], { env, stdin: '{"recovery_codes": ["55556666", "77778888"]}' });
    const entries = JSON.parse((await latchkey(['recovery', 'list', '--json'], { env })).stdout) as { current: boolean; codes: { code: string }[] }[];
    expect(entries.map((entry) => [entry.current, entry.codes.map((code) => code.code)])).toEqual([
      [true, ['55556666', '77778888']],
      [false, ['11112222', '33334444']],
    ]);
  });

  it('needs the password for sealed codes: a wrong one or none is refused; --password-stdin takes the first line', async () => {
    const { vault, env } = await passwordVault();
    const viaStdin = await latchkey(['recovery', 'add', 'github', '--password-stdin', '--vault', vault], { stdin: `${PASSWORD}\nabcd-efgh\nijkl-mnop\n` });
    expect(viaStdin.status, viaStdin.stderr).toBe(0);
    const wrong = await latchkey(['recovery', 'use', 'github'], { env: { ...env, LATCHKEY_PASSWORD: 'not it' } });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('WRONG_PASSWORD');
    const listed = await latchkey(['recovery', 'list', '--password-stdin', '--json', '--vault', vault], { stdin: `${PASSWORD}\n` });
    expect(JSON.parse(listed.stdout)[0].codes).toHaveLength(2);
    // Through the keychain alone (no password given): counts, never codes; JSON (which has codes) is refused.
    const keychainVault = tempDir();
    const keychainEnv = { LATCHKEY_VAULT_DIR: keychainVault };
    expect((await latchkey(['init', '--password-stdin'], { env: keychainEnv, stdin: `${PASSWORD}\n` })).status).toBe(0);
    await latchkey(['add', GITHUB], { env: { ...keychainEnv, LATCHKEY_PASSWORD: PASSWORD } });
    const addedByKeychain = await latchkey(['recovery', 'add', 'github'], { env: keychainEnv, stdin: 'abcd-efgh\nijkl-mnop\n' });
    expect(addedByKeychain.status, addedByKeychain.stderr).toBe(0);
    const counts = await latchkey(['recovery', 'list'], { env: keychainEnv });
    expect(counts.stdout).toBe('GitHub – alice  2 of 2 unused\n');
    expect(counts.stdout + counts.stderr).not.toContain('abcd-efgh');
    const sealedJson = await latchkey(['recovery', 'list', '--json'], { env: keychainEnv });
    expect(sealedJson.status).toBe(1);
    expect(sealedJson.stderr).toMatch(/^latchkey: RECOVERY_SEALED: .*LATCHKEY_PASSWORD/);
    expect((await latchkey(['recovery', 'use', 'github'], { env: keychainEnv })).stderr).toContain('RECOVERY_SEALED');
  });

  it('refuses text with no codes, unknown and ambiguous accounts, and unknown subcommands', async () => {
    const { env } = await passwordVault();
    await latchkey(['add', 'otpauth://totp/GitLab:alice?secret=KRSXG5CTMVRXEZLU&issuer=GitLab'], { env });
    const prose = await latchkey(['recovery', 'add', 'github'], { env, stdin: 'Keep these somewhere safe.\n' });
    expect(prose.status).toBe(1);
    expect(prose.stderr).toMatch(/^latchkey: RECOVERY_CODES_NOT_RECOGNISED: .*reads as words/);
    const link = await latchkey(['recovery', 'add', 'github'], { env, stdin: GITHUB });
    expect(link.stderr).toContain('otpauth://');
    expect((await latchkey(['recovery', 'use', 'nothing-like-it'], { env })).stderr).toContain('ACCOUNT_NOT_FOUND');
    const ambiguous = await latchkey(['recovery', 'use', 'git'], { env });
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain('matches 2 accounts');
    expect((await latchkey(['recovery', 'shred', 'github'], { env })).status).toBe(2);
    expect((await latchkey(['recovery', 'use', 'github'], { env })).stderr).toContain('NO_RECOVERY_CODES');
  });
});
