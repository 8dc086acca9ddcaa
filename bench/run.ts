import { benchVault } from './vault-bench';

const TARGETS = { openKeychainMs: 100, saveMs: 150, codesColdMs: 50 } as const;

function format(ms: number): string {
  return ms.toFixed(1).padStart(8);
}

async function main(): Promise<void> {
  console.log('Latchkey benchmarks (medians of 7 runs; Argon2id 3 passes / 64 MiB for the password slot)\n');
  const rows = await benchVault();
  console.log('accounts | open (keychain) ms | open (password) ms |  save ms | codes (all, cold) ms | codes (all, warm) ms | file KiB');
  for (const row of rows) {
    console.log(
      `${String(row.accounts).padStart(8)} | ${format(row.openKeychainMs).padStart(18)} | ${format(row.openPasswordMs).padStart(18)} | ${format(row.saveMs)} | ${format(row.codesColdMs).padStart(20)} | ${format(row.codesWarmMs).padStart(20)} | ${row.fileKiB.toFixed(0).padStart(8)}`,
    );
  }
  const largest = rows[rows.length - 1];
  if (largest) {
    console.log(`\nTargets at ${largest.accounts} accounts:`);
    console.log(`  open through the keychain slot < ${TARGETS.openKeychainMs} ms: ${largest.openKeychainMs.toFixed(1)} ms ${largest.openKeychainMs < TARGETS.openKeychainMs ? 'met' : 'MISSED'}`);
    console.log(`  save < ${TARGETS.saveMs} ms: ${largest.saveMs.toFixed(1)} ms ${largest.saveMs < TARGETS.saveMs ? 'met' : 'MISSED'}`);
    console.log(`  codes for all accounts < ${TARGETS.codesColdMs} ms: ${largest.codesColdMs.toFixed(1)} ms ${largest.codesColdMs < TARGETS.codesColdMs ? 'met' : 'MISSED'}`);
  }
}

await main();
