import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type CollectorConfig, parseConfig } from '../../lambda/config';

/** The API document's cURL example, byte for byte. */
export const DOC_EXAMPLE_QUERY = 'appId=test_release&platform=Android&event_bundle_sequence_id=1';
export const DOC_EXAMPLE_BODY =
  '[{"event_type":"button_click","event_id":"460daa08-0717-4385-8f2e-acb5bd019ee7","timestamp":1667877566697,"app_id":"your appId","attributes":{"productName":"shoes","Price":99.9}},{"event_type":"item_view","event_id":"c6067c1c-fd8d-4fdb-bfaf-cc1212ca0195","timestamp":1667877565698,"app_id":"your appId","attributes":{"productName":"book","Price":39.9}}]';
export const DOC_EXAMPLE_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'X-Forwarded-For': '101.188.67.134',
};

export function sampleEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_type: 'button_click',
    event_id: randomUUID(),
    timestamp: 1_700_000_000_000,
    app_id: 'test_app',
    platform: 'Web',
    attributes: { productName: 'shoes', Price: 99.9 },
    ...overrides,
  };
}

export function sampleBatch(
  count: number,
  overrides: Record<string, unknown> = {},
): Array<Record<string, unknown>> {
  return Array.from({ length: count }, () => sampleEvent(overrides));
}

/** The mobile SDKs' body: base64 text of the gzip bytes. */
export function gzipBase64(text: string): string {
  return gzipSync(Buffer.from(text)).toString('base64');
}

/** hashCode as the SDKs compute it: first 8 hex chars of SHA-256 over the body string sent. */
export function hashCodeOf(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 8);
}

export const TEST_ENV = {
  CLICKSTREAM_APP_IDS: 'test_app,test_release',
  CLICKSTREAM_STREAM_NAME: 'clickstream-test',
  CLICKSTREAM_ARCHIVE_BUCKET: 'clickstream-test',
} as const;

export function testConfig(overrides: Record<string, string> = {}): CollectorConfig {
  return parseConfig({ ...TEST_ENV, ...overrides });
}
