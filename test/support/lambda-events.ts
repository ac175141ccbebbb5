import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpRequest } from '../../lambda/core/ports';

/**
 * Builds realistic Lambda events of the four shapes from one description of an HTTP request, so a
 * test can send the same request through a function URL, an HTTP API, a REST API and an ALB.
 */
export interface RequestSpec {
  readonly method?: string;
  readonly path?: string;
  /** Raw (percent-encoded) query string without `?`. */
  readonly query?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Send the body base64-encoded, as the services do for binary content. */
  readonly base64?: boolean;
  readonly sourceIp?: string;
}

export type EventShape = 'function-url' | 'http-api' | 'rest-api' | 'alb' | 'alb-multi-value';
export const EVENT_SHAPES: readonly EventShape[] = [
  'function-url',
  'http-api',
  'rest-api',
  'alb',
  'alb-multi-value',
];

function encodeBody(spec: RequestSpec): { body: string | null; isBase64Encoded: boolean } {
  if (spec.body === undefined) return { body: null, isBase64Encoded: false };
  const base64 = spec.base64 ?? Buffer.isBuffer(spec.body);
  if (base64) return { body: Buffer.from(spec.body).toString('base64'), isBase64Encoded: true };
  return { body: spec.body.toString(), isBase64Encoded: false };
}

function queryPairs(raw: string): Array<[string, string]> {
  if (raw === '') return [];
  return raw.split('&').map((pair) => {
    const at = pair.indexOf('=');
    return at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
  });
}

/** Lenient like the services: a broken escape stays as sent. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function v2Event(spec: RequestSpec, domainName: string): APIGatewayProxyEventV2 {
  const method = spec.method ?? 'POST';
  const path = spec.path ?? '/collect';
  const rawQueryString = spec.query ?? '';
  const headers = lower(spec.headers ?? {});
  const { cookie, ...rest } = headers;
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of queryPairs(rawQueryString)) {
    const key = decode(name);
    queryStringParameters[key] = !Object.hasOwn(queryStringParameters, key)
      ? decode(value)
      : `${queryStringParameters[key]},${decode(value)}`;
  }
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString,
    cookies: cookie === undefined ? undefined : cookie.split(';').map((part) => part.trim()),
    headers: rest,
    queryStringParameters: rawQueryString === '' ? undefined : queryStringParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: spec.sourceIp ?? '198.51.100.7',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:19:00:00 +0000',
      timeEpoch: 1795892400000,
    },
    ...encodeBody(spec),
  } as APIGatewayProxyEventV2;
}

function restEvent(spec: RequestSpec): APIGatewayProxyEvent {
  const headers = spec.headers ?? {};
  const multi: Record<string, string[]> = Object.create(null);
  for (const [name, value] of queryPairs(spec.query ?? ''))
    multi[decode(name)] = [
      ...(Object.hasOwn(multi, decode(name)) ? (multi[decode(name)] ?? []) : []),
      decode(value),
    ];
  const single = Object.fromEntries(
    Object.entries(multi).map(([name, values]) => [name, values.at(-1) as string]),
  );
  const empty = Object.keys(multi).length === 0;
  return {
    resource: '/{proxy+}',
    path: spec.path ?? '/collect',
    httpMethod: spec.method ?? 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: empty ? null : single,
    multiValueQueryStringParameters: empty ? null : multi,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      identity: { sourceIp: spec.sourceIp ?? '198.51.100.7' },
      requestId: 'req-1',
      stage: 'prod',
    } as APIGatewayProxyEvent['requestContext'],
    ...encodeBody(spec),
  } as APIGatewayProxyEvent;
}

function albEvent(spec: RequestSpec, multiValue: boolean): ALBEvent {
  const headers = lower(spec.headers ?? {});
  const pairs = queryPairs(spec.query ?? '');
  const base = {
    requestContext: {
      elb: {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/collector/abc',
      },
    },
    httpMethod: spec.method ?? 'POST',
    path: spec.path ?? '/collect',
    ...encodeBody(spec),
  };
  if (multiValue) {
    const multi: Record<string, string[]> = Object.create(null);
    for (const [name, value] of pairs)
      multi[name] = [...(Object.hasOwn(multi, name) ? (multi[name] ?? []) : []), value];
    return {
      ...base,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
      multiValueQueryStringParameters: multi,
    } as ALBEvent;
  }
  return { ...base, headers, queryStringParameters: Object.fromEntries(pairs) } as ALBEvent;
}

export function lambdaEvent(shape: EventShape, spec: RequestSpec): unknown {
  switch (shape) {
    case 'function-url':
      return v2Event(spec, 'abcdefgh.lambda-url.us-east-1.on.aws');
    case 'http-api':
      return v2Event(spec, 'abc123.execute-api.us-east-1.amazonaws.com');
    case 'rest-api':
      return restEvent(spec);
    case 'alb':
      return albEvent(spec, false);
    case 'alb-multi-value':
      return albEvent(spec, true);
  }
}

export const lambdaContext = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'clickstream-collector-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:clickstream-collector-test',
  memoryLimitInMB: '512',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

export interface NormalizedResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Reads any of the four result shapes back into one form (multi-value headers flattened). */
export function normalizeResult(result: unknown): NormalizedResult {
  const value = result as {
    statusCode: number;
    headers?: Record<string, string>;
    multiValueHeaders?: Record<string, string[]>;
    body?: string;
    isBase64Encoded?: boolean;
  };
  const headers: Record<string, string> = { ...(value.headers ?? {}) };
  for (const [name, values] of Object.entries(value.multiValueHeaders ?? {}))
    headers[name] = values.join(', ');
  const body = value.isBase64Encoded
    ? Buffer.from(value.body ?? '', 'base64').toString()
    : (value.body ?? '');
  return { statusCode: value.statusCode, headers, body };
}

/** The request as the HTTP adapters hand it to the core, for tests that start at the core. */
export function httpRequest(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'POST',
    path: '/collect',
    rawQueryString: 'appId=shop',
    query: { appId: 'shop' },
    headers: {},
    cookies: [],
    body: Buffer.alloc(0),
    sourceIp: null,
    endpoint: 'function-url',
    ...overrides,
  };
}
