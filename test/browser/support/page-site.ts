import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The test page: `test/browser/page/clickstream-page.ts` (the real web SDK plus a small harness)
 * bundled by esbuild into a temporary folder, and a loopback server for it. Each site is its own
 * origin (its own port), so one can be allowed by the collector's CORS list and another not.
 */

const PAGE_ENTRY = fileURLToPath(new URL('../page/clickstream-page.ts', import.meta.url));
const PAGE_TITLE = 'Clickstream test shop';

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${PAGE_TITLE}</title></head>
<body><h1>${PAGE_TITLE}</h1><script src="/clickstream-page.js"></script></body>
</html>
`;

export interface PageBundle {
  readonly directory: string;
  remove(): Promise<void>;
}

export async function bundlePage(): Promise<PageBundle> {
  const directory = await mkdtemp(join(tmpdir(), 'clickstream-page-'));
  await build({
    entryPoints: [PAGE_ENTRY],
    outfile: join(directory, 'clickstream-page.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    // Served to every browser of the suite; these are older than Debian's, so nothing is left untranspiled.
    target: ['chrome110', 'firefox115', 'safari16'],
    logLevel: 'silent',
  });
  await writeFile(join(directory, 'index.html'), INDEX_HTML);
  return { directory, remove: () => rm(directory, { recursive: true, force: true }) };
}

export interface PageSite {
  /** e.g. `http://127.0.0.1:40123` */
  readonly origin: string;
  readonly pageUrl: string;
  stop(): Promise<void>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '/index.html': 'text/html; charset=utf-8',
  '/clickstream-page.js': 'text/javascript; charset=utf-8',
};

export async function startPageSite(bundle: PageBundle): Promise<PageSite> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const file = path === '/' ? '/index.html' : path;
    const type = CONTENT_TYPES[file];
    if (type === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(join(bundle.directory, file.slice(1))).then(
      (content) =>
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(content),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    pageUrl: `${origin}/index.html`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
