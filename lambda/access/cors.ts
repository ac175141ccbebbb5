import { isIP } from 'node:net';
import { ConfigError } from '../../settings/config-error';
import type { CorsDecision, CorsPolicy, HttpRequest } from '../core/ports';

/**
 * CORS for the collect endpoint. Origins are compared as parsed (scheme, host, port) tuples,
 * never with a regular expression over the raw header: CAoA's unanchored regex let
 * `https://example.com.evil.net` through, and that is the bug this module exists not to repeat.
 */

export interface CorsOptions {
  /**
   * How long a browser may cache a preflight answer. Chromium caps this at 7200 s.
   * @default 7200
   */
  readonly maxAgeSeconds?: number;
}

const ENV_NAME = 'CLICKSTREAM_CORS_ORIGINS';
const DEFAULT_MAX_AGE_SECONDS = 7200;
const ALLOWED_METHODS = 'POST, GET, OPTIONS';
/**
 * Request headers a preflight may grant: a fixed allowlist, never an echo of whatever the browser
 * asks for. A preflight gets `content-type` plus each requested header that is listed here.
 * Headers the fetch standard forbids pages to set (`cookie`, `keep-alive`, `host`, ...) never
 * appear in a preflight, so listing them would grant nothing: the web SDK's own `cookie` header
 * is dropped by every browser, which sends its own cookies (`credentials: 'include'`) instead.
 */
const GRANTABLE_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  // Every official SDK sends `application/json; charset=utf-8`, which is not CORS-safelisted.
  'content-type',
  // The web SDK sets it on each fetch (to navigator.userAgent). Chromium drops it; Firefox and
  // WebKit send it, so their preflights ask for it, and without it no POST of theirs follows. It
  // only fills the record's `ua`, with the value the browser would have sent anyway.
  'user-agent',
  // The Bearer token of the collector's own authentication.
  'authorization',
  // The API document's JavaScript example sets it from fetch, so a relay page may too. It grants
  // nothing new: the default IP policy trusts it from any client, the strict one never.
  'x-forwarded-for',
  // CAoA's ingestion server granted these, so a page written against it may send them; the
  // collector reads none of them. `x-customheader` is the placeholder of the nginx CORS snippet
  // CAoA's list comes from, kept so such a page keeps working. (CAoA's `keep-alive` is forbidden.)
  'x-requested-with',
  'cache-control',
  'if-modified-since',
  'dnt',
  'x-customheader',
]);
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' };

interface ParsedOrigin {
  readonly scheme: string;
  /** Lower-case host; for IPv6 with its brackets. */
  readonly host: string;
  /** The port as a decimal string, or '' when it is the scheme's default (browsers omit it). */
  readonly port: string;
}

interface OriginPattern extends ParsedOrigin {
  /** `https://*.example.com`: `host` is then `example.com` and exactly one label must precede it. */
  readonly wildcard: boolean;
}

