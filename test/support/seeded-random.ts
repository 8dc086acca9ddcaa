import { onTestFailed } from 'vitest';

/**
 * Deterministic randomness for tests. Every random input in a test comes from here, so a failure
 * can be replayed: the seed is printed when a test that used it fails.
 *
 * The seed is `LATCHKEY_TEST_SEED` when set (to replay a failure), else the fixed default, so the
 * suite is the same on every run unless someone asks for another seed.
 */
export const DEFAULT_TEST_SEED = 0x1a7c4e3;

export function testSeed(): number {
  const fromEnv = process.env.LATCHKEY_TEST_SEED;
  if (fromEnv === undefined || fromEnv === '') return DEFAULT_TEST_SEED;
  const parsed = Number(fromEnv);
  if (!Number.isSafeInteger(parsed)) throw new Error(`LATCHKEY_TEST_SEED must be an integer, got ${fromEnv}`);
  return parsed;
}

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  bytes(length: number): Uint8Array;
  pick<T>(items: readonly T[]): T;
  /** A hex string usable as a unique, replayable name (not a UUID from the OS). */
  id(prefix?: string): string;
  /** A version-4-shaped UUID from this stream. */
  uuid(): string;
}

/** mulberry32: tiny, fast, and good enough to drive test inputs (not for keys). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A generator for one test or one file. `label` separates streams, so adding a test in one file
 * does not change the inputs of another. Call it inside a test (or a beforeEach) to have the seed
 * printed if that test fails; at module level the seed is printed through `reportSeedOnFailure`.
 */
export function seededRandom(label = '', seed = testSeed()): SeededRandom {
  let mixed = seed >>> 0;
  for (let i = 0; i < label.length; i++) mixed = Math.imul(mixed ^ label.charCodeAt(i), 0x01000193) >>> 0;
  const next = mulberry32(mixed);
  reportSeedOnFailure(seed, label);
  const random: SeededRandom = {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    id: (prefix = 'id') => `${prefix}-${hex(random.bytes(8))}`,
    uuid: () => {
      const b = random.bytes(16);
      b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
      b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
      const h = hex(b);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
  return random;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Prints the seed when the current test fails; a no-op outside a running test. */
export function reportSeedOnFailure(seed: number, label: string): void {
  try {
    onTestFailed(() => {
      console.error(`[seeded-random] replay with LATCHKEY_TEST_SEED=${seed} (stream "${label}")`);
    });
  } catch {
    // Called at module level or in a hook without a current test: nothing to attach to.
  }
}
