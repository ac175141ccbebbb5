import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import {
  DOC_EXAMPLE_BODY,
  DOC_EXAMPLE_HEADERS,
  DOC_EXAMPLE_QUERY,
  gzipBase64,
  hashCodeOf,
  sampleEvent,
} from '../../support/events';
import { readObjects, readStream } from '../../support/stream-reader';

// Every row of the README response table through the local HTTP server (npm start's adapter, real handler, emulators).
const ORIGIN = 'https://shop.example.com';
let collector: LocalCollector;

beforeAll(async () => {
  collector = await startLocalCollector({
    env: { CLICKSTREAM_CORS_ORIGINS: ORIGIN, CLICKSTREAM_MAX_DECOMPRESSED_BYTES: '1000000' },
    port: 0,
    quiet: true,
    archiver: false,
  });
});
afterAll(async () => {
  await collector?.stop();
});

const post = (query: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${collector.url}/collect?${query}`, { method: 'POST', headers, body });

async function errorCode(response: Response): Promise<string> {
  expect(response.headers.get('content-type')).toContain('application/json');
  const document = (await response.json()) as { error: string; requestId: string };
  expect(document.requestId).toBe(response.headers.get('x-request-id'));
  return document.error;
}

describe('the response table through the local HTTP server', () => {
  it('200: stores the API document example on the stream', async () => {
    const response = await post(DOC_EXAMPLE_QUERY, DOC_EXAMPLE_BODY, DOC_EXAMPLE_HEADERS);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const rid = response.headers.get('x-request-id');
    const records = await readStream(collector.kinesisEndpoint, collector.streamName);
    expect(records.filter((record) => record.rid === rid).map((record) => record.data)).toEqual([
      DOC_EXAMPLE_BODY,
    ]);
  });

  it('200 with the quarantined count: invalid events go to the quarantine', async () => {
    const response = await post('appId=test_app', JSON.stringify([sampleEvent(), { event_type: 'x' }]));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-clickstream-quarantined')).toBe('1');
    const rid = response.headers.get('x-request-id') as string;
    const stored = await readObjects(collector.s3Endpoint, collector.bucket, 'quarantine/');
    expect(stored.some((object) => object.key.includes(rid))).toBe(true);
  });

  it('204: a preflight from an allowed origin', async () => {
    const response = await fetch(`${collector.url}/collect?appId=test_app`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it.each([
    ['bad base64', 'appId=test_app&compression=gzip', '%%%', 'invalid_base64'],
    [
      'bad gzip',
      'appId=test_app&compression=gzip',
      Buffer.from('not gzip').toString('base64'),
      'invalid_gzip',
    ],
    ['not JSON', 'appId=test_app', '[{', 'invalid_json'],
    ['not an array', 'appId=test_app', '{}', 'not_an_array'],
    ['a hashCode mismatch', 'appId=test_app&hashCode=00000000', '[]', 'hash_mismatch'],
  ])('400: %s', async (_case, query, body, code) => {
    const response = await post(query, body);
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe(code);
  });

  it.each([
    ['a missing appId', '', {}, 'app_id_missing'],
    ['an unregistered appId', 'appId=nobody', {}, 'app_id_unknown'],
    [
      'an origin that is not allowed',
      'appId=test_app',
      { origin: 'https://evil-example.com' },
      'origin_not_allowed',
    ],
  ])('403: %s', async (_case, query, headers, code) => {
    const response = await post(query, JSON.stringify([sampleEvent()]), headers);
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await errorCode(response)).toBe(code);
  });

  it('404: an unknown path', async () => {
    const response = await fetch(`${collector.url}/nope`);
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe('not_found');
  });

  it('405 with Allow: another method on the collect path', async () => {
    const response = await fetch(`${collector.url}/collect?appId=test_app`, { method: 'PUT', body: '[]' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await errorCode(response)).toBe('method_not_allowed');
  });

  it('413: a raw body over the 2 MiB default', async () => {
    const response = await post('appId=test_app', 'x'.repeat(2_097_153));
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('payload_too_large');
  });

  it('413: a body that inflates past the decompressed cap', async () => {
    const bomb = gzipBase64(JSON.stringify([sampleEvent({ attributes: { pad: 'a'.repeat(2_000_000) } })]));
    const response = await post('appId=test_app&compression=gzip', bomb);
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe('decompressed_too_large');
  });

  it('200: a gzip+base64 body with its hashCode', async () => {
    const text = gzipBase64(JSON.stringify([sampleEvent()]));
    const response = await post(`appId=test_app&compression=gzip&hashCode=${hashCodeOf(text)}`, text);
    expect(response.status).toBe(200);
  });

  it('GET /health and GET /ping', async () => {
    expect(await (await fetch(`${collector.url}/health`)).json()).toEqual({ status: 'ok' });
    expect(
      ((await (await fetch(`${collector.url}/ping`)).json()) as { timestamp: number }).timestamp,
    ).toBeGreaterThan(0);
  });
});

describe('503 through the local HTTP server', () => {
  it('answers 503 with Retry-After when neither Kinesis nor S3 can be reached', async () => {
    // Nothing listens on port 9 of loopback: both sinks refuse the connection at once.
    const unreachable = await startLocalCollector({
      env: {
        AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:9',
        AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: '200',
      },
      port: 0,
      quiet: true,
      archiver: false,
      embedEmulators: false,
    });
    try {
      const response = await fetch(`${unreachable.url}/collect?appId=test_app`, {
        method: 'POST',
        body: JSON.stringify([sampleEvent()]),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await errorCode(response)).toBe('sink_unavailable');
    } finally {
      await unreachable.stop();
    }
  });
});
