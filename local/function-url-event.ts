import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';

/**
 * Translation between a Node HTTP request and the Lambda function URL event (payload format 2.0),
 * so the local server feeds the handler exactly what AWS would. Pure functions: unit-tested
 * without sockets.
 */

const LOCAL_FUNCTION_NAME = 'clickstream-local';

/** What the translation needs from an `http.IncomingMessage`. */
export interface NodeRequestLike {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  /** Alternating names and values as received, so repeated headers are all seen. */
  readonly rawHeaders: readonly string[];
  readonly httpVersion: string;
  readonly remoteAddress: string | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The last second formatted, so a busy server formats each second once. */
let formattedSecond = { epochSecond: Number.NaN, text: '' };

/** The request context's `time`, in AWS's CLF-like format: `12/Mar/2020:19:03:58 +0000`. */
export function formatRequestTime(date: Date): string {
  const epochSecond = Math.floor(date.getTime() / 1000);
  if (epochSecond === formattedSecond.epochSecond) return formattedSecond.text;
  const pad = (value: number) => String(value).padStart(2, '0');
  const text =
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
  formattedSecond = { epochSecond, text };
  return text;
}

/**
 * Header names lower-cased, repeated headers comma-joined, as function URLs deliver them; the
 * Cookie header(s) apart, since function URLs move them into `cookies`.
 */
function splitHeaders(rawHeaders: readonly string[]): {
  headers: Record<string, string>;
  cookie: string | undefined;
} {
  const headers: Record<string, string> = {};
  let cookie: string | undefined;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    if (name === 'cookie') {
      cookie = cookie === undefined ? value : `${cookie},${value}`;
      continue;
    }
    const existing = headers[name];
    headers[name] = existing === undefined ? value : `${existing},${value}`;
  }
  return { headers, cookie };
}

/**
 * How the event carries the body. UTF-8 text without a Content-Encoding goes as the text itself
 * (`isBase64Encoded: false`), as function URLs deliver text payloads; anything else (gzip bytes,
 * binary, invalid UTF-8) as base64, byte-exact. The handler turns either back into the same bytes
 * (`Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8')`), so the choice only saves the
 * base64 round trip.
 */
function eventBody(
  body: Buffer,
  contentEncoding: string | undefined,
): { isBase64Encoded: boolean; body?: string } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (contentEncoding === undefined && isUtf8(body)) {
    return { isBase64Encoded: false, body: body.toString('utf8') };
  }
  return { isBase64Encoded: true, body: body.toString('base64') };
}

/** Each `name=value` pair of the Cookie header(s), in order. */
function splitCookies(cookieHeader: string | undefined): string[] {
  if (cookieHeader === undefined) return [];
  return cookieHeader
    .split(/[;,]/)
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie.length > 0);
}

/** Decoded query parameters; a repeated name gets its values comma-joined, as function URLs do. */
function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const existing = parameters[name];
    parameters[name] = existing === undefined ? value : `${existing},${value}`;
  }
  return parameters;
}

export interface TranslationOptions {
  readonly now: Date;
  readonly requestId: string;
}

/** Builds the function URL event AWS would deliver for this request and body. */
export function toFunctionUrlEvent(
  request: NodeRequestLike,
  body: Buffer,
  options: TranslationOptions,
): LambdaFunctionURLEvent {
  const rawUrl = request.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
  // Function URLs move the Cookie header into `cookies` and drop it from `headers`.
  const { headers, cookie: cookieHeader } = splitHeaders(request.rawHeaders);
  const cookies = splitCookies(cookieHeader);
  const queryStringParameters = parseQuery(rawQueryString);
  const method = (request.method ?? 'GET').toUpperCase();
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '');
  const event: LambdaFunctionURLEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    ...(cookies.length > 0 ? { cookies } : {}),
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      accountId: 'anonymous',
      apiId: LOCAL_FUNCTION_NAME,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: options.requestId,
      routeKey: '$default',
      stage: '$default',
      time: formatRequestTime(options.now),
      timeEpoch: options.now.getTime(),
    },
    ...eventBody(body, headers['content-encoding']),
  };
  return event;
}

/** A Lambda context good enough for the handler; the local run has a 30 s budget. */
export function createLocalContext(
  options: { readonly requestId?: string; readonly timeoutMs?: number } = {},
): Context {
  const requestId = options.requestId ?? randomUUID();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const unsupported = (): void => undefined;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: LOCAL_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${LOCAL_FUNCTION_NAME}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${LOCAL_FUNCTION_NAME}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/** The parts of a handler result the local server writes back. */
export interface LocalResponse {
  readonly statusCode: number;
  /** Header name (lower case) → values; several values become several header lines. */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: Buffer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Reads a handler result the way function URLs do: an object with `statusCode` is a response
 * (headers, multiValueHeaders, cookies, body, isBase64Encoded); anything else is a 200 JSON body.
 */
export function fromFunctionUrlResult(result: unknown): LocalResponse {
  if (!isRecord(result) || typeof result.statusCode !== 'number') {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? '');
    return { statusCode: 200, headers: { 'content-type': ['application/json'] }, body: Buffer.from(body) };
  }
  const headers: Record<string, string[]> = {};
  const add = (name: string, value: unknown): void => {
    const text = scalar(value);
    if (text === undefined) return;
    const key = name.toLowerCase();
    headers[key] = [...(headers[key] ?? []), text];
  };
  if (isRecord(result.headers)) {
    for (const [name, value] of Object.entries(result.headers)) add(name, value);
  }
  if (isRecord(result.multiValueHeaders)) {
    // As API Gateway does: for a name in both, the multi-value list wins.
    for (const [name, values] of Object.entries(result.multiValueHeaders)) {
      if (!Array.isArray(values)) continue;
      delete headers[name.toLowerCase()];
      for (const value of values) add(name, value);
    }
  }
  if (Array.isArray(result.cookies)) {
    for (const cookie of result.cookies) add('set-cookie', cookie);
  }
  const rawBody = typeof result.body === 'string' ? result.body : '';
  const body =
    result.isBase64Encoded === true ? Buffer.from(rawBody, 'base64') : Buffer.from(rawBody, 'utf8');
  return { statusCode: result.statusCode, headers, body };
}
