import type { BrowserName, BrowserSession } from './browser-session';
import { openChromium } from './chromium';
import { openFirefox } from './firefox';
import { openWebKit } from './webkit';

const OPENERS: Readonly<Record<BrowserName, () => Promise<BrowserSession>>> = {
  chromium: openChromium,
  firefox: openFirefox,
  webkit: openWebKit,
};

/** A fresh browser of the given kind: new profile, one page, nothing shared with other sessions. */
export function openBrowser(name: BrowserName): Promise<BrowserSession> {
  return OPENERS[name]();
}
