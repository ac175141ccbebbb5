import { bodyBytes, bodyLength } from '../core/body/request-body';
import type { HttpRequest } from '../core/ports';
import { bounded } from '../core/request-context';

/**
 * The request as it may appear in a log: credentials replaced by a fixed marker, the body cut
 * short. Operators who set `POWERTOOLS_LOGGER_LOG_EVENT=true` get this instead of the raw Lambda
 * event, which would carry bearer tokens and every cookie into CloudWatch Logs.
 */

export const REDACTED = '[redacted]';
/** Headers that carry credentials, in lower case. */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'x-amz-security-token']);
const MAX_LOGGED_BODY = 1_024;
const MAX_LOGGED_VALUE = 512;

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly sourceIp: string | null;
  readonly endpoint: string;
  readonly bodyBytes: number;
  /** The start of the body as text, for recognising a request (not for replaying it). */
  readonly bodyStart: string;
}

export function redactedRequest(request: HttpRequest): LoggedRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = SECRET_HEADERS.has(name) ? REDACTED : bounded(value, MAX_LOGGED_VALUE);
  }
  return {
    method: request.method,
    path: bounded(request.path, MAX_LOGGED_VALUE),
    query: bounded(request.rawQueryString, MAX_LOGGED_VALUE * 4),
    headers,
    cookies: request.cookies.map(() => REDACTED),
    sourceIp: request.sourceIp,
    endpoint: request.endpoint,
    bodyBytes: bodyLength(request.body),
    bodyStart: bodyBytes(request.body).subarray(0, MAX_LOGGED_BODY).toString('utf8'),
  };
}
