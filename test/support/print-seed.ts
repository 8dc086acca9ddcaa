import { testSeed } from './seeded-random';

/** vitest globalSetup: say once, at the start of the run, which seed drives every random input. */
export default function printSeed(): void {
  console.log(`Test seed: ${testSeed()} (replay a run with LATCHKEY_TEST_SEED=${testSeed()})`);
}
