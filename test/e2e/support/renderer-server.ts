import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { contentSecurityPolicy } from '../../../electron/main/app/security';
import { repoRoot } from '../../support/temp-dir';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const rendererBuildDir = path.join(repoRoot, 'out', 'renderer');

export interface RendererServer {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves the production renderer build from 127.0.0.1 (a secure context, so the camera works),
 * with the same Content Security Policy as the app:// scheme in Electron.
 */
export async function startRendererServer(): Promise<RendererServer> {
  if (!existsSync(path.join(rendererBuildDir, 'index.html'))) {
    throw new Error(`No renderer build in ${rendererBuildDir}: run \`npm run build\` first.`);
  }
  const csp = contentSecurityPolicy(null);
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = path.join(rendererBuildDir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(rendererBuildDir + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end('Not found');
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp,
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/index.html`,
    origin,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
