import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  createLocalContext,
  fromFunctionUrlResult,
  type NodeRequestLike,
  toFunctionUrlEvent,
} from '../../../local/function-url-event';

const now = new Date('2024-06-27T06:19:45.123Z');
const options = { now, requestId: 'c0ffee00-0000-4000-8000-000000000001' };

function request(overrides: Partial<NodeRequestLike> = {}): NodeRequestLike {
  return {
    method: 'POST',
    url: '/collect?appId=test_release&platform=Android&event_bundle_sequence_id=1',
    rawHeaders: [
      'Host',
      '127.0.0.1:8080',
      'Content-Type',
      'application/json; charset=utf-8',
      'User-Agent',
      'curl/8',
    ],
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
    ...overrides,
  };
}

describe('toFunctionUrlEvent', () => {
  it('builds a payload 2.0 function URL event with path, raw query and request context', () => {
    const event = toFunctionUrlEvent(request(), Buffer.from('[]'), options);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/collect',
      rawQueryString: 'appId=test_release&platform=Android&event_bundle_sequence_id=1',
      requestContext: {
        accountId: 'anonymous',
        domainName: '127.0.0.1',
        http: {
          method: 'POST',
          path: '/collect',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        requestId: options.requestId,
        routeKey: '$default',
        stage: '$default',
        time: '27/Jun/2024:06:19:45 +0000',
        timeEpoch: now.getTime(),
      },
    });
  });

  it('lower-cases header names and comma-joins repeated headers', () => {
    const event = toFunctionUrlEvent(
      request({
        rawHeaders: ['X-Forwarded-For', '101.188.67.134', 'x-forwarded-for', '10.0.0.1', 'Accept', '*/*'],
      }),
      Buffer.alloc(0),
      options,
    );
    expect(event.headers).toEqual({ 'x-forwarded-for': '101.188.67.134,10.0.0.1', accept: '*/*' });
  });

  it('moves cookies into the cookies array and out of the headers', () => {
    const event = toFunctionUrlEvent(
      request({ rawHeaders: ['Cookie', 'clickstream_token=abc; theme=dark', 'Accept', '*/*'] }),
      Buffer.alloc(0),
      options,
    );
    expect(event.cookies).toEqual(['clickstream_token=abc', 'theme=dark']);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('decodes query parameters and comma-joins a repeated name', () => {
    const event = toFunctionUrlEvent(
      request({ url: '/collect?appId=my%20app&tag=a&tag=b&compression=' }),
      Buffer.alloc(0),
      options,
    );
    expect(event.queryStringParameters).toEqual({ appId: 'my app', tag: 'a,b', compression: '' });
    expect(event.rawQueryString).toBe('appId=my%20app&tag=a&tag=b&compression=');
  });

  it('omits queryStringParameters when there is no query', () => {
    const event = toFunctionUrlEvent(request({ url: '/health' }), Buffer.alloc(0), options);
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.rawQueryString).toBe('');
  });

  it('carries the body as base64 of the exact bytes received', () => {
    const gzipped = gzipSync('[{"event_type":"x"}]');
    const event = toFunctionUrlEvent(request(), gzipped, options);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64').equals(gzipped)).toBe(true);
  });

  it('has no body when the request has none', () => {
    const event = toFunctionUrlEvent(request({ method: 'GET', url: '/ping' }), Buffer.alloc(0), options);
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('createLocalContext', () => {
  it('names the local function and grants about 30 seconds', () => {
    const context = createLocalContext({ requestId: 'r-1' });
    expect(context.functionName).toBe('clickstream-local');
    expect(context.awsRequestId).toBe('r-1');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(29_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
  });
});

describe('fromFunctionUrlResult', () => {
  it('takes status, lower-cased headers and body from a structured result', () => {
    const response = fromFunctionUrlResult({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'abc' },
      body: '{"error":"forbidden"}',
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers).toEqual({ 'content-type': ['application/json'], 'x-request-id': ['abc'] });
    expect(response.body.toString()).toBe('{"error":"forbidden"}');
  });

  it('decodes a base64-encoded body', () => {
    const response = fromFunctionUrlResult({
      statusCode: 200,
      body: Buffer.from('hello').toString('base64'),
      isBase64Encoded: true,
    });
    expect(response.body.toString()).toBe('hello');
  });

  it('turns cookies into set-cookie headers and keeps every multi-value header', () => {
    const response = fromFunctionUrlResult({
      statusCode: 200,
      headers: { vary: 'x' },
      multiValueHeaders: { Vary: ['Origin', 'Accept-Encoding'] },
      cookies: ['a=1', 'b=2'],
    });
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers.vary).toEqual(['Origin', 'Accept-Encoding']);
  });

  it('answers a result without statusCode as a 200 JSON body, as function URLs do', () => {
    const response = fromFunctionUrlResult({ status: 'ok' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toEqual(['application/json']);
    expect(JSON.parse(response.body.toString())).toEqual({ status: 'ok' });
  });
});
