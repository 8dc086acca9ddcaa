import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Promise<Sodium> | undefined;
let loaded: Sodium | null = null;

/** libsodium loads its WebAssembly asynchronously once; every caller awaits the same promise. */
export function loadSodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => {
    loaded = sodiumModule;
    return sodiumModule;
  });
  return ready;
}

/** libsodium if it has finished loading, for the synchronous paths (wiping keys on lock). */
export function loadedSodium(): Sodium | null {
  return loaded;
}
