import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHandler } from '../../../lambda/app';
import { parseConfig } from '../../../lambda/config';
import { type Emulators, startEmulators } from '../../../local/emulators';
import {
  DOC_EXAMPLE_BODY,
  DOC_EXAMPLE_HEADERS,
  DOC_EXAMPLE_QUERY,
  gzipBase64,
  sampleBatch,
  sampleEvent,
  TEST_ENV,
} from '../../support/events';
import {
  EVENT_SHAPES,
  lambdaContext,
  lambdaEvent,
  normalizeResult,
  type RequestSpec,
} from '../../support/lambda-events';
import { quarantineLines } from '../../support/quarantine';
import { CONTRACT_FIELDS, decodeRecordEvents } from '../../support/record-schema';
import { readObjects, readStream } from '../../support/stream-reader';

// The real handler with the real Kinesis and S3 adapters, against kinesalite and s3rver on loopback.
let emulators: Emulators;
beforeAll(async () => {
  emulators = await startEmulators({ streamName: 'collector-it', bucket: 'collector-it' });
});
afterAll(async () => {
  await emulators?.stop();
});

function handlerWith(overrides: Record<string, string> = {}) {
  const config = parseConfig({
    ...TEST_ENV,
    CLICKSTREAM_STREAM_NAME: emulators.streamName,
    CLICKSTREAM_ARCHIVE_BUCKET: emulators.bucket,
    AWS_ENDPOINT_URL_KINESIS: emulators.kinesisEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: '200',
    ...overrides,
  });
  const handler = buildHandler(config);
  return async (spec: RequestSpec, shape: (typeof EVENT_SHAPES)[number] = 'function-url') =>
    normalizeResult(await handler(lambdaEvent(shape, spec), lambdaContext));
}

async function recordWithRid(rid: string | undefined) {
  const records = await readStream(emulators.kinesisEndpoint, emulators.streamName);
  return records.filter((record) => record.rid === rid);
}

