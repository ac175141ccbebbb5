import { readFile } from 'node:fs/promises';

/**
 * The inspector page: plain files under `page/` served as they are — no bundler, no build step.
 * The script builds every row with `textContent`, never HTML, and the page's Content Security
 * Policy allows only its own script and style, so hostile event text stays text.
 */

interface PageAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/** URL path under the inspector prefix → file under `page/`. */
const FILES: Readonly<Record<string, { readonly file: string; readonly contentType: string }>> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/inspector.js': { file: 'inspector.js', contentType: 'text/javascript; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', contentType: 'text/css; charset=utf-8' },
};

export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

export type PageAssets = ReadonlyMap<string, PageAsset>;

/** Reads the page's files once, at start (a missing file fails the start, not a request). */
export async function loadPageAssets(): Promise<PageAssets> {
  const assets = new Map<string, PageAsset>();
  for (const [path, { file, contentType }] of Object.entries(FILES)) {
    const body = await readFile(new URL(`./page/${file}`, import.meta.url));
    assets.set(path, { contentType, body });
  }
  return assets;
}
