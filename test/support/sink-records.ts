import { gzipBase64 } from './events';

/**
 * Stream records in their documented JSON format (README "Record format"), built by hand so the
 * tables' tests depend on the format, not on the collector's own record code. Both shapes the
 * format allows today and after the record rewrite are covered: `client_timestamp` as digits or
 * as a number, `ip` as null or "" when unknown.
 */

export interface SinkRecordOptions {
  readonly appId?: string;
  /** true: `data` is base64 gzip text and `compression` is "gzip". */
  readonly gzip?: boolean;
  readonly rid?: string;
  readonly ip?: string | null;
  readonly ua?: string | null;
  readonly platform?: string | null;
  readonly query?: string;
  /** epoch ms */
  readonly receivedAt?: number;
  readonly clientTimestamp?: string | number | null;
  /** Fields set last, over the built ones: for records the format does not allow. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export const SAMPLE_RECEIVED_AT = Date.parse('2026-11-28T19:06:14.123Z');

/** The record object; `events` is the JSON text of the body, or values to serialise. */
export function sinkRecord(events: string | readonly unknown[], options: SinkRecordOptions = {}) {
  const text = typeof events === 'string' ? events : JSON.stringify(events);
  const receivedAt = options.receivedAt ?? SAMPLE_RECEIVED_AT;
  const iso = new Date(receivedAt).toISOString();
  const query =
    options.query ?? `appId=${options.appId ?? 'test_app'}&platform=Android&event_bundle_sequence_id=7`;
  return {
    appId: options.appId ?? 'test_app',
    compression: options.gzip ? 'gzip' : null,
    data: options.gzip ? gzipBase64(text) : text,
    date: `${iso.slice(0, 19)}+00:00`,
    timestamp: iso,
    ingest_time: receivedAt,
    server_ingest_time: receivedAt,
    client_timestamp:
      options.clientTimestamp === undefined ? String(receivedAt - 5) : options.clientTimestamp,
    ip: options.ip === undefined ? '101.188.67.134' : options.ip,
    ua: options.ua === undefined ? 'amplify-android:2.14.0 md/arm64-v8a md/en_US' : options.ua,
    method: 'POST',
    path: '/collect',
    uri: `/collect?${query}`,
    platform: options.platform === undefined ? 'Android' : options.platform,
    rid: options.rid ?? '6fa77c634288e5247810bcad18a4a06a',
    source_type: 'http_server',
    ...options.fields,
  };
}

export function sinkRecordBytes(
  events: string | readonly unknown[],
  options: SinkRecordOptions = {},
): Buffer {
  return Buffer.from(JSON.stringify(sinkRecord(events, options)));
}