describe.each(EVENT_SHAPES)('a %s event against the emulators', (shape) => {
  it('puts the API document example on the stream as one record matching the contract field for field', async () => {
    const send = handlerWith();
    const before = Date.now();
    const response = await send(
      {
        query: DOC_EXAMPLE_QUERY,
        headers: { ...DOC_EXAMPLE_HEADERS, 'User-Agent': 'curl/8.5.0' },
        body: DOC_EXAMPLE_BODY,
      },
      shape,
    );
    expect(response.statusCode).toBe(200);
    const [record, ...others] = await recordWithRid(response.headers['x-request-id']);
    expect(others).toEqual([]);
    expect(Object.keys(record ?? {})).toEqual([...CONTRACT_FIELDS]);
    expect(record).toMatchObject({
      appId: 'test_release',
      compression: null,
      data: DOC_EXAMPLE_BODY,
      client_timestamp: null,
      ip: '101.188.67.134',
      ua: 'curl/8.5.0',
      method: 'POST',
      path: '/collect',
      uri: `/collect?${DOC_EXAMPLE_QUERY}`,
      platform: 'Android',
      rid: response.headers['x-request-id'],
      source_type: 'http_server',
    });
    expect(record?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(record?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(record?.ingest_time).toBeGreaterThanOrEqual(before);
    expect(record?.server_ingest_time).toBe(record?.ingest_time);
  });
});

describe('the Kinesis and S3 adapters', () => {
  it('stores a gzip+base64 request as sent, so its data decodes back to the events', async () => {
    const events = sampleBatch(5);
    const text = gzipBase64(JSON.stringify(events));
    const response = await handlerWith()({
      query: 'appId=test_app&compression=gzip&platform=Android',
      body: text,
    });
    const [record] = await recordWithRid(response.headers['x-request-id']);
    expect(record).toMatchObject({ compression: 'gzip', data: text });
    expect(decodeRecordEvents(record as Record<string, unknown>)).toEqual(events);
  });

  it('splits an oversized request into several records that all reach the stream', async () => {
    const events = sampleBatch(200);
    const response = await handlerWith({ CLICKSTREAM_MAX_RECORD_BYTES: '20000' })({
      query: 'appId=test_app',
      body: JSON.stringify(events),
    });
    const records = await recordWithRid(response.headers['x-request-id']);
    expect(records.length).toBeGreaterThan(1);
    expect(records.flatMap((record) => decodeRecordEvents(record))).toEqual(events);
  });

  it('writes to the S3 fallback when the stream refuses, and answers 200', async () => {
    const events = sampleBatch(3);
    const response = await handlerWith({ CLICKSTREAM_STREAM_NAME: 'no-such-stream' })({
      query: 'appId=test_app',
      body: JSON.stringify(events),
    });
    expect(response.statusCode).toBe(200);
    const rid = response.headers['x-request-id'] as string;
    const [object] = (await readObjects(emulators.s3Endpoint, emulators.bucket, 'fallback/')).filter(
      (stored) => stored.key.includes(rid),
    );
    expect(object?.key).toMatch(/^fallback\/year=\d{4}\/month=\d\d\/day=\d\d\/hour=\d\d\//);
    const record = JSON.parse(object?.text.trim() as string);
    expect(record).toMatchObject({ rid, appId: 'test_app', source_type: 'http_server' });
    expect(decodeRecordEvents(record)).toEqual(events);
  });

  it('answers 503 with Retry-After when the stream and the bucket both refuse', async () => {
    const response = await handlerWith({
      CLICKSTREAM_STREAM_NAME: 'no-such-stream',
      CLICKSTREAM_ARCHIVE_BUCKET: 'no-such-bucket',
    })({
      query: 'appId=test_app',
      body: JSON.stringify([sampleEvent()]),
    });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
  });

  it('writes invalid events to the quarantine in S3 with their reasons', async () => {
    const bad = { event_type: 'broken', timestamp: 'later' };
    const response = await handlerWith()({
      query: 'appId=test_app',
      body: JSON.stringify([sampleEvent(), bad]),
    });
    expect(response.headers['x-clickstream-quarantined']).toBe('1');
    const rid = response.headers['x-request-id'] as string;
    const [object] = (await readObjects(emulators.s3Endpoint, emulators.bucket, 'quarantine/')).filter(
      (stored) => stored.key.includes(rid),
    );
    const [line] = quarantineLines(object?.text ?? '');
    expect(line).toMatchObject({ kind: 'invalid_event', event_index: 1, event: JSON.stringify(bad) });
    expect(line?.reasons.join()).toContain('timestamp');
  });

  it('writes a body it cannot read to the quarantine and answers 400', async () => {
    const response = await handlerWith()({ query: 'appId=test_app', body: 'not json at all' });
    expect(response.statusCode).toBe(400);
    const rid = response.headers['x-request-id'] as string;
    const [object] = (await readObjects(emulators.s3Endpoint, emulators.bucket, 'quarantine/')).filter(
      (stored) => stored.key.includes(rid),
    );
    expect(quarantineLines(object?.text ?? '')).toEqual([
      expect.objectContaining({ kind: 'rejected_body', error: 'invalid_json', body: 'not json at all' }),
    ]);
  });

  it('validates a request without storing anything on the stream or in the bucket', async () => {
    const response = await handlerWith()({
      path: '/collect/validate',
      query: 'appId=test_app',
      body: JSON.stringify([sampleEvent(), { event_type: 'broken' }]),
    });
    expect(JSON.parse(response.body)).toMatchObject({ received: 2, accepted: 1, quarantined: 1 });
    const rid = response.headers['x-request-id'] as string;
    expect(await recordWithRid(rid)).toEqual([]);
    const objects = await readObjects(emulators.s3Endpoint, emulators.bucket, '');
    expect(objects.filter((stored) => stored.key.includes(rid))).toEqual([]);
  });

  it('reports healthy sinks on GET /health?deep=1', async () => {
    const response = await handlerWith()({ method: 'GET', path: '/health', query: 'deep=1' });
    expect(JSON.parse(response.body)).toMatchObject({ status: 'ok', stream: 'ok', bucket: 'ok' });
  });
});
