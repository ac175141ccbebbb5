import { describe, expect, it } from 'vitest';
import {
  DOC_EXAMPLE_BODY,
  DOC_EXAMPLE_QUERY,
  gzipBase64,
  hashCodeOf,
  sampleBatch,
  sampleEvent,
} from '../../support/events';
import { EVENT_SHAPES } from '../../support/lambda-events';
import { memoryCollector } from '../../support/memory-collector';
import { type QuarantineLine, rejectedBodyBytes } from '../../support/quarantine';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const body = (events: unknown[]) => JSON.stringify(events);

// Every row of the README response table, through each of the Lambda event shapes.
describe.each(EVENT_SHAPES)('the response table through a %s event', (shape) => {
  it('answers 200 with an empty body and stores the API document example', async () => {
    const collector = memoryCollector();
    const response = await collector.send(
      { query: DOC_EXAMPLE_QUERY, headers: JSON_HEADERS, body: DOC_EXAMPLE_BODY },
      shape,
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(collector.stream.records).toHaveLength(1);
    expect(collector.stream.parsed()[0]?.data).toBe(DOC_EXAMPLE_BODY);
  });

  it('answers 200 with the quarantined count when some events fail the schema', async () => {
    const collector = memoryCollector();
    const events = [sampleEvent(), { event_type: 'no_id' }, sampleEvent()];
    const response = await collector.send({ query: 'appId=test_app', body: body(events) }, shape);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    expect(JSON.parse(collector.stream.parsed()[0]?.data as string)).toEqual([events[0], events[2]]);
    expect(collector.objects.keys('quarantine/')).toHaveLength(1);
  });

  it('answers a CORS preflight from an allowed origin with 204 and stores nothing', async () => {
    const collector = memoryCollector({ CLICKSTREAM_CORS_ORIGINS: 'https://shop.example.com' });
    const response = await collector.send(
      {
        method: 'OPTIONS',
        query: 'appId=test_app',
        headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
      },
      shape,
    );
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(collector.stream.records).toHaveLength(0);
  });

  it.each([
    ['bad base64', 'appId=test_app&compression=gzip', '%%%not-base64%%%'],
    ['not JSON', 'appId=test_app', '{"event_type":'],
    ['not an array', 'appId=test_app', '{"event_type":"a"}'],
    ['a hashCode mismatch', 'appId=test_app&hashCode=deadbeef', '[]'],
  ])('answers 400 with a JSON error for %s and quarantines the raw body', async (_case, query, text) => {
    const collector = memoryCollector();
    const response = await collector.send({ query, body: text }, shape);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: expect.any(String),
      requestId: response.headers['x-request-id'],
    });
    expect(collector.stream.records).toHaveLength(0);
    const [line] = collector.quarantined();
    expect(line).toMatchObject({ kind: 'rejected_body', error: JSON.parse(response.body).error });
    expect(rejectedBodyBytes(line as QuarantineLine).toString()).toBe(text);
  });

  it.each([
    ['a missing appId', '', 'app_id_missing'],
    ['an unregistered appId', 'appId=someone_else', 'app_id_unknown'],
  ])('answers 403 for %s', async (_case, query, code) => {
    const collector = memoryCollector();
    const response = await collector.send({ query, body: body([sampleEvent()]) }, shape);
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error).toBe(code);
    expect(collector.stream.records).toHaveLength(0);
  });

  it('answers 403 to a browser origin that is not allowed, without CORS headers', async () => {
    const collector = memoryCollector({ CLICKSTREAM_CORS_ORIGINS: 'https://shop.example.com' });
    const response = await collector.send(
      {
        query: 'appId=test_app',
        headers: { origin: 'https://evil.example.net' },
        body: body([sampleEvent()]),
      },
      shape,
    );
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error).toBe('origin_not_allowed');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers 404 for an unknown path', async () => {
    const response = await memoryCollector().send(
      { path: '/nope', query: 'appId=test_app', body: '[]' },
      shape,
    );
    expect(response.statusCode).toBe(404);
    expect(JSON.parse(response.body).error).toBe('not_found');
  });

  it('answers 405 with Allow for another method on the collect path', async () => {
    const response = await memoryCollector().send({ method: 'GET', query: 'appId=test_app' }, shape);
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST, OPTIONS');
    expect(JSON.parse(response.body).error).toBe('method_not_allowed');
  });

  it('answers 413 for a raw body over the 2 MiB default', async () => {
    const collector = memoryCollector();
    const response = await collector.send({ query: 'appId=test_app', body: 'x'.repeat(2_097_153) }, shape);
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body).error).toBe('payload_too_large');
    expect(collector.objects.keys()).toHaveLength(0);
  });

  it('accepts a raw body of exactly 1,048,576 bytes', async () => {
    const events = [sampleEvent({ attributes: { pad: '' } })];
    const padding = 1_048_576 - body(events).length;
    events[0] = sampleEvent({
      event_id: (events[0] as { event_id: string }).event_id,
      attributes: { pad: 'p'.repeat(padding) },
    });
    const text = body(events);
    expect(Buffer.byteLength(text)).toBe(1_048_576);
    const response = await memoryCollector().send({ query: 'appId=test_app', body: text }, shape);
    expect(response.statusCode).toBe(200);
  });

  it('answers 413 when gzip inflates past the decompressed cap', async () => {
    const bomb = gzipBase64(body([sampleEvent({ attributes: { pad: 'a'.repeat(2_000_000) } })]));
    const collector = memoryCollector({ CLICKSTREAM_MAX_DECOMPRESSED_BYTES: '1000000' });
    const response = await collector.send({ query: 'appId=test_app&compression=gzip', body: bomb }, shape);
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body).error).toBe('decompressed_too_large');
  });

  it('answers 503 with Retry-After when the stream and the fallback both fail', async () => {
    const collector = memoryCollector({ CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: '0' });
    collector.stream.refuse = () => true;
    collector.objects.failing = true;
    const response = await collector.send({ query: 'appId=test_app', body: body([sampleEvent()]) }, shape);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(JSON.parse(response.body).error).toBe('sink_unavailable');
  });

  it('answers GET /health with {"status":"ok"} and GET /ping with a timestamp', async () => {
    const collector = memoryCollector();
    const health = await collector.send({ method: 'GET', path: '/health' }, shape);
    const ping = await collector.send({ method: 'GET', path: '/ping' }, shape);
    expect([health.statusCode, JSON.parse(health.body)]).toEqual([200, { status: 'ok' }]);
    expect(ping.statusCode).toBe(200);
    // As the original server's nginx answers: seconds with a three-digit millisecond fraction.
    expect(ping.body).toMatch(/^\{"timestamp": \d{10}\.\d{3}\}$/);
    expect(Math.abs(JSON.parse(ping.body).timestamp * 1_000 - Date.now())).toBeLessThan(60_000);
  });

  it('puts x-request-id, the record rid, on every response', async () => {
    const collector = memoryCollector();
    const accepted = await collector.send({ query: 'appId=test_app', body: body([sampleEvent()]) }, shape);
    const missing = await collector.send({ path: '/nope' }, shape);
    expect(accepted.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(collector.stream.parsed()[0]?.rid).toBe(accepted.headers['x-request-id']);
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts gzip+base64 bodies with a hashCode over the base64 text', async () => {
    const text = gzipBase64(body(sampleBatch(3)));
    const collector = memoryCollector();
    const response = await collector.send(
      { query: `appId=test_app&compression=gzip&hashCode=${hashCodeOf(text)}`, body: text },
      shape,
    );
    expect(response.statusCode).toBe(200);
    expect(collector.stream.parsed()[0]).toMatchObject({ data: text, compression: 'gzip' });
  });
});
