import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './temp-dir';

/**
 * Bundles a TypeScript entry into plain JavaScript that `node` starts quickly, for tests that
 * run our code in child processes (tsx would add hundreds of milliseconds to every start).
 */
export async function bundleForNode(entry: string, name: string): Promise<string> {
  const outDir = path.join(repoRoot, 'node_modules', '.cache', 'latchkey-test');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}-${process.pid}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}
