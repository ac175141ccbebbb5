import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  type BrowserSession,
  COMMAND_TIMEOUT_MS,
  LAUNCH_TIMEOUT_MS,
  pageExpression,
} from './browser-session';

/** Debian's Chromium (installed by scripts/ensure-browsers.sh), driven by playwright-core over CDP. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Without these, Chromium in a sandboxed CI container hangs on background network lookups
 * (component updates, sync, QUIC probes) or fails to start (no user namespaces, no GPU).
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Even with the flags above it looks up accounts.google.com (seen in its system calls); the
  // pages it loads are all on 127.0.0.1, so no name needs resolving at all.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
] as const;

/**
 * Chromium with a fresh profile: every session is a first visit (the SDK's `_first_open`), and no
 * SDK storage leaks between tests. Playwright refuses `--user-data-dir` in `args` and passes the
 * persistent context's folder as that flag itself.
 */
export async function openChromium(): Promise<BrowserSession> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'clickstream-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      timeout: LAUNCH_TIMEOUT_MS,
    });
    context.setDefaultTimeout(COMMAND_TIMEOUT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      browser: 'chromium',
      goto: async (url) => {
        await page.goto(url, { waitUntil: 'load' });
      },
      evaluate: (pageFunction, arg) => page.evaluate(pageExpression(pageFunction, arg)),
      screenshot: () => page.screenshot({ fullPage: true, type: 'png' }),
      close: async () => {
        await context.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
