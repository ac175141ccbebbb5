import { request as httpRequest } from 'node:http';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaHttpHandler } from '../../../lambda/app';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';

/**
 * The HTTP adapter of the local collector, with a stand-in handler that records the events it
 * gets: what the Node server hands the Lambda handler and how it writes the result back.
 */

const MAX_BODY = 1_000;

describe('local HTTP adapter', () => {
  let collector: LocalCollector;
  const events: LambdaFunctionURLEvent[] = [];
  const lines: string[] = [];
  let answer: (event: LambdaFunctionURLEvent) => Promise<unknown> = async () => ({
    statusCode: 200,
    body: '',
  });

  beforeAll(async () => {
    const handler: LambdaHttpHandler = async (event) => {
      const urlEvent = event as LambdaFunctionURLEvent;
      events.push(urlEvent);
      return answer(urlEvent);
    };
    collector = await startLocalCollector({
      env: { CLICKSTREAM_MAX_BODY_BYTES: String(MAX_BODY) },
      port: 0,
      archiver: false,
      log: (line) => lines.push(line),
      buildHandler: (_config, options) => async (event, context) => {
        const result = await handler(event, context);
        options.onOutcome?.(
          {
            route: 'collect',
            statusCode: 200,
            requestId: 'feedfacefeedfacefeedfacefeedface',
            appId: 'test_app',
            eventsAccepted: 2,
            eventsQuarantined: 1,
            eventsToFallback: 0,
            streamRetries: 0,
            bytesIn: 10,
            errorCode: null,
            firstReason: 'event 3: event_type is required',
          },
          context,
        );
        return result;
      },
    });
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it('hands the handler a function URL event carrying the exact body, query and headers', async () => {
    events.length = 0;
    const body = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x7b]);
    await fetch(`${collector.url}/collect?appId=test_app&compression=gzip`, {
      method: 'POST',
      headers: { 'X-Forwarded-For': '101.188.67.134', Cookie: 'clickstream_token=t1' },
      body,
    });
    const event = events[0];
    expect(event?.rawPath).toBe('/collect');
    expect(event?.rawQueryString).toBe('appId=test_app&compression=gzip');
    expect(event?.queryStringParameters).toEqual({ appId: 'test_app', compression: 'gzip' });
    expect(event?.headers['x-forwarded-for']).toBe('101.188.67.134');
    expect(event?.cookies).toEqual(['clickstream_token=t1']);
    expect(event?.requestContext.http.sourceIp).toBe('127.0.0.1');
    expect(Buffer.from(event?.body ?? '', 'base64').equals(body)).toBe(true);
  });

  it('writes back the handler status, headers and body', async () => {
    answer = async () => ({
      statusCode: 403,
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc' },
      cookies: ['a=1'],
      body: '{"error":"forbidden"}',
    });
    try {
      const response = await fetch(`${collector.url}/collect?appId=nope`, { method: 'POST', body: '[]' });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-request-id')).toBe('abc');
      expect(response.headers.get('set-cookie')).toBe('a=1');
      expect(await response.text()).toBe('{"error":"forbidden"}');
      expect(response.headers.get('content-length')).toBe('21');
    } finally {
      answer = async () => ({ statusCode: 200, body: '' });
    }
  });

  it('prints one line per request with status, appId, accepted and quarantined counts and the first reason', async () => {
    lines.length = 0;
    await fetch(`${collector.url}/collect?appId=test_app`, { method: 'POST', body: '[]' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      / 200 POST \/collect appId=test_app accepted=2 quarantined=1 \d+ms rid=feedface\w+ — event 3: event_type is required$/,
    );
  });

  it('answers 413 with the JSON error shape, without the handler, when Content-Length is over the cap', async () => {
    events.length = 0;
    const response = await fetch(`${collector.url}/collect?appId=test_app`, {
      method: 'POST',
      body: Buffer.alloc(MAX_BODY + 1, 0x20),
    });
    expect(response.status).toBe(413);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(await response.json()).toEqual({
      error: 'payload_too_large',
      message: expect.any(String),
      requestId,
    });
    expect(events).toHaveLength(0);
  });

  it('stops buffering a chunked body as soon as it passes the cap and answers 413', async () => {
    events.length = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        `${collector.url}/collect?appId=test_app`,
        { method: 'POST' },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      // No Content-Length: Node sends it chunked, so only counting can catch it.
      for (let index = 0; index < 4; index += 1) request.write(Buffer.alloc(400, 0x20));
      request.end();
    });
    expect(status).toBe(413);
    expect(events).toHaveLength(0);
  });

  it('answers 500 with the JSON error shape when the handler throws', async () => {
    answer = async () => {
      throw new Error('boom');
    };
    try {
      const response = await fetch(`${collector.url}/collect?appId=test_app`, { method: 'POST', body: '[]' });
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: string; requestId: string };
      expect(body.error).toBe('internal_error');
      expect(body.requestId).toBe(response.headers.get('x-request-id'));
    } finally {
      answer = async () => ({ statusCode: 200, body: '' });
    }
  });
});

describe('local collector configuration at start', () => {
  it('fails naming the variable when a value is bad', async () => {
    await expect(
      startLocalCollector({ env: { CLICKSTREAM_PATH: 'collect' }, port: 0, quiet: true }),
    ).rejects.toThrow(/CLICKSTREAM_PATH/);
  });
});
