import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyTerminalInput, type PromptLine } from '../../../electron/cli/io';
import { bundleForNode } from '../../support/bundle';
import { repoRoot, useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs();
let cliScript = '';

beforeAll(async () => {
  cliScript = await bundleForNode(path.join(repoRoot, 'electron/cli/main.ts'), 'latchkey-cli');
});

interface TerminalRun {
  status: number | null;
  output: string;
}

/**
 * Runs the real command line at a real terminal (a pseudo-terminal from util-linux `script`):
 * each step waits until the output shows `after`, then types `keys`, as a person would.
 */
function latchkeyAtTerminal(args: string[], steps: { after: RegExp; keys: string }[], env: NodeJS.ProcessEnv = {}): Promise<TerminalRun> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, cliScript, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, LATCHKEY_PASSWORD: undefined, ...env };
    for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let seen = 0;
    const pending = [...steps];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The command did not finish; output so far: ${JSON.stringify(output)}`));
    }, 20_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const next = pending[0];
      if (!next) return;
      const match = next.after.exec(output.slice(seen));
      if (!match) return;
      seen += match.index + match[0].length;
      pending.shift();
      child.stdin.write(next.keys);
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe('password prompt at a terminal', () => {
  it('cancels cleanly on Ctrl-C: exit 130, no INTERNAL_ERROR, nothing created', async () => {
    const vault = tempDir();
    const run = await latchkeyAtTerminal(['init', '--no-keychain', '--password-stdin', '--vault', vault], [{ after: /New vault password: /, keys: 'half typed\u0003' }]);
    expect(run.status, run.output).toBe(130);
    expect(run.output).toContain('latchkey: cancelled; nothing was changed.');
    expect(run.output).not.toContain('INTERNAL_ERROR');
    expect(existsSync(path.join(vault, 'vault.latchkey'))).toBe(false);
  });

  it('asks for a new password twice, and handles backspace sent as ^H and as DEL', async () => {
    const vault = tempDir();
    const init = await latchkeyAtTerminal(
      ['init', '--no-keychain', '--password-stdin', '--vault', vault],
      [
        { after: /New vault password: /, keys: 'correct horsX\be\r' },
        { after: /Type it again: /, keys: 'correct horsQ\u007fe\r' },
      ],
    );
    expect(init.status, init.output).toBe(0);
    expect(init.output).toContain('Created a vault');
    const unlock = await latchkeyAtTerminal(['list', '--password-stdin', '--vault', vault], [{ after: /Vault password: /, keys: 'correct horse\r' }]);
    expect(unlock.status, unlock.output).toBe(0);
    expect(unlock.output).toContain('no accounts yet');
  });

  it('refuses two different new passwords with a clear error and creates nothing', async () => {
    const vault = tempDir();
    const run = await latchkeyAtTerminal(
      ['init', '--no-keychain', '--password-stdin', '--vault', vault],
      [
        { after: /New vault password: /, keys: 'first try\r' },
        { after: /Type it again: /, keys: 'first trz\r' },
      ],
    );
    expect(run.status, run.output).toBe(1);
    expect(run.output).toMatch(/latchkey: INVALID_INPUT: .*The two passwords are not the same/);
    expect(existsSync(path.join(vault, 'vault.latchkey'))).toBe(false);
  });

  it('cancels on Ctrl-C at the unlock prompt too', async () => {
    const vault = tempDir();
    const init = await latchkeyAtTerminal(['init', '--no-keychain', '--vault', vault], [], { LATCHKEY_PASSWORD: 'pw' });
    expect(init.status, init.output).toBe(0);
    const run = await latchkeyAtTerminal(['list', '--password-stdin', '--vault', vault], [{ after: /Vault password: /, keys: '\u0003' }]);
    expect(run.status, run.output).toBe(130);
    expect(run.output).not.toContain('INTERNAL_ERROR');
  });
});

describe('applyTerminalInput', () => {
  it.each([
    ['DEL erases', ['abc\u007f'], { typed: 'ab', ended: null }],
    ['^H erases', ['abc\b\b'], { typed: 'a', ended: null }],
    ['erasing an empty line does nothing', ['\b\u007f\u007fx'], { typed: 'x', ended: null }],
    ['a whole emoji is one character', ['pw🔑\u007f'], { typed: 'pw', ended: null }],
    ['^U clears the line', ['secret\u0015new'], { typed: 'new', ended: null }],
    ['Enter ends the line', ['pass', 'word\r', 'ignored'], { typed: 'password', ended: 'enter' }],
    ['Ctrl-C cancels and forgets', ['pass\u0003'], { typed: '', ended: 'cancel' }],
    ['Ctrl-D on an empty line cancels', ['\u0004'], { typed: '', ended: 'cancel' }],
    ['Ctrl-D inside a line is ignored', ['ab\u0004c'], { typed: 'abc', ended: null }],
    ['arrow keys are not typed', ['a\u001b[Db\u001b[A'], { typed: 'ab', ended: null }],
    ['other control characters are not typed', ['a\u0007\tb'], { typed: 'ab', ended: null }],
  ])('%s', (_what, chunks, expected) => {
    const line = chunks.reduce<PromptLine>((current, chunk) => (current.ended ? current : applyTerminalInput(current, chunk)), { typed: '', ended: null });
    expect(line).toEqual(expected);
  });
});
