import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

/** The `latchkey` command line as one Node ESM file; packages stay external (installed beside it). */
export default defineConfig({
  build: {
    ssr: true,
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    rollupOptions: {
      input: { latchkey: resolve(import.meta.dirname, 'electron/cli/main.ts') },
      output: { format: 'es', entryFileNames: '[name].js', banner: '#!/usr/bin/env node' },
      external: [...builtinModules, ...builtinModules.map((name) => `node:${name}`), ...Object.keys(pkg.dependencies)],
    },
  },
});