const ORIGIN_SHAPE = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-f:.]+\]|[^/:?#[\]@\s]+)(?::(\d{1,5}))?$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

type ParseResult =
  | { readonly origin: ParsedOrigin; readonly wildcard: boolean }
  | { readonly problem: string };

function parseOrigin(text: string, allowWildcard: boolean): ParseResult {
  const match = ORIGIN_SHAPE.exec(text.toLowerCase());
  if (match === null) {
    return { problem: 'expected scheme://host[:port] with no path, query or credentials' };
  }
  const [, scheme = '', rawHost = '', rawPort] = match;
  let port = '';
  if (rawPort !== undefined) {
    const number = Number(rawPort);
    if (number < 1 || number > 65_535) return { problem: 'port out of range' };
    port = String(number) === DEFAULT_PORTS[scheme] ? '' : String(number);
  }
  if (rawHost.startsWith('[')) {
    return isIP(rawHost.slice(1, -1)) === 6
      ? { origin: { scheme, host: rawHost, port }, wildcard: false }
      : { problem: 'invalid IPv6 address' };
  }
  const labels = rawHost.split('.');
  let wildcard = false;
  if (labels[0] === '*' && allowWildcard) {
    wildcard = true;
    labels.shift();
    // `*.com` would admit every site of a top-level domain. (Deeper public suffixes such as
    // `*.co.uk` or `*.github.io` are refused by cors-wildcards.ts, which needs the suffix list.)
    if (labels.length < 2)
      return {
        problem: `"*" must stand for a label below a registered domain; ${labels.join('.')} is a public suffix`,
      };
  }
  if (labels.some((label) => label.includes('*'))) {
    return { problem: '"*" may only stand alone as the leftmost label, as in https://*.example.com' };
  }
  if (!labels.every((label) => DNS_LABEL.test(label))) return { problem: 'invalid host name' };
  return { origin: { scheme, host: labels.join('.'), port }, wildcard };
}

// A copied URL often ends in "/"; that is still just an origin.
function normalizeEntry(entry: string): string {
  return entry.trim().replace(/(?<=[^/])\/$/, '');
}

function parsePattern(entry: string): OriginPattern {
  const parsed = parseOrigin(normalizeEntry(entry), true);
  if ('problem' in parsed) {
    throw new ConfigError(`${ENV_NAME}: "${entry}" is not a valid origin: ${parsed.problem}`);
  }
  return { ...parsed.origin, wildcard: parsed.wildcard };
}

function matches(pattern: OriginPattern, origin: ParsedOrigin): boolean {
  if (pattern.scheme !== origin.scheme || pattern.port !== origin.port) return false;
  if (!pattern.wildcard) return pattern.host === origin.host;
  const suffix = `.${pattern.host}`;
  if (!origin.host.endsWith(suffix)) return false;
  const label = origin.host.slice(0, -suffix.length);
  return label.length > 0 && !label.includes('.');
}

function grantedRequestHeaders(request: HttpRequest): string {
  const requested = (request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => GRANTABLE_REQUEST_HEADERS.has(name));
  return [...new Set(['content-type', ...requested])].join(', ');
}

/**
 * The host each well-formed wildcard pattern stands under (`example.com` for
 * `https://*.example.com`). Malformed entries are skipped: `createCorsPolicy` reports them.
 */
export function wildcardParents(allowedOrigins: readonly string[]): Array<{ entry: string; parent: string }> {
  return allowedOrigins.flatMap((entry) => {
    const parsed = parseOrigin(normalizeEntry(entry), true);
    return 'problem' in parsed || !parsed.wildcard ? [] : [{ entry, parent: parsed.origin.host }];
  });
}

/**
 * Builds the CORS policy from `CLICKSTREAM_CORS_ORIGINS` entries; throws `ConfigError` for a
 * malformed entry so a typo fails the deployment instead of silently blocking (or admitting) sites.
 */
export function createCorsPolicy(allowedOrigins: readonly string[], options: CorsOptions = {}): CorsPolicy {
  const patterns = allowedOrigins.filter((entry) => entry.trim() !== '').map(parsePattern);
  const maxAge = options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS;
  if (!Number.isInteger(maxAge) || maxAge < 0) {
    throw new ConfigError('CORS max-age must be a non-negative integer number of seconds');
  }

  const decide = (request: HttpRequest): CorsDecision => {
    const origin = request.headers.origin;
    if (origin === undefined) return { kind: 'no-origin' };
    // `null` comes from sandboxed iframes, file: pages and redirects: it names no one we could trust.
    const parsed = origin === 'null' ? null : parseOrigin(origin, false);
    if (parsed === null || 'problem' in parsed) return { kind: 'denied', origin };
    const allowed = patterns.some((pattern) => matches(pattern, parsed.origin));
    if (!allowed) return { kind: 'denied', origin };
    return {
      kind: 'allowed',
      headers: {
        // Echo the exact value: with credentials the browser rejects `*` and any other spelling.
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        // The answer depends on Origin; without this a shared cache could serve it to another site.
        vary: 'Origin',
        'access-control-expose-headers': 'x-request-id',
      },
    };
  };

  const preflightHeaders = (request: HttpRequest): Readonly<Record<string, string>> => {
    const decision = decide(request);
    if (decision.kind !== 'allowed') return {};
    return {
      ...decision.headers,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': grantedRequestHeaders(request),
      'access-control-max-age': String(maxAge),
      vary: 'Origin, Access-Control-Request-Headers',
    };
  };

  return { decide, preflightHeaders };
}
