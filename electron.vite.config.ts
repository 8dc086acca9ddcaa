import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './electron/main/app/security';

/**
 * Writes the renderer's Content Security Policy into index.html's meta tag: in a production build
 * exactly the policy main serves as a header (no connect-src at all); in development the dev
 * server's origin and its hot-reload socket are added, as main does for the dev server.
 */
/**
 * `virtual:zxing-wasm` is the QR decoder's .wasm (zxing-wasm's reader build, from node_modules) as
 * a base64 string inside the worker's own script: the app's CSP has no connect-src, so the worker
 * cannot fetch a .wasm file, and zxing-wasm must never fetch it from its default CDN.
 */
function zxingWasmInline(): Plugin {
  const id = 'virtual:zxing-wasm';
  return {
    name: 'latchkey-zxing-wasm-inline',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(loaded) {
      if (loaded !== `\0${id}`) return null;
      const file = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
      return `export default ${JSON.stringify(readFileSync(file).toString('base64'))};`;
    },
  };
}

function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'latchkey-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        const devUrl = context.server?.resolvedUrls?.local[0];
        const policy = metaContentSecurityPolicy(context.server ? (devUrl ? new URL(devUrl).origin : 'http://localhost:5173') : null);
        if (!html.includes('%LATCHKEY_CSP%')) throw new Error('index.html has no %LATCHKEY_CSP% placeholder for the Content Security Policy.');
        return html.replace('%LATCHKEY_CSP%', policy);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/app/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file with no package imports.
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), contentSecurityPolicyMeta(), zxingWasmInline()],
    worker: { format: 'es', plugins: () => [zxingWasmInline()] },
    build: {
      // Minified: less to parse before the first code shows.
      minify: true,
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
