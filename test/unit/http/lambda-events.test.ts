import { describe, expect, it } from 'vitest';
import { toHttpRequest, toLambdaResult, UnsupportedEventError } from '../../../lambda/http/lambda-events';
import { EVENT_SHAPES, lambdaEvent } from '../../support/lambda-events';

const spec = {
  method: 'POST',
  path: '/collect',
  query: 'appId=test_app&platform=Web&note=a%20b%26c',
  headers: {
    'Content-Type': 'application/json',
    'X-Forwarded-For': '1.2.3.4, 5.6.7.8',
    Cookie: 'a=1; token=xyz',
  },
  body: '[{"a":1}]',
  sourceIp: '198.51.100.7',
};

describe.each(EVENT_SHAPES)('toHttpRequest from a %s event', (shape) => {
  const { request } = toHttpRequest(lambdaEvent(shape, spec) as never);

  it('reads the method and path', () => {
    expect([request.method, request.path]).toEqual(['POST', '/collect']);
  });

  it('decodes query values', () => {
    expect(request.query).toMatchObject({ appId: 'test_app', platform: 'Web', note: 'a b&c' });
  });

  it('keeps the query string as sent, percent-encoding included', () => {
    expect(request.rawQueryString).toContain('note=a%20b%26c');
  });

  it('lower-cases header names and reads the cookies', () => {
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-forwarded-for']).toBe('1.2.3.4, 5.6.7.8');
    expect(request.cookies).toEqual(['a=1', 'token=xyz']);
  });

  it('keeps a text body as the text handed over', () => {
    expect(request.body).toBe('[{"a":1}]');
  });

  it('reads a base64-encoded body as the bytes sent', () => {
    const bytes = Buffer.from([0x1f, 0x8b, 0x00, 0xff]);
    const { request: binary } = toHttpRequest(lambdaEvent(shape, { ...spec, body: bytes }) as never);
    expect(binary.body).toEqual(bytes);
  });
});

describe.each(['function-url', 'http-api', 'rest-api', 'alb-multi-value'] as const)(
  'a repeated query name in a %s event',
  (shape) => {
    it('counts with its first value', () => {
      const { request } = toHttpRequest(
        lambdaEvent(shape, { ...spec, query: 'appId=test_app&appId=second' }) as never,
      );
      expect(request.query.appId).toBe('test_app');
    });
  },
);

describe.each(EVENT_SHAPES)('query parameters named like Object members in a %s event', (shape) => {
  it('are plain parameters', () => {
    const { request } = toHttpRequest(
      lambdaEvent(shape, { ...spec, query: 'valueOf=1&constructor=2&__proto__=3' }) as never,
    );
    expect([
      request.query.valueOf,
      request.query.constructor,
      Object.getOwnPropertyDescriptor(request.query, '__proto__')?.value,
    ]).toEqual(['1', '2', '3']);
    expect(request.query.toString).toBeUndefined();
  });
});

describe('the endpoint kind and source IP', () => {
  it.each([
    ['function-url', 'function-url', '198.51.100.7'],
    ['http-api', 'http-api', '198.51.100.7'],
    ['rest-api', 'rest-api', '198.51.100.7'],
    ['alb', 'alb', null],
  ] as const)('a %s event is a %s request with source IP %s', (shape, endpoint, sourceIp) => {
    const { request } = toHttpRequest(lambdaEvent(shape, spec) as never);
    expect([request.endpoint, request.sourceIp]).toEqual([endpoint, sourceIp]);
  });
});

describe('toLambdaResult', () => {
  const response = { statusCode: 413, headers: { 'content-type': 'application/json' }, body: '{}' };

  it('answers an ALB with a status description', () => {
    expect(toLambdaResult(response, { endpoint: 'alb', multiValueHeaders: false })).toMatchObject({
      statusDescription: '413 Payload Too Large',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('answers a multi-value ALB with multi-value headers', () => {
    expect(toLambdaResult(response, { endpoint: 'alb', multiValueHeaders: true })).toMatchObject({
      multiValueHeaders: { 'content-type': ['application/json'] },
    });
  });

  it('rejects an event that is no HTTP event', () => {
    expect(() => toHttpRequest({ Records: [] } as never)).toThrow(UnsupportedEventError);
  });
});
