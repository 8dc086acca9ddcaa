import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ArklowApi, MisakeyApi, MoonKeyApi, StytchApi } from '../../electron/main/providers';
import { seededRandom } from '../support/seeded-random';
import { repoRoot } from '../support/temp-dir';
import { testClient } from './support/harness';

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGTERM');
  child = null;
});

/** Runs `npm run contract-servers`' script and returns what it printed once it is ready. */
async function startScript(): Promise<string> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'test/contract/start-servers.ts'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Ctrl-C stops them.')) resolve();
    });
    started.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    started.on('exit', (code) => reject(new Error(`the script exited (${code}): ${output}`)));
  });
  return output;
}

/** The value after `flag` and the credentials JSON printed for one provider. */
function printedFor(output: string, provider: string): { baseUrl: string; subjectId: string; credentials: Record<string, string> } {
  const block = output.split('\n');
  const index = block.findIndex((line) => line.includes(`--provider ${provider} `));
  const flags = (block[index] ?? '').trim().split(/\s+/);
  const credentials = JSON.parse((block[index + 1] ?? '').replace(/^\s*credentials: /, '')) as Record<string, string>;
  return { baseUrl: flags[3] ?? '', subjectId: flags[5] ?? '', credentials };
}

describe('npm run contract-servers', () => {
  it('starts the four servers and prints URLs and credentials that work', async () => {
    const output = await startScript();
    const { client } = testClient(seededRandom('start-servers'));
    const moonKey = printedFor(output, 'moonkey');
    const codes = await new MoonKeyApi(client, { baseUrl: moonKey.baseUrl, apiKey: moonKey.credentials.apiKey ?? '' }).getRecoveryCodes(moonKey.subjectId);
    // The seed's example user and codes.
    expect(codes.totps[0]?.recovery_codes).toContain('xwbwb-07bjt');
    const stytch = printedFor(output, 'stytch');
    const stytchCodes = await new StytchApi(client, { baseUrl: stytch.baseUrl, projectId: stytch.credentials.projectId ?? '', secret: stytch.credentials.secret ?? '' }).getRecoveryCodes(stytch.subjectId);
    expect(stytchCodes.totps[0]?.recovery_codes).toContain('ckss-2skx-ebow');
    const misakey = printedFor(output, 'misakey');
    const started = await new MisakeyApi(client, { baseUrl: misakey.baseUrl, accessToken: misakey.credentials.accessToken ?? '', csrfToken: misakey.credentials.csrfToken ?? '' }).startEnrollment(misakey.subjectId);
    expect(started.base64_image.length).toBeGreaterThan(100);
    const arklow = printedFor(output, 'arklow');
    const regenerated = await new ArklowApi(client, { baseUrl: arklow.baseUrl, apiKey: arklow.credentials.apiKey ?? '' }).regenerateBackupCodes(arklow.subjectId);
    expect(regenerated.backup_codes).toHaveLength(10);
  });
});
