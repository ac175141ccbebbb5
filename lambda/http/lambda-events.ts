import { STATUS_CODES } from 'node:http';
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import type { EndpointKind, HttpRequest, HttpResponse, RequestBody } from '../core/ports';

/**
 * Translates the four Lambda HTTP event shapes into `HttpRequest`, and a `HttpResponse` back into
 * the result shape the same service expects. Everything shape-specific lives here.
 */

export type LambdaHttpResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult | ALBResult;

/** How to answer: the service and, for an ALB, whether it sent (and wants) multi-value headers. */
export interface ResponseShape {
  readonly endpoint: EndpointKind;
  readonly multiValueHeaders: boolean;
}

export class UnsupportedEventError extends Error {}

type HeaderMap = Record<string, string | undefined> | null | undefined;
type MultiHeaderMap = Record<string, string[] | undefined> | null | undefined;

function lowerCaseHeaders(single: HeaderMap, multi: MultiHeaderMap): Record<string, string> {
  const headers: Record<string, string> = {};
  if (multi) {
    for (const [name, values] of Object.entries(multi)) {
      if (values && values.length > 0) headers[name.toLowerCase()] = values.join(', ');
    }
    return headers;
  }
  for (const [name, value] of Object.entries(single ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return headers;
}

function cookiesFromHeader(header: string | undefined): string[] {
  if (header === undefined) return [];
  return header
    .split(';')
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie.length > 0);
}

/** `URLSearchParams` decodes leniently (a bad `%` escape stays as is), so hostile queries cannot throw. */
function firstValues(rawQueryString: string): Record<string, string> {
  // No prototype: a parameter named `constructor` or `__proto__` is just a parameter.
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    if (!Object.hasOwn(query, name)) query[name] = value;
  }
  return query;
}

/** A text body stays text (see `HttpRequest.body`); a base64 one becomes the bytes sent. */
function requestBody(body: string | null | undefined, isBase64Encoded: boolean): RequestBody {
  if (body === null || body === undefined) return '';
  return isBase64Encoded ? Buffer.from(body, 'base64') : body;
}

type UnknownRecord = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is UnknownRecord => typeof value === 'object' && value !== null;

/** The request context of an event, if it has one that is an object. */
function requestContextOf(event: UnknownRecord): UnknownRecord {
  const context = event.requestContext;
  return isRecord(context) ? context : {};
}

// The guards look at what tells the shapes apart; the services guarantee the rest of each shape.
function isV2(event: UnknownRecord): event is UnknownRecord & APIGatewayProxyEventV2 {
  const http = requestContextOf(event).http;
  return event.version === '2.0' && isRecord(http) && typeof http.method === 'string';
}

function isAlb(event: UnknownRecord): event is UnknownRecord & ALBEvent {
  return 'elb' in requestContextOf(event) && typeof event.httpMethod === 'string';
}

function isRestV1(event: UnknownRecord): event is UnknownRecord & APIGatewayProxyEvent {
  return (
    typeof event.httpMethod === 'string' &&
    typeof event.path === 'string' &&
    !('elb' in requestContextOf(event))
  );
}

function fromV2(event: APIGatewayProxyEventV2): HttpRequest {
  const rawQueryString = event.rawQueryString ?? '';
  const domain = event.requestContext.domainName ?? '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    rawQueryString,
    query: firstValues(rawQueryString),
    headers: lowerCaseHeaders(event.headers, undefined),
    cookies: event.cookies ?? cookiesFromHeader(event.headers?.cookie),
    body: requestBody(event.body, event.isBase64Encoded),
    sourceIp: event.requestContext.http.sourceIp ?? null,
    endpoint: domain.includes('.lambda-url.') ? 'function-url' : 'http-api',
  };
}

/** REST API (1.0) decodes query values for us; rebuild the raw string from the multi-value map. */
function fromRestV1(event: APIGatewayProxyEvent): HttpRequest {
  const pairs: string[] = [];
  const add = (name: string, value: string) =>
    pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) for (const value of values ?? []) add(name, value);
  if (pairs.length === 0) {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {}))
      if (value !== undefined) add(name, value);
  }
  return fromV1(event, pairs.join('&'), 'rest-api', event.requestContext?.identity?.sourceIp ?? null);
}

/** An ALB passes query names and values exactly as sent (still percent-encoded). */
function fromAlb(event: ALBEvent): HttpRequest {
  const pairs: string[] = [];
  if (event.multiValueQueryStringParameters) {
    for (const [name, values] of Object.entries(event.multiValueQueryStringParameters)) {
      for (const value of values ?? []) pairs.push(`${name}=${value}`);
    }
  } else {
    for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
      pairs.push(value === undefined ? name : `${name}=${value}`);
    }
  }
  // The ALB gives no peer address in the event: it appends it to X-Forwarded-For instead.
  return fromV1(event, pairs.join('&'), 'alb', null);
}

/** The fields the REST API (1.0) and ALB events share, once their raw query string is rebuilt. */
function fromV1(
  event: APIGatewayProxyEvent | ALBEvent,
  rawQueryString: string,
  endpoint: 'rest-api' | 'alb',
  sourceIp: string | null,
): HttpRequest {
  const headers = lowerCaseHeaders(event.headers, event.multiValueHeaders);
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    rawQueryString,
    query: firstValues(rawQueryString),
    headers,
    cookies: cookiesFromHeader(headers.cookie),
    body: requestBody(event.body, event.isBase64Encoded),
    sourceIp,
    endpoint,
  };
}

export function toHttpRequest(event: unknown): { request: HttpRequest; shape: ResponseShape } {
  if (!isRecord(event)) throw new UnsupportedEventError('not an HTTP event');
  if (isV2(event)) {
    const request = fromV2(event);
    return { request, shape: { endpoint: request.endpoint, multiValueHeaders: false } };
  }
  if (isAlb(event)) {
    return {
      request: fromAlb(event),
      shape: { endpoint: 'alb', multiValueHeaders: event.multiValueHeaders !== undefined },
    };
  }
  if (isRestV1(event))
    return { request: fromRestV1(event), shape: { endpoint: 'rest-api', multiValueHeaders: false } };
  throw new UnsupportedEventError('not an HTTP event');
}

// Built field by field, not spread: this runs once per request, and spreads cost more here.
export function toLambdaResult(response: HttpResponse, shape: ResponseShape): LambdaHttpResult {
  const { statusCode, body, headers } = response;
  if (shape.endpoint !== 'alb') return { statusCode, body, isBase64Encoded: false, headers };
  const statusDescription = `${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trim();
  if (shape.multiValueHeaders) {
    const multiValueHeaders = Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, [value]]),
    );
    return { statusCode, body, isBase64Encoded: false, statusDescription, multiValueHeaders };
  }
  return { statusCode, body, isBase64Encoded: false, statusDescription, headers };
}
