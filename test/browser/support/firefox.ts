import puppeteer from 'puppeteer-core';
import {
  type BrowserSession,
  COMMAND_TIMEOUT_MS,
  LAUNCH_TIMEOUT_MS,
  pageExpression,
} from './browser-session';

/**
 * Debian's Firefox ESR (installed by scripts/ensure-browsers.sh), driven by puppeteer-core over
 * WebDriver BiDi, Firefox's own remote protocol. Playwright cannot drive it: its Firefox support
 * needs Playwright's patched Firefox build, which is not a Debian package.
 */
const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Firefox phones home on its own (telemetry, captive-portal and connectivity probes, DNS over
 * HTTPS, push, region lookup); in a closed network each of those waits on a lookup that never
 * answers. puppeteer's profile already turns off updates, Normandy, Safe Browsing and health
 * reports; these cover the rest.
 */
const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.server': '',
  // 5 = DNS over HTTPS off by choice (no resolver to reach, and no fallback probing).
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'dom.push.connection.enabled': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'extensions.blocklist.enabled': false,
};

/**
 * Release builds ignore a test value of `services.settings.server`, so without this Firefox polls
 * Mozilla's remote-settings server (seen in its network log). Mozilla's own test harnesses set this
 * variable: Firefox then honours that override and refuses every connection that is not loopback.
 */
const FIREFOX_ENV = { MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1' } as const;

/** Firefox with a fresh temporary profile (puppeteer creates it and removes it on close). */
export async function openFirefox(): Promise<BrowserSession> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
    env: { ...process.env, ...FIREFOX_ENV },
    timeout: LAUNCH_TIMEOUT_MS,
    protocolTimeout: COMMAND_TIMEOUT_MS,
  });
  try {
    const page = (await browser.pages())[0] ?? (await browser.newPage());
    page.setDefaultTimeout(COMMAND_TIMEOUT_MS);
    return {
      browser: 'firefox',
      goto: async (url) => {
        await page.goto(url, { waitUntil: 'load' });
      },
      evaluate: (pageFunction, arg) => page.evaluate(pageExpression(pageFunction, arg)),
      screenshot: async () => Buffer.from(await page.screenshot({ fullPage: true, type: 'png' })),
      close: async () => {
        await browser.close().catch(() => undefined);
      },
    };
  } catch (error) {
    await browser.close().catch(() => undefined);
    throw error;
  }
}
