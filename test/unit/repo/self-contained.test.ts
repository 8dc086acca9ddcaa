import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/temp-dir';

/** Source folders; fixtures and docs are data, not code that could read outside the repository. */
const SOURCE_FOLDERS = ['electron', 'renderer', 'shared', 'test', 'bench', 'scripts', '.ci'];
const SKIP = new Set(['node_modules', 'fixtures', 'seeds', 'out']);
/** Ways code has reached the project's shared folder beside the repository. */
const OUTSIDE_REFERENCES = [/shared\/(fixtures|seeds)/, /'\.\.',\s*'shared'/];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mjs|js|sh)$/.test(name) || name === 'run' ? [full] : [];
  });
}

describe('the repository is self-contained', () => {
  it('no source file reads the shared folder beside the repository', () => {
    const files = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(repoRoot, folder)));
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.filter((file) => file !== path.join(repoRoot, 'test/unit/repo/self-contained.test.ts') && OUTSIDE_REFERENCES.some((pattern) => pattern.test(readFileSync(file, 'utf8'))));
    expect(offenders.map((file) => path.relative(repoRoot, file))).toEqual([]);
  });

  it('has the fixtures and seeds the tests read', () => {
    for (const relative of ['test/fixtures/aegis/expected.json', 'test/fixtures/rfc/rfc_otp_vectors.json', 'test/fixtures/google_migration/expected.json', 'test/fixtures/README.md', 'test/contract/seeds/README.md', 'LICENSE']) {
      expect(statSync(path.join(repoRoot, relative)).size, relative).toBeGreaterThan(100);
    }
  });
});
