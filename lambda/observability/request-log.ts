import { bodyBytes, bodyLength } from '../core/body/request-body';
import type { HttpRequest } from '../core/ports';
import { bounded } from '../core/request-context';

/**
 * The request as it may appear in a log: credentials replaced by a fixed marker, every part cut
 * short, so the line stays a few KiB whatever the client sent (CloudWatch Logs bills by the byte,
 * and a refused request is logged at INFO). Operators who set `POWERTOOLS_LOGGER_LOG_EVENT=true`
 * get this instead of the raw Lambda event, which would carry bearer tokens and every cookie into
 * CloudWatch Logs.
 */

export const REDACTED = '[redacted]';
/** Headers that carry credentials, in lower case. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-amz-security-token']);
const MAX_LOGGED_BODY = 1_024;
const MAX_LOGGED_VALUE = 512;
const MAX_LOGGED_NAME = 128;
const MAX_LOGGED_METHOD = 16;
/** Characters of JSON that the headers may take in the line, names and values together. */
const LOGGED_HEADERS_BUDGET = 4_096;
const MAX_LOGGED_COOKIES = 16;

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Headers left out once the headers took their share of the line. */
  readonly headersOmitted: number;
  /** One marker per cookie, at most 16. */
  readonly cookies: readonly string[];
  readonly cookieCount: number;
  readonly sourceIp: string | null;
  readonly endpoint: string;
  readonly bodyBytes: number;
  /** The start of the body as text, for recognising a request (not for replaying it). */
  readonly bodyStart: string;
}

export function redactedRequest(request: HttpRequest): LoggedRequest {
  // A Map, so a header named `__proto__` or `constructor` is logged like any other.
  const headers = new Map<string, string>();
  let used = 0;
  let headersOmitted = 0;
  for (const [name, value] of Object.entries(request.headers)) {
    const shownName = bounded(name, MAX_LOGGED_NAME);
    const shown = SECRET_HEADERS.has(name) ? REDACTED : bounded(value, MAX_LOGGED_VALUE);
    // Measured as encoded, so quotes and control characters cannot stretch the line past the budget.
    const cost = JSON.stringify(shownName).length + JSON.stringify(shown).length + 2;
    if (used + cost > LOGGED_HEADERS_BUDGET || headers.has(shownName)) {
      headersOmitted += 1;
      continue;
    }
    used += cost;
    headers.set(shownName, shown);
  }
  return {
    method: bounded(request.method, MAX_LOGGED_METHOD),
    path: bounded(request.path, MAX_LOGGED_VALUE),
    query: bounded(request.rawQueryString, MAX_LOGGED_VALUE * 4),
    headers: Object.fromEntries(headers),
    headersOmitted,
    cookies: request.cookies.slice(0, MAX_LOGGED_COOKIES).map(() => REDACTED),
    cookieCount: request.cookies.length,
    sourceIp: request.sourceIp,
    endpoint: request.endpoint,
    bodyBytes: bodyLength(request.body),
    bodyStart: bodyBytes(request.body).subarray(0, MAX_LOGGED_BODY).toString('utf8'),
  };
}
