import UAParser from 'ua-parser-js';

/**
 * The `device.ua_*` columns, parsed from the request's `User-Agent` with ua-parser-js 1.x (MIT;
 * version 2 changed to AGPL, which this Apache-2.0 project must not depend on). CAoA fills the same
 * columns from its own parser; the names of browsers and systems are ua-parser-js's.
 */

export interface UserAgentFields {
  readonly ua_browser: string | null;
  readonly ua_browser_version: string | null;
  readonly ua_os: string | null;
  readonly ua_os_version: string | null;
  readonly ua_device: string | null;
  readonly ua_device_category: string | null;
}

const NONE: UserAgentFields = {
  ua_browser: null,
  ua_browser_version: null,
  ua_os: null,
  ua_os_version: null,
  ua_device: null,
  ua_device_category: null,
};

const DESKTOP_SYSTEMS = new Set([
  'Windows',
  'Mac OS',
  'macOS',
  'Linux',
  'Ubuntu',
  'Debian',
  'Fedora',
  'Chrome OS',
  'Chromium OS',
  'FreeBSD',
  'OpenBSD',
]);

function category(deviceType: string | undefined, os: string | undefined, browser: string | undefined) {
  if (deviceType === 'mobile') return 'Mobile';
  if (deviceType === 'tablet') return 'Tablet';
  if (deviceType !== undefined) return 'Other';
  return browser !== undefined && os !== undefined && DESKTOP_SYSTEMS.has(os) ? 'PC' : null;
}

const orNull = (value: string | undefined) => (value === undefined || value === '' ? null : value);

function parseUserAgent(ua: string | null): UserAgentFields {
  if (ua === null || ua.trim() === '') return NONE;
  const { browser, os, device } = new UAParser(ua).getResult();
  const deviceName = [device.vendor, device.model].filter((part) => part !== undefined && part !== '');
  return {
    ua_browser: orNull(browser.name),
    ua_browser_version: orNull(browser.version),
    ua_os: orNull(os.name),
    ua_os_version: orNull(os.version),
    ua_device: deviceName.length === 0 ? null : deviceName.join(' '),
    ua_device_category: category(device.type, os.name, browser.name),
  };
}

/** Parses each distinct user agent once: a batch holds many requests from the same few clients. */
export class UserAgentCache {
  private readonly parsed = new Map<string, UserAgentFields>();

  constructor(private readonly maxEntries = 1_000) {}

  get(ua: string | null): UserAgentFields {
    if (ua === null) return NONE;
    const known = this.parsed.get(ua);
    if (known !== undefined) return known;
    const fields = parseUserAgent(ua);
    if (this.parsed.size >= this.maxEntries) this.parsed.clear();
    this.parsed.set(ua, fields);
    return fields;
  }
}
